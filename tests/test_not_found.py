"""Unknown paths get a plain 404 with the security headers, from a real server; every path the
app and Streamlit serve keeps working. Streamlit by itself answers any path with its page."""

from __future__ import annotations

import ast
import http.client
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import ROOT, Server, running

from web.site.server import PAGE_PATHS, known


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("paths")
    with running(
        folder / "server.log", {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 's.db'}"}
    ) as started:
        yield started


def ask(server: Server, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """The raw request: the path goes out exactly as written (no dot segments removed)."""
    host, port = server.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


UNKNOWN = [
    "/wp-admin",
    "/wp-login.php",
    "/.env",
    "/.git/config",
    "/staff/../x",
    "/staff/",
    "/index.html",
    "/admin?lang=en",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/static/../app.py",
    "/static/js/no-such-file.js",
    "/static/nothing-here",
    "/robots.txt/x",
    "/favicon.gif",
]


@pytest.mark.parametrize("path", UNKNOWN)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_unknown_paths_are_a_plain_404_with_the_security_headers(
    server: Server, path: str, method: str
) -> None:
    status, headers, body = ask(server, path, method)
    if method == "POST" and path.startswith("/static/") and ".." not in path:
        assert status == 405  # Streamlit's bundle takes no POST at all
        return
    assert status == 404
    assert headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    if method != "HEAD":
        assert body == b"Not found\n"


def bundle_file(server: Server) -> str:
    _, _, page = ask(server, "/")
    found = re.search(r'src="\./(static/js/[^"]+\.js)"', page.decode())
    assert found
    return "/" + found.group(1)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "text/html"),
        ("/staff", "text/html"),
        ("/?lang=es&utm_source=flyer", "text/html"),
        ("/staff?lang=en", "text/html"),
        ("/ready", "text/plain"),
        ("/share.png", "image/png"),
        ("/favicon.png", "image/png"),
        ("/favicon.ico", "image/vnd.microsoft.icon"),
        ("/robots.txt", "text/plain"),
        ("/manifest.json", "application/json"),
        ("/_stcore/health", "text/"),
        ("/_stcore/host-config", "application/json"),
    ],
)
def test_the_apps_own_paths_keep_working(server: Server, path: str, kind: str) -> None:
    status, headers, _ = ask(server, path)
    assert status == 200
    assert headers["content-type"].startswith(kind)
    assert headers["x-content-type-options"] == "nosniff"


def test_streamlits_bundle_is_served(server: Server) -> None:
    status, headers, body = ask(server, bundle_file(server))
    assert status == 200 and "javascript" in headers["content-type"] and body


def test_streamlits_own_404s_are_left_alone(server: Server) -> None:
    # Downloads and components answer for themselves (a missing file is their 404, not ours).
    for path in ("/media/0123456789abcdef.csv", "/component/none/index.html"):
        status, headers, body = ask(server, path)
        assert status == 404 and body != b"Not found\n"
        assert headers["x-content-type-options"] == "nosniff"


def test_every_page_in_app_py_is_a_known_path() -> None:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    paths = {
        "/" + str(ast.literal_eval(k.value))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
        for k in node.keywords
        if k.arg == "url_path"
    }
    assert paths == set(PAGE_PATHS)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", True),
        ("/staff", True),
        ("/_stcore/stream", True),
        ("/static/js/x.js", True),
        ("/media/abc.csv", True),
        ("/component/x/index.html", True),
        ("/static/../app.py", False),
        ("/static/./x", False),
        ("/_stcore", False),
        ("/staff/", False),
        ("/static", False),
        ("/x/_stcore/health", False),
    ],
)
def test_known(path: str, expected: bool) -> None:
    assert known(path) is expected


def test_no_unknown_file_of_the_bundle_root_is_left_out() -> None:
    import streamlit

    root = Path(streamlit.__file__).parent / "static"
    served = {f"/{p.name}" for p in root.iterdir() if p.is_file() and p.name != "index.html"}
    assert all(known(path) for path in served), served
