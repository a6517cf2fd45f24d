"""The staff dashboard at /staff: contact requests, statistics, downloads, outreach links, and for
admins the audit trail.

app.py registers this file only after sign-in; the check below is a second line of defence. What
a role may not do is not drawn, and each action checks the role again when it runs
(web/staff/access.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from web.common import content as loading
from web.common.database import store
from web.common.text import escape
from web.staff import (
    access,
    accounts_tab,
    audit_tab,
    fhir_downloads,
    idle,
    outreach,
    requests,
    statistics_tab,
    tables,
)

# Only the title: a second layout in one run races in the browser (app.py sets "centered").
st.set_page_config(page_title="Staff dashboard")
staff = access.current()
if staff is None:
    st.error("Sign in first.")
    st.stop()

title, who, leave = st.columns([4, 2, 1], vertical_alignment="center")
title.title("Staff dashboard")
who.caption(escape(f"Signed in as {staff.email} ({staff.role})"))  # an e-mail is not Markdown
leave.button("Sign out", key=access.LOGOUT, on_click=access.sign_out)
idle.watch()
tables.no_csv_buttons()

content = loading.load()
db = store()
if isinstance(content, loading.Unavailable) or db is None:
    st.error("The database or the content files cannot be read right now. See the server log.")
    st.stop()

today = datetime.now(UTC).date()
names = ["Contact requests", "Statistics", "Outreach links"]
if staff.may("export"):
    names.insert(2, "Downloads")
if staff.may("accounts"):
    names += ["Audit trail", "Accounts"]
tabs = dict(zip(names, st.tabs(names), strict=True))
with tabs["Contact requests"]:
    requests.show(db, staff, content.questionnaire, content.clinic)
with tabs["Statistics"]:
    statistics_tab.show(db, content.questionnaire, content.clinic, today)
if "Downloads" in tabs:
    with tabs["Downloads"]:
        requests.downloads(db, staff, today)
        fhir_downloads.show(db, staff, content.questionnaire, content.clinic, today)
with tabs["Outreach links"]:
    outreach.show(content.clinic)
if "Audit trail" in tabs:
    with tabs["Audit trail"]:
        audit_tab.show(db, staff, today, content.clinic.timezone)
    with tabs["Accounts"]:
        accounts_tab.show(db)
