"""A first visit as the real server answers it (`streamlit run asgi.py`): every text type
compressed as the browser asks, the bundle cached for a year and the page not at all,
robots.txt, the favicon, and the page's own words (web/page_shell.py) before any script."""

from __future__ import annotations

import html
import io
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from server_process import Server, running

from screening.outputs.summary import fill
from screening.questionnaire.loader import load_clinic, load_questionnaire
from web.site.compression import decode
from web.site.site_files import FAVICON_ICO, FAVICON_PNG


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("first-load")
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 'screening.db'}"}
    with running(folder / "server.log", env) as server:
        yield server


def ask(server: Server, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET without any decoding by the client: the bytes as sent."""
    sent = {k.replace("_", "-"): v for k, v in headers.items()}
    request = urllib.request.Request(server.base + path, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            found = {k.lower(): v for k, v in response.headers.items()}
            return response.status, found, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def bundle_paths(server: Server) -> dict[str, str]:
    _, _, page = ask(server, "/")
    text = page.decode()
    js = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', text)
    css = re.search(r'href="\./(static/css/[^"]+\.css)"', text)
    assert js and css
    return {"js": "/" + js.group(1), "css": "/" + css.group(1)}


TEXT_TYPES = {
    # kind: (path or a bundle_paths key, content type it must keep)
    "html": ("/", "text/html"),
    "html-es": ("/?lang=es", "text/html"),
    "js": ("js", "javascript"),
    "css": ("css", "text/css"),
    "json": ("/_stcore/host-config", "application/json"),
    "svg": ("/static/media/snowflake.JU2jBHL8.svg", "image/svg+xml"),
}


def resolve(server: Server, where: str) -> str:
    return where if where.startswith("/") else bundle_paths(server)[where]


@pytest.mark.parametrize("kind", list(TEXT_TYPES))
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_each_text_type_is_compressed_as_the_browser_asks(
    server: Server, kind: str, encoding: str
) -> None:
    where, content_type = TEXT_TYPES[kind]
    path = resolve(server, where)
    status, plain_headers, plain = ask(server, path)
    assert status == 200 and content_type in plain_headers["content-type"]
    assert "content-encoding" not in plain_headers  # not asked, not compressed
    assert plain_headers["vary"] == "Accept-Encoding"
    accept = "gzip, deflate, br, zstd" if encoding == "br" else "gzip, deflate"
    status, headers, body = ask(server, path, accept_encoding=accept)
    assert status == 200 and content_type in headers["content-type"]
    assert headers["content-encoding"] == encoding
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(plain)
    assert decode(body, encoding) == plain


def test_the_bundle_is_cached_for_a_year_and_the_page_never(server: Server) -> None:
    paths = bundle_paths(server)
    for path in paths.values():
        for accept in ("br", "gzip", ""):
            _, headers, _ = ask(server, path, accept_encoding=accept)
            assert headers["cache-control"] == "public, immutable, max-age=31536000", path
    for path in ("/", "/?lang=es", "/staff"):
        _, headers, _ = ask(server, path, accept_encoding="br")
        assert headers["cache-control"] in {"no-cache", "no-store"}, path


def test_a_bundle_file_is_the_same_bytes_every_time(server: Server) -> None:
    path = bundle_paths(server)["js"]
    first = ask(server, path, accept_encoding="br")[2]
    assert all(ask(server, path, accept_encoding="br")[2] == first for _ in range(3))


def test_robots_txt_lets_the_check_be_found_and_not_the_staff_pages(server: Server) -> None:
    status, headers, body = ask(server, "/robots.txt", accept_encoding="br")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    lines = decode(body, headers.get("content-encoding")).decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines and "Disallow: /staff" in lines
    assert not any(line.startswith("Disallow: /") and line != "Disallow: /staff" for line in lines)


@pytest.mark.parametrize(
    ("path", "file", "content_type"),
    [
        ("/favicon.png", FAVICON_PNG, "image/png"),
        ("/favicon.ico", FAVICON_ICO, "image/vnd.microsoft.icon"),
    ],
)
def test_the_favicon_is_the_clinics(server: Server, path: str, file: object, content_type: str):
    status, headers, body = ask(server, path, accept_encoding="br")
    assert status == 200 and headers["content-type"] == content_type
    if content_type == "image/png":
        assert "content-encoding" not in headers  # compressed already
    body = decode(body, headers.get("content-encoding"))
    assert body == file.read_bytes()  # type: ignore[attr-defined]
    assert "immutable" not in headers["cache-control"]  # the address outlives the picture


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_carries_the_shell_in_the_persons_language(server: Server, lang: str) -> None:
    q, clinic = load_questionnaire(), load_clinic()
    _, headers, body = ask(server, f"/?lang={lang}", accept_encoding="br")
    page = decode(body, headers["content-encoding"]).decode()
    root = page[page.index('<div id="root">') :]
    assert f'<html lang="{lang}">' in page
    assert q.ui.page_title.get(lang) in root and clinic.name in root
    assert html.escape(fill(q, clinic, q.ui.welcome_body, lang)) in root
    assert 'fetchpriority="low"' in page[: page.index("</head>")]  # scripts after the paint
    assert f'role="status">{q.ui.loading.get(lang)}<' in root
    link = f'<a href="tel:{clinic.emergency_number}">'
    assert link + fill(q, clinic, q.ui.call_emergency, lang) + "</a>" in root
    other = "es" if lang == "en" else "en"
    assert q.ui.loading.get(other) not in page
    assert "<script" not in root  # words, no script
    assert ".first-load{" in page[: page.index("</head>")]  # its style is in <head>


def test_an_unknown_language_gets_the_clinics_default(server: Server) -> None:
    page = ask(server, "/?lang=xx")[2].decode()
    assert load_questionnaire().ui.loading.get(load_clinic().default_language) in page


def test_the_staff_page_and_readiness_still_behave(server: Server) -> None:
    status, headers, body = ask(server, "/staff", accept_encoding="br")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = decode(body, headers["content-encoding"]).decode()
    assert "first-load" not in page and '<div id="root"></div>' in page
    assert "og:title" in page  # the share tags are still put in
    status, _, body = ask(server, "/ready", accept_encoding="br")
    assert status == 200 and body == b"ready"
    status, _, body = ask(server, "/no-such-page", accept_encoding="br")
    assert status == 404 and body == b"Not found\n"


def test_the_fonts_come_as_subsets_sent_as_they_are_with_a_days_cache(server: Server) -> None:
    """web/site/font_serving.py behind the real server: the stylesheet's font addresses answer
    with the subsets once made (the first request starts making them), never Brotli again."""
    from fontTools.ttLib import TTFont

    from web.site.font_files import ICON_FONT, TEXT_FONT, find

    for font in (find(ICON_FONT), find(TEXT_FONT)):
        _, css_headers, css = ask(server, bundle_paths(server)["css"])
        stylesheet = decode(css, css_headers.get("content-encoding")).decode()
        assert f"../media/{font.path.name}" in stylesheet
        original = font.path.read_bytes()
        status, headers, body = ask(server, font.url, accept_encoding="br")
        assert status == 200 and headers["content-type"] == "font/woff2"
        for _ in range(600):  # until the subsets are made: seconds of CPU on a busy machine
            if headers["cache-control"] == "public, max-age=86400":
                break
            assert body == original  # until then: Streamlit's own file, whole
            time.sleep(0.5)
            status, headers, body = ask(server, font.url, accept_encoding="br")
        assert headers["cache-control"] == "public, max-age=86400"
        assert "content-encoding" not in headers  # woff2 is compressed already
        assert int(headers["content-length"]) == len(body) < len(original) / 3
        assert TTFont(io.BytesIO(body)).flavor == "woff2"
        assert headers["x-content-type-options"] == "nosniff"  # our headers, as on every file
        status, again, empty = ask(server, font.url, if_none_match=headers["etag"])
        assert (status, empty, again["etag"]) == (304, b"", headers["etag"])
