"""The audit trail on the dashboard (admins): the newest rows, and the whole trail as CSV for the
clinic's compliance officer. The cells are the app's own words, account e-mails and addresses,
shown only in a dataframe (plain text); the CSV goes through csvexport (formula-safe)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from screening.errors import StorageError
from screening.outputs.csvexport import to_csv
from screening.records.storage import ACTIONS, AUDIT_COLUMNS, AuditTrail, Store

from . import access
from .access import Staff
from .requests import when

log = logging.getLogger("screening.app")
SHOWN = 200  # the newest rows on screen; the CSV has them all


def audit_table(rows: Sequence[Mapping[str, Any]], zone: tzinfo) -> pd.DataFrame:
    """Rows as plain text in the staff's words (newest first, as given), times in `zone` (the
    clinic's, as on the requests list; the CSV keeps the stored UTC times)."""
    return pd.DataFrame(
        {
            "when": [when(r["at"], zone) for r in rows],
            "who": [str(r["actor"]) for r in rows],
            "what": [ACTIONS.get(str(r["action"]), str(r["action"])) for r in rows],
            "record": [str(r["target"] or "") for r in rows],
            "rows": ["" if r["row_count"] is None else str(r["row_count"]) for r in rows],
            "detail": [str(r["detail"] or "") for r in rows],
            "from": [str(r["address"] or "") for r in rows],
        }
    )


def trail_csv(db: Store) -> tuple[bytes, int]:
    """The whole trail, oldest first, as formula-safe CSV."""
    rows = list(reversed(AuditTrail(db.engine).rows()))
    return to_csv(rows, AUDIT_COLUMNS).encode("utf-8-sig"), len(rows)


def show(db: Store, staff: Staff, today: date, timezone: str) -> None:
    st.text(
        f"Who signed in, looked at or downloaded what, and every change, newest first "
        f"({timezone} time). Nothing here can be edited or deleted from the app."
    )
    try:
        rows = AuditTrail(db.engine).rows(limit=SHOWN)
    except StorageError as exc:
        log.error("the dashboard could not read the audit trail: %s", exc)
        st.error("The audit trail cannot be read right now. Try again in a minute.")
        return
    st.dataframe(audit_table(rows, ZoneInfo(timezone)), hide_index=True, key="staff.audit")
    st.download_button(
        "Download the audit trail (CSV)",
        data=access.export(staff, "audit trail (CSV)", lambda: trail_csv(db), "accounts"),
        file_name=f"audit-trail-{today.isoformat()}.csv",
        mime="text/csv",
        key="staff.download_audit",
        on_click="ignore",
    )
