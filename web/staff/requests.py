"""The dashboard's contact requests as a front desk works them: who to call next, the person's
result and answers beside their request, tap-to-call and tap-to-text, call attempts with an
outcome and a note, marking handled, and (admins) forgetting a person and the CSV downloads.

Names, notes and channels were typed by the public, and call notes by staff: they are shown only
as plain text (st.text, dataframe cells), never through Markdown or HTML, and exported only
through csvexport (which stops a spreadsheet from running a cell as a formula). Times are in the
clinic's time zone (clinic.yaml `timezone`). Rows are read fresh on every run, never cached.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from screening.errors import StorageError
from screening.outputs.csvexport import to_csv
from screening.outputs.summary import sms_link, tel_link
from screening.questionnaire.models import Clinic, Questionnaire
from screening.records import callback
from screening.records.contact import readable_phone
from screening.records.measurement import decode, lines
from screening.records.storage import CONTACT_COLUMNS, SCREENING_COLUMNS, Entry, Store, StoredCalls

from ..common.text import escape
from . import access
from .access import Staff
from .person import person, prefers, tier_words

log = logging.getLogger("screening.app")
SHOW_HANDLED = "staff.show_handled"
CHOSEN = "staff.handle_id"
MARK = "staff.mark_handled"
NOTICE = "staff.notice"  # the outcome of the last mark, call attempt or forget
OUTCOME = "staff.call_outcome"
CALL_NOTE = "staff.call_note"
SAVE_CALL = "staff.call_save"
FORGET_ID = "staff.forget_id"
FORGET_SURE = "staff.forget_sure"
FORGET = "staff.forget"
VIEWED = "staff.viewed"  # the list last recorded as viewed in the audit trail
# "phone camera check": what the person chose to share from the camera aid, a phone
# measurement and not a diagnosis.
# The first columns are what a phone shows before scrolling sideways: who, their result, how
# long they have waited.
TABLE_COLUMNS = ("request", "name", "result", "waiting", "calls", "prefers", "phone", "e-mail",
                 "received", "status", "phone camera check")  # fmt: skip


def when(value: object, zone: tzinfo = UTC) -> str:
    """A stored time as text to the minute, in `zone` (named: "2026-03-02 09:15 CST")."""
    if not isinstance(value, datetime):
        return ""
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _calls(attempts: Sequence[Mapping[str, Any]]) -> str:
    """"2, last: Left a message", or "" before the first try."""
    if not attempts:
        return ""
    last = callback.OUTCOMES.get(str(attempts[-1]["outcome"]), "")
    return f"{len(attempts)}, last: {last}"


def phone_check(stored: object) -> str:
    """The shared camera-aid measurements as plain lines, or nothing."""
    found = decode(stored if isinstance(stored, str) else None)
    return " | ".join(f"{qid}: " + "; ".join(lines(m)) for qid, m in found.items())


def requests_table(
    rows: Sequence[Mapping[str, Any]],
    q: Questionnaire,
    clinic: Clinic,
    attempts: Mapping[int, Sequence[Mapping[str, Any]]],
    now: datetime,
) -> pd.DataFrame:
    """The given requests in the given order, every cell plain words (the number stays a
    number)."""
    zone = ZoneInfo(clinic.timezone)
    table: dict[str, list[object]] = {column: [] for column in TABLE_COLUMNS}
    for row in rows:
        handled = row.get("handled_at")
        table["request"].append(int(row["id"]))
        table["waiting"].append("" if handled else callback.waited(row["created_at"], now))
        table["received"].append(when(row["created_at"], zone))
        table["name"].append(_text(row.get("name")))
        table["result"].append(tier_words(q, clinic, row.get("tier")))
        table["prefers"].append(prefers(row.get("preferred_way"), row.get("preferred_time")))
        table["phone"].append(readable_phone(_text(row.get("phone"))))
        table["e-mail"].append(_text(row.get("email")))
        table["calls"].append(_calls(attempts.get(int(row["id"]), ())))
        table["status"].append("open" if handled is None else f"handled {when(handled, zone)}")
        table["phone camera check"].append(phone_check(row.get("phone_measurements")))
    return pd.DataFrame(table).astype({"request": "int64"})


def show(db: Store, staff: Staff, q: Questionnaire, clinic: Clinic) -> None:
    """The work list, the chosen request beside the person's answers, and what can be done."""
    try:
        rows = db.contact_rows()
        attempts: dict[int, list[dict[str, Any]]] = {}
        for attempt in StoredCalls(db.engine).attempts():
            attempts.setdefault(int(attempt["contact_id"]), []).append(attempt)
    except StorageError as exc:
        log.error("the dashboard could not read contact requests: %s", exc)
        st.error("The contact requests cannot be read right now. Try again in a minute.")
        return
    now = datetime.now(UTC)
    queue = callback.next_to_call(rows, [t.id for t in q.tiers])
    handled = sorted(
        (r for r in rows if r.get("handled_at") is not None),
        key=lambda r: (r["handled_at"], r["id"]),
        reverse=True,
    )
    st.caption(
        f"{len(queue)} open, {len(handled)} handled. Next to call first: the most pressing "
        f"result, then whoever has waited longest. Times are {clinic.timezone} time."
    )
    st.checkbox("Show handled requests too", key=SHOW_HANDLED)
    shown = [*queue, *(handled if st.session_state.get(SHOW_HANDLED) else [])]
    if shown:
        table = requests_table(shown, q, clinic, attempts, now)
        st.dataframe(table, hide_index=True, key="staff.requests")
    else:
        st.text("No contact requests to show.")
    _viewed(staff, [int(r["id"]) for r in shown])
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.text(notice)
    if shown:
        _one_request(db, q, clinic, shown, attempts)
    if staff.may("forget") and rows:
        zone = ZoneInfo(clinic.timezone)
        _forget_form(
            db, {int(r["id"]): f"{_text(r.get('name'))}, received {when(r['created_at'], zone)}"
                 for r in rows}
        )  # fmt: skip


def _one_request(
    db: Store,
    q: Questionnaire,
    clinic: Clinic,
    shown: Sequence[Mapping[str, Any]],
    attempts: Mapping[int, Sequence[Mapping[str, Any]]],
) -> None:
    """The chosen request (the next to call unless another is picked), as a card."""
    zone = ZoneInfo(clinic.timezone)
    by_id = {int(r["id"]): r for r in shown}
    # The name too (plain text in a picker): the person on the phone is known by it.
    labels = {
        i: f"#{i} {_text(r.get('name'))}, {tier_words(q, clinic, r.get('tier'))}, "
        f"received {when(r['created_at'], zone)}"
        for i, r in by_id.items()
    }
    if st.session_state.get(CHOSEN) not in by_id:
        st.session_state.pop(CHOSEN, None)  # handled or forgotten since: back to the first
    chosen = st.selectbox("Request", list(by_id), key=CHOSEN, format_func=labels.__getitem__)
    row = by_id.get(int(chosen)) if chosen is not None else None
    if row is None:
        return
    request_id = int(row["id"])
    left, right = st.columns([1, 1])
    with left:
        st.subheader(f"Request #{request_id}")
        st.text(f"Name: {_text(row.get('name'))}")
        said = prefers(row.get("preferred_way"), row.get("preferred_time"))
        st.text(f"Would like: {said or 'no preference given'}")
        st.text(f"Language: {'Spanish' if row.get('lang') == 'es' else 'English'}")
        if row.get("note"):
            st.text(f"Their note: {row['note']}")
        phone, email = row.get("phone"), row.get("email")
        if phone:
            call, text = st.columns(2)
            # The number was checked and stored as +digits: safe in a label and a link.
            call.link_button(
                f"Call {readable_phone(str(phone))}", tel_link(str(phone)), icon=":material/call:"
            )
            text.link_button("Text", sms_link(str(phone)), icon=":material/sms:")
        if email:
            st.text(f"E-mail: {email}")
            st.link_button("Write an e-mail", f"mailto:{email}", icon=":material/mail:")
        _attempt_form(db, request_id, row.get("handled_at") is None)
        history = attempts.get(request_id, ())
        if history:
            # Lines, not a table: on a phone a table's later columns (the note) sit off-screen.
            st.markdown("**Calls so far**")
            for a in history:
                outcome = callback.OUTCOMES.get(str(a["outcome"]), "")
                st.text(f"{when(a['at'], zone)}: {outcome}, by {a['staff']}")
                if a["note"]:
                    st.text(f"Note: {a['note']}")
    with right:
        _person(db, q, clinic, row)
        _phone_check(q, row)


def _person(db: Store, q: Questionnaire, clinic: Clinic, row: Mapping[str, Any]) -> None:
    screening_id = row.get("screening_id")
    try:
        screening = None if screening_id is None else db.screening_row(int(screening_id))
    except StorageError as exc:
        log.error("the dashboard could not read a screening: %s", exc)
        st.text("Their answers cannot be read right now.")
        return
    view = person(q, clinic, screening)
    if view is None:
        st.text("No answers were kept with this request.")
        return
    st.subheader("Their result")
    st.text(view.headline)
    st.text(view.summary)
    for line in view.why:
        st.text(f"• {line}")
    # Each answer as a line under its part's title (the PDF's groups), readable on a phone
    # where a table's answer column would sit off-screen.
    part = None
    for title, question, answer in view.answers:
        if title != part:
            st.markdown(f"**{escape(title)}**")  # the questionnaire's own words, escaped
            part = title
        st.text(f"{question} — {answer}")


# Under the person's answers, when they shared what the camera aid measured: what it is and
# what it is not (docs/CLINICAL-SAFETY.md, H21).
PHONE_CHECK_TITLE = "Phone camera check"
PHONE_CHECK_NOTE = (
    "Measured on their own phone by the camera aid, and shared by them: eye opening (lid gap / "
    "eye width) and mouth-corner lift, right/left. A rough phone measurement, not a diagnosis; "
    "their result does not use it."
)


def _phone_check(q: Questionnaire, row: Mapping[str, Any]) -> None:
    stored = row.get("phone_measurements")
    found = decode(stored if isinstance(stored, str) else None)
    if not found:
        return
    st.subheader(PHONE_CHECK_TITLE)
    st.text(PHONE_CHECK_NOTE)
    known = {question.id: question for question in q.questions()}
    for qid, measured in found.items():
        asked = known[qid].short.get("en") if qid in known else qid
        st.text(f"{asked}: " + "; ".join(lines(measured)))


def _attempt_form(db: Store, request_id: int, still_open: bool) -> None:
    with st.form("staff.call_form", clear_on_submit=True):
        st.radio(
            "What did the call come to?",
            list(callback.OUTCOMES),
            format_func=callback.OUTCOMES.__getitem__,
            index=None,
            key=OUTCOME,
            horizontal=True,
        )
        st.text_area("Note (optional)", key=CALL_NOTE, max_chars=callback.NOTE_MAX, height=80)
        st.form_submit_button(
            "Save call attempt", key=SAVE_CALL, on_click=_attempt, args=(db, request_id)
        )
    if still_open:
        st.button("Mark as handled", key=MARK, on_click=_mark, args=(db, request_id))


def _attempt(db: Store, request_id: int) -> None:
    staff = access.allowed("call")  # checked when it runs, whatever the page showed
    outcome = st.session_state.get(OUTCOME)
    note = str(st.session_state.get(CALL_NOTE) or "")
    if staff is None:
        return
    problem = callback.outcome_problem(str(outcome), note)
    if problem:
        st.session_state[NOTICE] = problem
        return
    entry = Entry(staff.email, "call_attempt", address=access.address())
    try:
        found = StoredCalls(db.engine).record(request_id, str(outcome), note, entry)
    except StorageError as exc:
        log.error("the dashboard could not save a call attempt: %s", exc)
        st.session_state[NOTICE] = "The call attempt could not be saved. Try again in a minute."
        return
    words = callback.OUTCOMES[str(outcome)]
    closed = " The request is handled." if outcome in callback.CLOSING else ""
    st.session_state[NOTICE] = (
        f"Saved for request #{request_id}: {words}.{closed}"
        if found
        else f"There is no request #{request_id}."
    )


def _viewed(staff: Staff, shown: list[int]) -> None:
    """One audit row each time this session is shown a different list (not on every rerun)."""
    digest = ",".join(map(str, shown))
    if st.session_state.get(VIEWED) == digest:
        return
    if access.record(staff, "view_requests", row_count=len(shown)):
        st.session_state[VIEWED] = digest


def _mark(db: Store, request_id: int) -> None:
    staff = access.allowed("call")
    if staff is None:
        return
    entry = Entry(staff.email, "mark_handled", target=f"contact request {request_id}",
                  address=access.address())  # fmt: skip
    try:
        found = db.mark_handled(request_id, audit=entry)
    except StorageError as exc:
        log.error("the dashboard could not mark a contact request: %s", exc)
        st.session_state[NOTICE] = "It could not be saved. Try again in a minute."
        return
    st.session_state[NOTICE] = (
        f"Request #{request_id} is marked as handled."
        if found
        else f"There is no request #{request_id}."
    )


def _forget_form(db: Store, received: dict[int, str]) -> None:
    """Delete one person's request and screening, as `python -m screening forget` does."""
    # received: request id -> "name, received <time>", so the right person is picked.
    with st.expander("Forget a person (delete their request and screening)"):
        st.text(
            "For a person who asks to be forgotten. This deletes their contact request, its "
            "call notes and the screening it came with, for good; the audit trail keeps only "
            "the number."
        )
        st.selectbox(
            "Request to delete",
            sorted(received, reverse=True),
            key=FORGET_ID,
            format_func=lambda i: f"#{i} {received[i]}",
        )
        st.checkbox("Yes, delete it for good", key=FORGET_SURE)
        st.button("Forget this person", key=FORGET, on_click=_forget, args=(db,))


def _forget(db: Store) -> None:
    chosen = st.session_state.get(FORGET_ID)
    staff = access.allowed("forget")  # checked here too: a forged click does nothing
    if staff is None or not isinstance(chosen, int):
        return
    if not st.session_state.get(FORGET_SURE):
        st.session_state[NOTICE] = 'Tick "Yes, delete it for good" first.'
        return
    entry = Entry(staff.email, "forget", target=f"contact request {chosen}",
                  address=access.address())  # fmt: skip
    try:
        found = db.forget_contact(chosen, audit=entry)
    except StorageError as exc:
        log.error("the dashboard could not forget a contact request: %s", exc)
        st.session_state[NOTICE] = "It could not be deleted. Try again in a minute."
        return
    st.session_state[FORGET_SURE] = False
    st.session_state[NOTICE] = (
        f"Request #{chosen} and its screening are deleted."
        if found
        else f"There is no request #{chosen}."
    )


def contacts_csv(db: Store) -> tuple[bytes, int]:
    """Every contact request as formula-safe CSV (UTF-8 with a BOM, which Excel needs), and how
    many rows it holds."""
    rows = db.contact_rows()
    return to_csv(rows, CONTACT_COLUMNS).encode("utf-8-sig"), len(rows)


def screenings_csv(db: Store) -> tuple[bytes, int]:
    """Every kept anonymous screening as formula-safe CSV, and how many rows it holds."""
    rows = db.screening_rows()
    return to_csv(rows, SCREENING_COLUMNS).encode("utf-8-sig"), len(rows)


def downloads(db: Store, staff: Staff, today: date) -> None:
    """Download buttons; the files are built only when clicked (no copy sits in memory)."""
    st.text(
        "Contact requests hold names and contact details: keep the file on the clinic's "
        "computers and delete it when done."
    )
    st.download_button(
        "Download contact requests (CSV)",
        data=access.export(staff, "contact requests (CSV)", lambda: contacts_csv(db)),
        file_name=f"contact-requests-{today.isoformat()}.csv",
        mime="text/csv",
        key="staff.download_contacts",
        on_click="ignore",
    )
    st.download_button(
        "Download anonymous screenings (CSV)",
        data=access.export(staff, "anonymous screenings (CSV)", lambda: screenings_csv(db)),
        file_name=f"screenings-{today.isoformat()}.csv",
        mime="text/csv",
        key="staff.download_screenings",
        on_click="ignore",
    )
