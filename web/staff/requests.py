"""The dashboard's contact requests and CSV downloads.

Names, notes and channels were typed by the public: they are shown only in a dataframe (plain
text cells), never through Markdown or HTML, and exported only through csvexport (which stops a
spreadsheet from running a cell as a formula). Rows are read fresh on every run, never cached.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from screening.errors import StorageError
from screening.outputs.csvexport import to_csv
from screening.records.measurement import decode, lines
from screening.records.storage import CONTACT_COLUMNS, SCREENING_COLUMNS, Store

from . import access

log = logging.getLogger("screening.app")
SHOW_HANDLED = "staff.show_handled"
CHOSEN = "staff.handle_id"
MARK = "staff.mark_handled"
NOTICE = "staff.notice"  # the outcome of the last "mark as handled"
# Table column -> where it comes from in Store.contact_rows.
TABLE = {
    "id": "id",
    "received": "created_at",
    "status": "handled_at",
    "name": "name",
    "tier": "tier",
    "phone": "phone",
    "email": "email",
    "preferred way": "preferred_way",
    "preferred time": "preferred_time",
    "note": "note",
    "reasons": "reasons",
    "language": "lang",
    "source": "utm_source",
    "campaign": "utm_campaign",
    # What the person chose to share from the camera aid: a phone measurement, not a diagnosis.
    "phone camera check": "phone_measurements",
}


def when(value: object) -> str:
    """A stored time as text, in UTC to the minute."""
    if not isinstance(value, datetime):
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def phone_check(stored: object) -> str:
    """The shared camera-aid measurements as plain lines, or nothing."""
    found = decode(stored if isinstance(stored, str) else None)
    return " | ".join(f"{qid}: " + "; ".join(lines(m)) for qid, m in found.items())


def requests_table(rows: Sequence[Mapping[str, Any]], *, show_handled: bool) -> pd.DataFrame:
    """Contact requests newest first, every cell plain text (ids stay numbers)."""
    chosen = [r for r in rows if show_handled or r.get("handled_at") is None]
    chosen.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
    table: dict[str, list[object]] = {column: [] for column in TABLE}
    for row in chosen:
        for column, source in TABLE.items():
            value = row.get(source)
            if column == "id":
                table[column].append(int(row["id"]))
            elif column == "received":
                table[column].append(when(value))
            elif column == "phone camera check":
                table[column].append(phone_check(value))
            elif column == "status":
                table[column].append("open" if value is None else f"handled {when(value)}")
            else:
                table[column].append(_text(value))
    return pd.DataFrame(table).astype({"id": "int64"})


def show(db: Store) -> None:
    """The list of contact requests, and marking one as handled."""
    try:
        rows = db.contact_rows()
    except StorageError as exc:
        log.error("the dashboard could not read contact requests: %s", exc)
        st.error("The contact requests cannot be read right now. Try again in a minute.")
        return
    open_rows = [r for r in rows if r.get("handled_at") is None]
    st.caption(f"{len(open_rows)} open, {len(rows) - len(open_rows)} handled. Times are UTC.")
    st.checkbox("Show handled requests too", key=SHOW_HANDLED)
    table = requests_table(rows, show_handled=bool(st.session_state.get(SHOW_HANDLED)))
    if table.empty:
        st.text("No contact requests to show.")
    else:
        st.dataframe(table, hide_index=True, key="staff.requests")
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.text(notice)
    if not open_rows:
        return
    received = {int(r["id"]): when(r["created_at"]) for r in open_rows}
    choice, button = st.columns([3, 1], vertical_alignment="bottom")
    choice.selectbox(
        "Request",
        sorted(received, reverse=True),
        key=CHOSEN,
        format_func=lambda i: f"#{i}, received {received[i]}",
    )
    button.button("Mark as handled", key=MARK, on_click=_mark, args=(db,))


def _mark(db: Store) -> None:
    chosen = st.session_state.get(CHOSEN)
    if not isinstance(chosen, int):
        return
    try:
        found = db.mark_handled(chosen)
    except StorageError as exc:
        log.error("the dashboard could not mark a contact request: %s", exc)
        st.session_state[NOTICE] = "It could not be saved. Try again in a minute."
        return
    st.session_state[NOTICE] = (
        f"Request #{chosen} is marked as handled." if found else f"There is no request #{chosen}."
    )


def contacts_csv(db: Store) -> bytes:
    """Every contact request as formula-safe CSV (UTF-8 with a BOM, which Excel needs)."""
    return to_csv(db.contact_rows(), CONTACT_COLUMNS).encode("utf-8-sig")


def screenings_csv(db: Store) -> bytes:
    """Every kept anonymous screening as formula-safe CSV."""
    return to_csv(db.screening_rows(), SCREENING_COLUMNS).encode("utf-8-sig")


def downloads(db: Store, today: date) -> None:
    """Download buttons; the files are built only when clicked (no copy sits in memory)."""
    st.text(
        "Contact requests hold names and contact details: keep the file on the clinic's "
        "computers and delete it when done."
    )
    st.download_button(
        "Download contact requests (CSV)",
        data=access.export(lambda: contacts_csv(db)),
        file_name=f"contact-requests-{today.isoformat()}.csv",
        mime="text/csv",
        key="staff.download_contacts",
        on_click="ignore",
    )
    st.download_button(
        "Download anonymous screenings (CSV)",
        data=access.export(lambda: screenings_csv(db)),
        file_name=f"screenings-{today.isoformat()}.csv",
        mime="text/csv",
        key="staff.download_screenings",
        on_click="ignore",
    )
