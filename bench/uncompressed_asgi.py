"""The self-check served as asgi.py serves it, but without the compression layer, so
`python bench/compare.py --uncompressed` can show, in one run, what compressing the pages costs
the people already connected (their taps travel over the WebSocket, which compression passes by).
`streamlit run bench/uncompressed_asgi.py`."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # served as `streamlit run bench/uncompressed_asgi.py`
    sys.path.insert(0, str(ROOT))

from asgi import ROUTES, middleware  # noqa: E402
from web.site.shutdown import lifespan  # noqa: E402

app = st.App(
    str(ROOT / "app.py"), lifespan=lifespan, routes=ROUTES, middleware=middleware(compress=False)
)
gc.collect()
gc.freeze()
