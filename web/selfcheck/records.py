"""The self-check's edge to storage: first-party funnel counts, anonymous screenings, contact
requests (the shared database handle is web/common/database.py).

Counting must never stand between a person and their result: counts are written in the
background, and a database failure while counting is logged (without any answer or detail).
Only a contact request reports a failure to the person, because they must know it was not saved.
"""

from __future__ import annotations

import hashlib
import json
import logging

import streamlit as st

from screening.errors import StorageError
from screening.questionnaire.rules import Result
from screening.records.contact import ContactRequest
from screening.records.measurement import encode
from screening.records.storage import event_row, event_writer

from ..common.database import store
from . import contact_limits, state

log = logging.getLogger("screening.app")


def track(kind: str, lang: str, *, step: str | None = None, tier: str | None = None) -> None:
    """Count one funnel event once per visit (reruns of the same screen count nothing). The row
    is queued for the background writer: the page never waits for the count's commit."""
    seen: set[tuple[str, str | None, str | None]] = st.session_state[state.TRACKED]
    if (kind, step, tier) in seen:
        return
    db = store()
    if db is None:
        return
    row = event_row(
        kind,
        st.session_state[state.CHANNEL],
        lang,
        step=step,
        tier=tier,
        # The tab's token, not the visit's: "Start over" must not count the same funnel again.
        session=st.session_state[state.TAB],
    )
    event_writer.writer.put(db, row)
    seen.add((kind, step, tier))


LAST_SCREEN = "visit.last_step"  # the step index this tab showed last (for step_done)


def passed(step_ids: list[str], screen: object, lang: str) -> None:
    """Count "step_done" for the step this tab showed before, once it has moved forwards (to a
    later step or the result); going back counts nothing."""
    position = screen if isinstance(screen, int) else None
    if screen == state.RESULT:
        position = len(step_ids)
    last = st.session_state.get(LAST_SCREEN)
    if isinstance(last, int) and position is not None and last < position:
        track("step_done", lang, step=step_ids[last])
    on_a_step = position is not None and position < len(step_ids)
    st.session_state[LAST_SCREEN] = position if on_a_step else None


def flush_counts(timeout: float = 10.0) -> bool:
    """Wait until the queued funnel counts are written (for readers that need them now)."""
    return event_writer.writer.flush(timeout)


def _screening_key(result: Result) -> str:
    # One row per visit and answer set: a page rerun or a second look saves nothing new.
    answers = json.dumps(result.answers, sort_keys=True, default=list)
    raw = f"{st.session_state[state.VISIT]} {answers}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def keep_screening(result: Result, lang: str) -> int | None:
    """Save the completed screening without any identifier, once per visit and answer set."""
    seen: set[object] = st.session_state[state.TRACKED]
    key = _screening_key(result)
    if ("kept", key, None) in seen:
        return None
    db = store()
    if db is None:
        return None
    try:
        saved = db.save_screening(
            result,
            st.session_state[state.CHANNEL],
            lang,
            idempotency_key=key,
            phone_measurements=encode(state.measurements()),
        )
    except StorageError as exc:
        log.error("could not keep a screening: %s", exc)
        return None
    seen.add(("kept", key, None))
    return saved


def save_contact(request: ContactRequest, result: Result, consent: str, lang: str) -> int:
    """Save a contact request with its screening; raises StorageError when it was not saved
    and LimitReached when this tab or address already sent its share this hour."""
    db = store()
    if db is None:
        raise StorageError("the database cannot be reached")
    channel = st.session_state[state.CHANNEL]
    screening_id = db.save_screening(
        result,
        channel,
        lang,
        idempotency_key=_screening_key(result),
        phone_measurements=encode(state.measurements()),
    )
    return db.save_contact(
        request,
        consent_text=consent,
        lang=lang,
        channel=channel,
        screening_id=screening_id,
        idempotency_key=st.session_state[state.CONTACT_KEY],
        quota=contact_limits.quota(),
    )
