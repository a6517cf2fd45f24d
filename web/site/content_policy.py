"""The Content-Security-Policy of every response, measured against what Streamlit 1.67's page and
this app's screens need in Chromium (tests/e2e/test_browser_csp.py walks them and fails on any
violation).

Scripts run only from this site, plus the few inline scripts we know, each allowed by its SHA-256
hash: Streamlit's one-line script in index.html (hashed from the installed Streamlit's own file, so
an upgrade that changes it keeps working) and the page-settings frame's scripts
(web/common/browser.py). No 'unsafe-eval': Streamlit draws Vega charts with its expression
interpreter. What styles and WebAssembly need is explained where they are set (and in SECURITY.md).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import streamlit

from ..common import browser

STREAMLIT_PAGE = Path(streamlit.__file__).parent / "static" / "index.html"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def digest(text: str) -> str:
    """A CSP hash source for an inline script or stylesheet with exactly this text."""
    value = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{value}'"


def streamlit_scripts(page: Path = STREAMLIT_PAGE) -> tuple[str, ...]:
    """The inline scripts (no src) of Streamlit's index.html."""
    return tuple(_INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")))


SCRIPT_HASHES = tuple(digest(s) for s in (*streamlit_scripts(), *browser.SCRIPTS))
# Streamlit's protobuf decoder (long.js) compiles a fixed 200-byte WebAssembly module for 64-bit
# arithmetic, inside a try (it falls back to plain JavaScript). 'wasm-unsafe-eval' lets that
# compile without a violation report; it does not allow eval() or new Function() of JavaScript.
WASM = "'wasm-unsafe-eval'"
# Styles need 'unsafe-inline', and no hash or nonce can replace it in Streamlit 1.67: its
# components are styled by Emotion and styled-components, which insert <style> elements at run
# time (Emotion would take a nonce only from document.currentScript, which is null for the
# module script that loads it), and React sets style="" attributes throughout. A hash next to
# 'unsafe-inline' would switch it off, so there is none. What it allows is CSS, not script; the
# app renders nothing a visitor typed as HTML, so nobody else's CSS reaches the page.
STYLE_SRC = ("'self'", "'unsafe-inline'")


# The camera aid's frame (web/selfcheck/mirror.py; Streamlit serves a component declared as
# "mirror" in web.selfcheck.mirror under this path). MediaPipe's WebAssembly glue (Emscripten's
# embind) builds its JavaScript bindings with new Function() when it starts, so the documents of
# this one frame, and only they, also allow 'unsafe-eval'. They run only this site's own files
# and show no text from a visitor; the page around them keeps the strict policy.
MIRROR_FRAME = "/component/web.selfcheck.mirror.mirror/"
# Its model files, in a folder named after the package's version (web/selfcheck/mirror_files.py).
MIRROR_MODELS = MIRROR_FRAME + "facemesh-"
EVAL = "'unsafe-eval'"


def policy(frame_ancestors: Iterable[str] = (), *, evaluates: bool = False) -> str:
    """The policy's text; `frame_ancestors` are the sites (clinic.yaml) that may embed the
    check besides this one; `evaluates` for the camera aid's frame only (MIRROR_FRAME)."""
    scripts = ["'self'", WASM, EVAL] if evaluates else ["'self'", WASM, *SCRIPT_HASHES]
    directives = {
        "default-src": ["'none'"],
        "script-src": scripts,
        "style-src": list(STYLE_SRC),
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],  # Streamlit's forms never submit as HTML forms
        "frame-ancestors": ["'self'", *frame_ancestors],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
