"""Entry point and router. Loads the content once; a broken content file shows a short
"temporarily unavailable" page instead of a half-valid questionnaire."""

from __future__ import annotations

import streamlit as st

from web import content as loading

loaded = loading.load()
if isinstance(loaded, loading.Unavailable):
    st.set_page_config(page_title="Temporarily unavailable")
    loading.show_unavailable(loaded)
    st.stop()

lang = st.session_state.get("ui.lang") or st.query_params.get("lang") or "en"
st.set_page_config(
    page_title=loaded.questionnaire.ui.page_title.get(lang),
    layout="centered",
    initial_sidebar_state="collapsed",
)
page = st.navigation(
    [st.Page("app_pages/selfcheck.py", title="Self-check", url_path="", default=True)],
    position="hidden",
)
page.run()
