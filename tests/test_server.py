"""The web server as a visitor's browser and a link-preview robot see it: a real process."""

from __future__ import annotations

import html
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import running

from screening.questionnaire.loader import load_clinic, load_questionnaire
from screening.questionnaire.models import Clinic
from web.site.compression import decode
from web.site.server import inject, security_headers, share_tags

ROOT = Path(__file__).resolve().parent.parent


def test_share_tags_are_escaped_and_complete() -> None:
    q, clinic = load_questionnaire(), load_clinic()
    hostile = clinic.model_copy(update={"name": 'Clinic "<script>x</script>'})
    tags = share_tags(q, hostile)
    assert "<script>" not in tags
    assert "&lt;script&gt;" in tags
    for name in ("og:title", "og:description", "og:image", "twitter:card", "og:locale"):
        assert name in tags


def test_previews_are_absolute_and_in_the_links_language() -> None:
    q, clinic = load_questionnaire(), load_clinic()
    published = clinic.model_copy(update={"public_url": "https://check.example.org/"})
    english, spanish = share_tags(q, published, "en"), share_tags(q, published, "es")
    image = '<meta property="og:image" content="https://check.example.org/share.png">'
    assert image in english and image in spanish
    assert '<meta property="og:url" content="https://check.example.org/">' in english
    assert '<meta property="og:url" content="https://check.example.org/?lang=es">' in spanish
    assert '<meta property="og:locale" content="en_US">' in english
    assert '<meta property="og:locale:alternate" content="es_US">' in english
    assert '<meta property="og:locale" content="es_US">' in spanish
    assert html.escape(q.ui.share_description.es) in spanish
    assert html.escape(q.title.es) in spanish
    # Without a public address the picture has no host to come from, and there is no og:url.
    assert "og:url" not in share_tags(q, clinic.model_copy(update={"public_url": None}))


def test_inject_replaces_the_generic_title() -> None:
    page = b"<html><head><title>Streamlit</title></head><body></body></html>"
    out = inject(page, "<title>Ours</title>").decode()
    assert "Streamlit" not in out and "<title>Ours</title>" in out
    assert inject(b"<html><head></head></html>", "<x>").decode().startswith("<html><head>\n<x>")


def directives(clinic: Clinic | None) -> dict[str, list[str]]:
    text = dict(security_headers(clinic))[b"content-security-policy"].decode()
    parsed = [part.split() for part in text.split(";")]
    assert len({p[0] for p in parsed}) == len(parsed), "a directive named twice"
    return {p[0]: p[1:] for p in parsed}


def test_frame_ancestors_come_from_clinic_yaml() -> None:
    clinic = load_clinic().model_copy(update={"frame_ancestors": ("https://clinic.example",)})
    assert directives(clinic)["frame-ancestors"] == ["'self'", "https://clinic.example"]
    assert directives(None)["frame-ancestors"] == ["'self'"]


def test_the_policy_allows_scripts_only_from_this_site_and_known_hashes() -> None:
    found = directives(load_clinic())
    assert found["default-src"] == ["'none'"]
    assert found["object-src"] == ["'none'"]
    assert found["base-uri"] == ["'none'"]
    assert found["form-action"] == ["'none'"]
    assert found["connect-src"] == ["'self'"]  # the WebSocket too: same host and port
    assert found["img-src"] == ["'self'", "data:"] and found["font-src"] == ["'self'", "data:"]
    script = found["script-src"]
    assert script[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert all(s.startswith("'sha256-") for s in script[2:]) and len(script) >= 3
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert found["style-src"] == ["'self'", "'unsafe-inline'"]  # SECURITY.md says why
    joined = " ".join(source for sources in found.values() for source in sources)
    assert "*" not in joined and "http:" not in joined and "https:" not in joined


def test_every_inline_script_of_the_page_and_the_settings_frame_has_its_hash() -> None:
    from web.common import browser
    from web.site.content_policy import SCRIPT_HASHES, digest, streamlit_scripts

    assert streamlit_scripts(), "Streamlit's index.html has no inline script: re-measure"
    for text in (*streamlit_scripts(), *browser.SCRIPTS):
        assert digest(text) in SCRIPT_HASHES
    assert digest("alert(1)") not in SCRIPT_HASHES
    # What the frame is given is one of the hashed scripts, whatever the counter says.
    assert browser.script("es", True) in browser.SCRIPTS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("db")
    with running(
        folder / "server.log", {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 's.db'}"}
    ) as s:
        yield s.base


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.mark.parametrize("path", ["/", "/staff", "/?utm_source=instagram&lang=es"])
def test_pages_carry_preview_tags_and_security_headers(server: str, path: str) -> None:
    status, headers, body = fetch(server + path, **{"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"  # web/compression.py
    page = decode(body, "gzip").decode()
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert int(headers["content-length"]) == len(body)
    title = "Autoevaluación" if "lang=es" in path else "Facial movement self-check"
    assert f'<meta property="og:title" content="{title}' in page
    assert "<title>Streamlit</title>" not in page
    # No third-party scripts, pixels or fonts: every src/href stays on this site.
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []


def test_preview_picture_and_readiness(server: str) -> None:
    status, headers, body = fetch(server + "/share.png")
    assert status == 200 and headers["content-type"] == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    status, _, body = fetch(server + "/ready")
    assert (status, body) == (200, b"ready")


def test_streamlit_endpoints_get_the_headers_too(server: str) -> None:
    status, headers, _ = fetch(server + "/_stcore/health")
    assert status == 200 and headers["x-content-type-options"] == "nosniff"


def test_readiness_fails_while_the_database_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import asyncio

    from web.site import server as site

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SCREENING_DATABASE_URL", f"sqlite:///{blocked / 'x.db'}")
    monkeypatch.setattr(site, "_stores", {})
    response = asyncio.run(site.ready(None))  # type: ignore[arg-type]
    assert response.status_code == 503
    assert b"database" in bytes(response.body)
