"""The baseline served the way asgi.py serves the self-check: an st.App, then everything imported
so far moved out of the garbage collector's sight (gc.freeze). Without this the baseline would pay
for full collections over Streamlit's own objects that the real app no longer pays for, and the
comparison would flatter the real app. `streamlit run bench/baseline_asgi.py`."""

from __future__ import annotations

import gc
from pathlib import Path

import streamlit as st

app = st.App(str(Path(__file__).resolve().parent / "baseline_app.py"))
gc.collect()
gc.freeze()
