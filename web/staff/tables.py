"""The dashboard's tables without their own "Download as CSV": Streamlit's table toolbar saves
what a table shows as a file in the browser, for any role and with no audit row. Exports are the
Downloads tab's (admins, one audit row per file; web/staff/access.export). What is on the screen
can still be copied or photographed: this closes the one-click export, not the screen."""

from __future__ import annotations

import streamlit as st

_STYLE = """<style>
[data-testid=stElementToolbarButton]:has(button[aria-label="Download as CSV"]) { display: none; }
</style>"""


def no_csv_buttons() -> None:
    st.html(_STYLE)  # style-only HTML takes no space on the page
