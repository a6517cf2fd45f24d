"""Nothing lost on a phone: the session's place in the check (screen, language, answers) kept in
the database under a random resume id that only the page's address holds (`?resume=`), so a
reload, a return after a locked screen (Streamlit forgets a session 2 minutes after its
connection drops) or another replica goes on where the person was.

Kept from the first step on, rewritten whenever the place changes, and deleted on "Start over"
and once a contact request is sent: the check is then finished, and a place must never sit next
to contact details. Otherwise it is gone 30 minutes after the last change and 2 hours after the
first (settings resume_idle_seconds, resume_keep_seconds). Never logged: the id, the answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

import streamlit as st

from screening.errors import StorageError
from screening.questionnaire import rules
from screening.questionnaire.models import LANGUAGES, Questionnaire
from screening.records.storage.resume import is_id, new_id, writer

from ..common.database import resume_points
from . import state

log = logging.getLogger("screening.app")

PARAM = "resume"  # the address's query parameter
ID = "resume.id"  # this visit's resume id, None before the first step
KEPT = "resume.kept"  # the state last written (only a change is written again)
FINISHED = "resume.finished"  # a request was sent: nothing more is kept for this visit


def current_id() -> str | None:
    value = st.session_state.get(ID)
    return value if is_id(value) else None


def _visit_token(resume_id: str) -> str:
    # The visit token (which makes the anonymous screening's idempotency key) follows from the
    # resume id, so a screening kept before a reload is not kept twice after it. Only the
    # browser has the id: the database cannot join a place to a screening.
    return hashlib.sha256(f"visit {resume_id}".encode()).hexdigest()[:32]


def restore(q: Questionnaire, languages: tuple[str, ...]) -> None:
    """In a new session: take up the place kept under the address's resume id, if any."""
    wanted = st.query_params.get(PARAM)
    if not is_id(wanted):
        return
    points = resume_points()
    if points is None:
        return
    waiting, kept = writer.waiting(points, wanted)  # a reload within a moment of a change
    if not waiting:
        try:
            kept = points.load(wanted, time.time())
        except StorageError as exc:
            log.error("could not read a place in the check: %s", exc)
            return
    if kept is None:  # expired or unknown: a fresh start (the address is cleaned up later)
        return
    answers = _valid_answers(q, kept.get("answers"))
    ss = st.session_state
    ss[state.ANSWERS] = answers
    ss[state.SCREEN] = _valid_screen(q, answers, kept.get("screen"))
    lang = kept.get("lang")
    if lang in LANGUAGES and lang in languages:
        ss[state.LANG] = lang
    ss[state.TRACKED] = {
        (str(t[0]), t[1], t[2])
        for t in kept.get("tracked", [])
        if isinstance(t, list) and len(t) == 3 and t[0] != "kept"
    }
    ss[state.VISIT] = _visit_token(wanted)
    ss[ID] = wanted
    ss[KEPT] = _snapshot()


def keep() -> None:
    """Write the place if it changed since the last write; an empty check forgets it."""
    ss = st.session_state
    if ss.get(FINISHED):
        if state.screen() != state.WELCOME or state.answers():
            return
        ss[FINISHED] = False  # "Start over" after a sent request: a new visit may be kept
    snapshot = _snapshot()
    if snapshot == ss.get(KEPT):
        return
    if state.screen() == state.WELCOME and not state.answers():
        forget()  # nothing to go back to ("Start over" lands here)
        return
    points = resume_points()
    if points is None:
        return
    resume_id = current_id() or new_id()
    try:
        writer.put(points, resume_id, snapshot)  # written within a moment, without waiting
    except ValueError as exc:
        log.error("could not keep the place in the check: %s", exc)
        return
    if current_id() is None:
        ss[state.VISIT] = _visit_token(resume_id)
    ss[ID] = resume_id
    ss[KEPT] = snapshot


def forget() -> None:
    """Delete the place at once and stop keeping one for this visit's id."""
    ss = st.session_state
    resume_id = current_id()
    ss[ID] = None
    ss[KEPT] = None
    if resume_id is None:
        return
    points = resume_points()
    if points is not None:
        writer.put(points, resume_id, None)  # after any change of it still waiting


def finished() -> None:
    """A contact request was sent: the place is deleted and no longer kept."""
    forget()
    st.session_state[FINISHED] = True


def _snapshot() -> dict[str, Any]:
    tracked = sorted(
        [list(t) for t in st.session_state.get(state.TRACKED, set()) if t[0] != "kept"],
        key=json.dumps,
    )
    # A deep copy by value, in the form that is stored (lists, not tuples).
    value: dict[str, Any] = json.loads(
        json.dumps(
            {
                "screen": state.screen(),
                "lang": state.lang(),
                "answers": state.answers(),
                "tracked": tracked,
            },
            sort_keys=True,
        )
    )
    return value


def _valid_answers(q: Questionnaire, kept: object) -> dict[str, Any]:
    """Only answers that are still among the questionnaire's options (the content may have
    changed since they were kept)."""
    if not isinstance(kept, dict):
        return {}
    answers: dict[str, Any] = {}
    for question in q.questions():
        value = kept.get(question.id)
        allowed = set(question.option_ids)
        if question.multiple and isinstance(value, list):
            answers[question.id] = [v for v in value if isinstance(v, str) and v in allowed]
        elif not question.multiple and isinstance(value, str) and value in allowed:
            answers[question.id] = value
    return answers


def _valid_screen(q: Questionnaire, answers: dict[str, Any], kept: object) -> str | int:
    """The kept screen if these answers still reach it, else the last step they reach."""
    if kept == state.WELCOME:
        return state.WELCOME
    progress = rules.progress(q, answers)
    if kept == state.RESULT and progress.complete:
        return state.RESULT
    ids = [s.id for s in q.steps]
    if isinstance(kept, int) and 0 <= kept < len(ids) and ids[kept] in progress.steps_reached:
        return kept
    return ids.index(progress.steps_reached[-1]) if progress.steps_reached else state.WELCOME
