"""The staff dashboard at /staff: contact requests, statistics, downloads, outreach links.

app.py registers this file only after sign-in; the check below is a second line of defence.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from web.common import content as loading
from web.common.database import store
from web.staff import access, fhir_downloads, outreach, requests, statistics_tab

# Only the title: a second layout in one run races in the browser (app.py sets "centered").
st.set_page_config(page_title="Staff dashboard")
if not access.signed_in():
    st.error("Sign in first.")
    st.stop()

title, leave = st.columns([5, 1], vertical_alignment="center")
title.title("Staff dashboard")
leave.button("Sign out", key=access.LOGOUT, on_click=access.sign_out)

content = loading.load()
db = store()
if isinstance(content, loading.Unavailable) or db is None:
    st.error("The database or the content files cannot be read right now. See the server log.")
    st.stop()

today = datetime.now(UTC).date()
on_requests, on_statistics, on_downloads, on_links = st.tabs(
    ["Contact requests", "Statistics", "Downloads", "Outreach links"]
)
with on_requests:
    requests.show(db)
with on_statistics:
    statistics_tab.show(db, content.questionnaire, today)
with on_downloads:
    requests.downloads(db, today)
    fhir_downloads.show(db, content.questionnaire, content.clinic, today)
with on_links:
    outreach.show(content.clinic)
