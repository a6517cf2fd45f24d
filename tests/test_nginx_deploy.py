"""The deploy/ nginx configuration, really served: Streamlit's metrics (no authentication) and
its agent API are not reachable through it, however the address is spelled, while the check
itself is (pages, health, the WebSocket, the app's own security headers).

deploy/nginx.conf.template is filled in the way deploy/cluster.sh fills it, with one replica: a
real app server (`streamlit run asgi.py`). nginx is Debian's; without it the served tests are
skipped and only the configuration's text is checked.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from proxy_support import (
    AGENT_PATHS,
    METRICS_SPELLINGS,
    fetch,
    is_metrics,
    raw_get,
    wait_until_answering,
)
from server_process import ROOT, Server, free_port, running
from streamlit_client import session

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
)


def render(run: Path, port: int, upstream: str) -> str:
    """The template filled in as deploy/cluster.sh fills it."""
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (
        ("@USER@", user),
        ("@RUN@", str(run)),
        ("@PORT@", str(port)),
        ("@UPSTREAMS@\n", f"        server {upstream} max_fails=3 fail_timeout=10s;\n"),
    ):
        text = text.replace(name, value)
    return text


# --- the text, always ------------------------------------------------------------------------


def test_the_template_hides_metrics_and_the_agent_api() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    server = text[text.index("server {") :]
    assert re.search(r"location\s*=\s*/_stcore/metrics\s*\{\s*return 404;\s*\}", server)
    assert re.search(r"location\s*\^~\s*/_stcore/agent\s*\{\s*return 404;\s*\}", server)
    assert "access_log off;" in text  # the proxy keeps no visitors' addresses either
    assert "server_tokens off;" in text


# --- served ----------------------------------------------------------------------------------


@dataclass
class Proxied:
    app: Server
    base: str  # nginx
    port: int


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if NGINX is None:
        missing = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{missing}; .ci/run installs it")
        pytest.skip(f"{missing}: only the text was checked")
    folder = tmp_path_factory.mktemp("nginx")
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 'screening.db'}"}
    # nginx's workers run as nobody when it is started as root: their folders must be reachable
    # by nobody, which the test's own temporary folder (mode 700) is not.
    run = Path(tempfile.mkdtemp(prefix="screening-nginx-"))
    run.chmod(0o755)
    try:
        (run / "nginx-tmp").mkdir()
        if os.geteuid() == 0:
            shutil.chown(run / "nginx-tmp", "nobody")
        with running(folder / "app.log", env) as app:
            port = free_port()
            conf = run / "nginx.conf"
            conf.write_text(render(run, port, app.base.removeprefix("http://")), encoding="utf-8")
            command = [NGINX, "-c", str(conf), "-p", str(run), "-e", str(run / "nginx-error.log")]
            checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
            proc = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
            try:
                base = f"http://127.0.0.1:{port}"
                error_log = run / "nginx-error.log"
                wait_until_answering(base, proc, 20, lambda: error_log.read_text(errors="replace"))
                yield Proxied(app, base, port)
            finally:
                proc.send_signal(signal.SIGQUIT)  # graceful: workers end, then the master
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                if proc.stderr is not None:
                    proc.stderr.close()
    finally:
        shutil.rmtree(run, ignore_errors=True)


def test_metrics_are_served_by_the_app_but_not_through_nginx(proxied: Proxied) -> None:
    status, _, body = fetch(proxied.app.base + "/_stcore/metrics")
    assert status == 200 and is_metrics(body)  # there is something to hide
    for path in METRICS_SPELLINGS:
        status, _, body = fetch(proxied.base + path)
        assert not is_metrics(body), path
        if path.split("?")[0] in ("/_stcore/metrics", "//_stcore//metrics"):
            assert status == 404, path
        status, body = raw_get(proxied.port, path)
        assert not is_metrics(body), (path, status)
    print(
        f"\n[nginx] /_stcore/metrics through deploy/nginx.conf.template: 0 of "
        f"{2 * len(METRICS_SPELLINGS)} requests ({len(METRICS_SPELLINGS)} spellings) reached "
        f"the metrics; the agent API: 404 on {len(AGENT_PATHS)} paths"
    )


@pytest.mark.parametrize("path", AGENT_PATHS)
def test_the_agent_api_is_not_reachable_through_nginx(proxied: Proxied, path: str) -> None:
    status, _, body = fetch(proxied.base + path)
    assert status == 404 and b"agent" not in body.lower(), path


def test_the_check_itself_is_served_through_nginx(proxied: Proxied) -> None:
    for path in ("/", "/_stcore/health", "/ready"):
        status, headers, _ = fetch(proxied.base + path)
        assert status == 200, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'self'" in headers["content-security-policy"], path
        assert "server" not in headers or "nginx/" not in headers["server"], path
    with session(proxied.base, Origin=proxied.base) as tab:  # the WebSocket, proxied
        assert "nav.start" in tab.widgets


def test_nginx_passes_the_apps_compressed_bytes_through(proxied: Proxied) -> None:
    # The same bytes through nginx as from the app (make cluster renders the same template).
    from web.site.compression import decode

    _, _, page = fetch(proxied.app.base + "/")
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', page.decode())
    assert script
    for path in ("/", "/?lang=es", "/" + script.group(1), "/_stcore/host-config"):
        for accept in ("gzip, deflate, br", "gzip", ""):
            direct = fetch(proxied.app.base + path, **{"Accept-Encoding": accept})
            through = fetch(proxied.base + path, **{"Accept-Encoding": accept})
            assert through[0] == direct[0] == 200, (path, accept)
            encoding = direct[1].get("content-encoding")
            assert through[1].get("content-encoding") == encoding, (path, accept)
            assert encoding == {"gzip, deflate, br": "br", "gzip": "gzip", "": None}[accept]
            assert through[1].get("vary") == "Accept-Encoding", (path, accept)
            assert len(through[2]) == len(direct[2]), (path, accept)
            assert through[2] == direct[2], (path, accept)
            assert decode(through[2], encoding)  # a coding the browser can undo


# --- a real domain: Host and Origin that are not loopback --------------------------------------

DOMAIN = "check.example.org"


def handshake(port: int, host: str, origin: str, source: str = "127.0.0.1") -> int:
    """The status nginx gives a browser's WebSocket handshake for `host` from `origin`."""
    with socket.create_connection(("127.0.0.1", port), timeout=15, source_address=(source, 0)) as c:
        c.sendall(
            (
                "GET /_stcore/stream HTTP/1.1\r\n"
                f"Host: {host}\r\n"
                f"Origin: {origin}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n" not in head:
            chunk = c.recv(4096)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


def test_a_browser_on_the_clinics_domain_gets_its_websocket(proxied: Proxied) -> None:
    # Streamlit always accepts localhost origins, so only a real name shows whether nginx hands
    # on the Host: with "Host: app" the Origin below did not match and got 403.
    assert handshake(proxied.port, DOMAIN, f"https://{DOMAIN}") == 101
    assert handshake(proxied.port, f"{DOMAIN}:8443", f"https://{DOMAIN}:8443") == 101
    assert handshake(proxied.port, DOMAIN, "https://evil.example") == 403  # still checked


def test_uploads_are_refused_by_nginx(proxied: Proxied) -> None:
    for method in ("PUT", "POST"):
        request = urllib.request.Request(
            proxied.base + "/_stcore/upload_file/session/file", data=b"x" * 1000, method=method
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 404
        refused.value.close()


def test_a_flood_of_websockets_from_one_address_is_cut_off(proxied: Proxied) -> None:
    # From 127.0.0.2: 127.0.0.1 is the benchmark's exempt address. At most 100 attempts.
    statuses = [
        handshake(proxied.port, DOMAIN, f"https://{DOMAIN}", source="127.0.0.2") for _ in range(100)
    ]
    assert statuses[0] == 101
    assert statuses.count(429) > 0 and statuses.count(101) <= 60
    print(
        f"\n[nginx] one address opening 100 WebSockets at once: {statuses.count(101)} accepted, "
        f"{statuses.count(429)} refused with 429"
    )
