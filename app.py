"""Entry point and router. Loads the content once; a broken content file shows a short
"temporarily unavailable" page instead of a half-valid questionnaire."""

from __future__ import annotations

import streamlit as st

from app_pages import selfcheck
from web import content as loading
from web import staff_access

loaded = loading.load()
if isinstance(loaded, loading.Unavailable):
    st.set_page_config(page_title="Temporarily unavailable")
    loading.show_unavailable(loaded)
    st.stop()

# The dashboard's file is registered only after sign-in; before, /staff is the sign-in page.
staff = "app_pages/staff.py" if staff_access.signed_in() else "app_pages/staff_login.py"
page = st.navigation(
    [
        st.Page(selfcheck.show, title="Self-check", url_path="", default=True),
        st.Page(staff, title="Staff", url_path="staff"),
    ],
    position="hidden",
)
# One page-config call per run, after the page is known: the dashboard's tables want the width.
lang = st.session_state.get("ui.lang") or st.query_params.get("lang") or "en"
st.set_page_config(
    page_title=loaded.questionnaire.ui.page_title.get(lang),
    layout="wide" if page.url_path == "staff" else "centered",
    initial_sidebar_state="collapsed",
)
page.run()
