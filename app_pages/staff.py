"""The staff dashboard at /staff: contact requests, statistics, downloads, outreach links.

app.py registers this file only after sign-in; the check below is a second line of defence.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from web import dashboard_fhir, dashboard_requests, dashboard_statistics, outreach
from web import staff_access as access
from web.common import content as loading
from web.selfcheck import records

# Only the title: a second layout in one run races in the browser (app.py sets "centered").
st.set_page_config(page_title="Staff dashboard")
if not access.signed_in():
    st.error("Sign in first.")
    st.stop()

title, leave = st.columns([5, 1], vertical_alignment="center")
title.title("Staff dashboard")
leave.button("Sign out", key=access.LOGOUT, on_click=access.sign_out)

content = loading.load()
db = records.store()
if isinstance(content, loading.Unavailable) or db is None:
    st.error("The database or the content files cannot be read right now. See the server log.")
    st.stop()

today = datetime.now(UTC).date()
requests, statistics, downloads, links = st.tabs(
    ["Contact requests", "Statistics", "Downloads", "Outreach links"]
)
with requests:
    dashboard_requests.show(db)
with statistics:
    dashboard_statistics.show(db, content.questionnaire, today)
with downloads:
    dashboard_requests.downloads(db, today)
    dashboard_fhir.show(db, content.questionnaire, content.clinic, today)
with links:
    outreach.show(content.clinic)
