"""The web server: Streamlit's ASGI app plus our headers, link-preview tags, preview picture
and readiness probe. `make run` serves it with `streamlit run asgi.py`; a deployment can use
`uvicorn asgi:app` (see docs/DEPLOY.md)."""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from web.server import SHARE_PATH, SiteMiddleware, ready, share_image, site_parts

clinic, tags = site_parts()
app = st.App(
    "app.py",
    routes=[Route("/ready", ready), Route(SHARE_PATH, share_image)],
    middleware=[Middleware(SiteMiddleware, clinic=clinic, tags=tags)],
)
