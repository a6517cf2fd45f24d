"""The web server: Streamlit's ASGI app plus compression, our headers and 404s, link-preview
tags, the page's first words (before JavaScript), preview picture, robots.txt and favicon,
Streamlit's two fonts as small subsets, readiness probe, and the WebSocket filter that keeps the
server's details to itself.
`make run` serves it with `streamlit run asgi.py`; a deployment can use `uvicorn asgi:app` (see
docs/SCALING.md)."""

from __future__ import annotations

import gc

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from web.selfcheck import result, step, welcome  # noqa: F401  (frozen below)
from web.site.compression import Compression
from web.site.font_serving import FontSubsets
from web.site.media_guard import MediaGuard
from web.site.page_shell import PageShell, questionnaire
from web.site.server import READY_PATH, SHARE_PATH, SiteMiddleware, ready, share_image, site_parts
from web.site.shutdown import lifespan
from web.site.site_files import (
    FAVICON_ICO_PATH,
    FAVICON_PNG_PATH,
    ROBOTS_PATH,
    favicon_ico,
    favicon_png,
    robots,
)
from web.site.stream_filter import StreamFilter


def middleware(*, compress: bool = True) -> list[Middleware]:
    """The server's layers, outermost first. `compress=False` leaves out only the compression,
    for the benchmark that measures what compressing costs the people already connected
    (bench/uncompressed_asgi.py); nothing else serves the app that way."""
    clinic, tags = site_parts()
    layers = [
        Middleware(SiteMiddleware, clinic=clinic, tags=tags),
        Middleware(FontSubsets),  # Streamlit's two fonts as small subsets, once made
        Middleware(PageShell, q=questionnaire(), clinic=clinic),
        Middleware(MediaGuard),
        Middleware(StreamFilter),
    ]
    if compress:
        layers.insert(0, Middleware(Compression))  # outermost: it sees the page as made below
    return layers


ROUTES = [
    Route(READY_PATH, ready),
    Route(SHARE_PATH, share_image),
    Route(ROBOTS_PATH, robots),
    Route(FAVICON_PNG_PATH, favicon_png),
    Route(FAVICON_ICO_PATH, favicon_ico),
]
# `streamlit run` recognises the server by this module-level `app = st.App(...)` (it reads the
# file's syntax tree), so the app is built here and not in a function.
app = st.App(
    "app.py",
    lifespan=lifespan,  # writes what the background writers hold when the server stops
    routes=ROUTES,
    middleware=middleware(),
)
# Python's full garbage collection walks every object the process holds: about 120,000 once the
# self-check's modules are imported. They live as long as the process, so they are moved out of
# the collector's sight once; Python's own full collections (and Streamlit's after every run, if
# runner.postScriptGC is turned back on) then walk only what the sessions made (bench/RESULTS.md).
gc.collect()
gc.freeze()
