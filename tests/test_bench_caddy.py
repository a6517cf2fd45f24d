"""bench/caddy.py: the first-load benchmark's Caddy is the deployment's site block (as Caddy itself
reads it: `caddy adapt`), on loopback with HTTPS; in front of the real app it speaks HTTP/2 and
passes the app's Brotli through byte for byte, adding no compression of its own."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import brotli
import pytest
from deploy_files import tool
from server_process import free_port, running

from bench.caddy import DEPLOYED, caddy, caddyfile, unverified
from bench.firstload import MODES, block, goals


def adapt(text: str, folder: Path) -> dict[str, Any]:
    """The JSON configuration Caddy makes of a Caddyfile (nothing is started)."""
    config = folder / "Caddyfile"
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data")}
    done = subprocess.run(
        [tool("caddy", "apt-get install caddy"), "adapt", "--config", str(config),
         "--adapter", "caddyfile"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def handlers(route: Any) -> list[str]:
    """Every handler's name in a route tree, in order."""
    if isinstance(route, dict):
        own = [route["handler"]] if "handler" in route else []
        return own + [h for value in route.values() for h in handlers(value)]
    if isinstance(route, list):
        return [h for item in route for h in handlers(item)]
    return []


def test_each_page_gets_the_deployed_site_block_with_https(tmp_path: Path) -> None:
    deployed_text = DEPLOYED.read_text(encoding="utf-8")
    deployed = adapt(deployed_text, tmp_path)["apps"]["http"]["servers"]["srv0"]
    bench = adapt(caddyfile(deployed_text, {8443: 9001, 8444: 9002}), tmp_path)
    servers = bench["apps"]["http"]["servers"].values()
    assert sorted((s["listen"], s["routes"][0]["match"]) for s in servers) == [
        ([":8443"], [{"host": ["127.0.0.1"]}]),
        ([":8444"], [{"host": ["127.0.0.1"]}]),
    ]
    expected = json.dumps(deployed["routes"][0]["handle"])
    for server, upstream in zip(servers, ("9001", "9002"), strict=True):
        handle = server["routes"][0]["handle"]
        # The same handlers as deployed (HSTS, 404 for Streamlit's internals, the body limit,
        # the proxy), in front of another port; no `encode`: nothing is compressed again.
        assert json.dumps(handle) == expected.replace("127.0.0.1:8501", f"127.0.0.1:{upstream}")
        assert "encode" not in handlers(handle)
        assert server["automatic_https"] == {"disable_redirects": True}
    # The certificate for 127.0.0.1 from Caddy's internal authority, kept out of trust stores.
    assert bench["apps"]["tls"]["automation"]["policies"] == [
        {"subjects": ["127.0.0.1"], "issuers": [{"module": "internal"}]}
    ]
    assert bench["apps"]["pki"]["certificate_authorities"]["local"]["install_trust"] is False
    assert bench["admin"] == {"disabled": True}


def test_plain_http_when_asked(tmp_path: Path) -> None:
    text = caddyfile(DEPLOYED.read_text(encoding="utf-8"), {8080: 9001}, tls=False)
    assert "tls internal" not in text and "http://127.0.0.1:8080 {" in text
    assert "tls" not in adapt(text, tmp_path)["apps"]


@pytest.mark.parametrize(
    "change", [("check.example.org {", "check.example.com {"), ("127.0.0.1:8501", "app:8501")]
)
def test_a_deployed_caddyfile_of_another_shape_is_refused(change: tuple[str, str]) -> None:
    changed = DEPLOYED.read_text(encoding="utf-8").replace(*change)
    with pytest.raises(ValueError, match="no longer has one"):
        caddyfile(changed, {8443: 9001})


def alpn(base: str) -> str | None:
    """The protocol a browser offering HTTP/2 and HTTP/1.1 gets."""
    port = int(base.rsplit(":", 1)[1])
    context = unverified()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw) as tls,
    ):
        return tls.selected_alpn_protocol()


def raw_get(url: str, context: ssl.SSLContext | None = None) -> tuple[dict[str, str], bytes]:
    """The bytes as sent, asking for Brotli."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(request, timeout=30, context=context) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_behind_caddy_the_app_speaks_http2_and_its_brotli_arrives_untouched(
    tmp_path: Path,
) -> None:
    tool("caddy", "apt-get install caddy")
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{tmp_path / 'screening.db'}"}
    with (
        running(tmp_path / "app.log", env) as app,
        caddy({free_port(): app.port}, tmp_path / "caddy.log") as bases,
    ):
        base = bases[app.port]
        assert base.startswith("https://")
        assert alpn(base) == "h2"
        _, page = raw_get(app.base + "/")
        script = re.search(
            r'src="\./(static/js/index\.[^"]+\.js)"', brotli.decompress(page).decode()
        )
        assert script is not None
        for path in ("/", "/" + script.group(1)):
            direct_headers, direct = raw_get(app.base + path)
            headers, body = raw_get(base + path, unverified())
            assert direct_headers["content-encoding"] == headers["content-encoding"] == "br"
            assert body == direct, path  # not decoded, not compressed again
        assert headers["strict-transport-security"].startswith("max-age=")  # the deployed block


def test_the_results_have_a_column_per_mode_and_mark_the_goals_not_met() -> None:
    def figures(scale: float) -> dict[str, Any]:
        return {
            "performance": 50, "fcp_ms": 1000 * scale, "lcp_ms": 2000 * scale,
            "speed_index_ms": 3000, "tbt_ms": 100, "cls": 0.0, "bytes": 1e6 * scale,
            "requests": 80, "protocol": "h2", "accessibility": 100, "best_practices": 100,
            "seo": 100, "fcp_emulated_s": 2.0, "welcome_s": 10 * scale,
            "first_question_s": 11 * scale, "browser_protocol": "h2",
        }  # fmt: skip

    median = {
        "direct": {"app": figures(0.8), "bare": figures(1)},
        "caddy": {"app": figures(0.5), "bare": figures(1)},
    }
    result = {
        "when": "today", "chromium": "1", "runs": 3, "via": "both", "load_average": [2, 9],
        "median": median, "goals": {m: goals(p["app"], p["bare"]) for m, p in median.items()},
        "failed_audits": {m: {"app": [], "bare": []} for m in median},
    }  # fmt: skip
    lines = block(result, 10)
    assert lines[0].startswith("<!-- first-load") and lines[-1] == "<!-- first-load: end -->"
    heading = next(line for line in lines if line.startswith("| goal"))
    assert heading == f"| goal (issue 17) | {MODES['direct']} | {MODES['caddy']} |"
    row = next(line for line in lines if line.startswith("| time to the first question"))
    assert row == "| time to the first question <= 0.7x bare | **0.8x, not met** | 0.5x, met |"
    assert "load average 2.0 to 9.0 during the runs" in lines[3]
