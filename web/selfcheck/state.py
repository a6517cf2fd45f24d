"""The one owner of session-state keys. Session state is not storage: it lives only while the
person has the page open.

Screens: "welcome", a step index (0, 1, ...), or "result". Answers live in one dict keyed by
question id; widgets use `q.<id>` keys and are re-seeded from that dict when a step is shown
again (Streamlit forgets the state of widgets that were not drawn).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

import streamlit as st

from screening.questionnaire import rules
from screening.questionnaire.choices import keep_exclusive
from screening.questionnaire.models import LANGUAGES, Question, Questionnaire
from screening.records.channel import read_channel
from screening.records.measurement import Measurement

log = logging.getLogger("screening.app")

SCREEN = "screen"
ANSWERS = "answers"
MISSING = "missing"
BLOCKED = "blocked"  # how many times Next found missing answers (the page scrolls up to say so)
LANG = "ui.lang"
VISIT = "visit.token"  # random, in memory only: a new one on "Start over"
TAB = "visit.tab"  # random, for the tab's whole life: "Start over" keeps it (counts, limits)
CHANNEL = "visit.channel"  # utm_* of the first page view
TRACKED = "visit.tracked"  # funnel events already counted in this visit
CONTACT_KEY = "contact.key"  # idempotency key: a double submit stores one request
CONTACT_ERRORS = "contact.errors"  # field -> problem codes of the last refused submit
CONTACT_TRIES = "contact.tries"  # refused submits so far (each moves focus to the problems)
CONTACT_DONE = "contact.done"  # the request was saved (the form is replaced by a thank-you)
CONTACT_FAILED = "contact.failed"  # the database refused it: say so, show the phone
CONTACT_LIMITED = "contact.limited"  # too many requests this hour: say so, show the phone
# The camera aid: its switch per question, and the phone measurements the person chose to share
# (question id -> screening.records.measurement.Measurement). Never in the address or a log.
MIRROR_PREFIX = "mirror."
MEASUREMENTS = "mirror.measurements"
WELCOME = "welcome"
RESULT = "result"


def widget_key(question_id: str) -> str:
    return f"q.{question_id}"


def init(default_lang: str, query: Mapping[str, Any]) -> None:
    """Set every key once per session; ?lang= chooses the first language."""
    ss = st.session_state
    if LANG not in ss:
        wanted = query.get("lang")
        ss[LANG] = wanted if wanted in LANGUAGES else default_lang
    ss.setdefault(SCREEN, WELCOME)
    ss.setdefault(ANSWERS, {})
    ss.setdefault(MISSING, [])
    ss.setdefault(MEASUREMENTS, {})
    if CHANNEL not in ss:
        ss[CHANNEL] = read_channel(query)
    if TAB not in ss:
        ss[TAB] = secrets.token_hex(16)
    _new_visit()


def _new_visit(force: bool = False) -> None:
    ss = st.session_state
    if force or VISIT not in ss:
        ss[VISIT] = secrets.token_hex(16)
        ss[TRACKED] = set()
        ss[CONTACT_KEY] = secrets.token_hex(16)
        ss[CONTACT_ERRORS] = {}
        ss[CONTACT_DONE] = None
        ss[CONTACT_FAILED] = False
        ss[CONTACT_LIMITED] = False


def mirror_key(question_id: str) -> str:
    """The camera aid's switch on one question."""
    return f"{MIRROR_PREFIX}open.{question_id}"


def mirror_view_key(question_id: str) -> str:
    return f"{MIRROR_PREFIX}view.{question_id}"


def measurements() -> dict[str, Measurement]:
    value: dict[str, Measurement] = st.session_state.setdefault(MEASUREMENTS, {})
    return value


def keep_measurement(question_id: str, measurement: Measurement) -> None:
    measurements()[question_id] = measurement


def lang() -> str:
    value = st.session_state.get(LANG)
    return value if value in LANGUAGES else "en"


def screen() -> str | int:
    value: str | int = st.session_state[SCREEN]
    return value


def answers() -> dict[str, Any]:
    value: dict[str, Any] = st.session_state[ANSWERS]
    return value


def view_id() -> tuple[object, int]:
    """Changes when a new screen is shown, or when Next is refused on the same one."""
    return screen(), int(st.session_state.get(BLOCKED, 0))


def missing() -> list[str]:
    value: list[str] = st.session_state[MISSING]
    return value


def seed_widget(question: Question) -> None:
    """Give a widget back its answer after Streamlit dropped it (a step shown again)."""
    key = widget_key(question.id)
    stored = answers().get(question.id)
    if key not in st.session_state and stored is not None:
        st.session_state[key] = list(stored) if question.multiple else stored


def on_answer(q: Questionnaire, question: Question) -> None:
    """Widget callback: keep the answer; an answer that makes the tier interrupt ends at once."""
    value = _checked(question, st.session_state.get(widget_key(question.id)))
    if question.multiple and isinstance(value, list):
        value = keep_exclusive(question, answers().get(question.id) or [], value)
        st.session_state[widget_key(question.id)] = value
    if value is None:
        answers().pop(question.id, None)
    else:
        answers()[question.id] = value
    if question.id in missing():
        missing().remove(question.id)
    if rules.interrupting_tier(q, answers()) is not None:
        st.session_state[SCREEN] = RESULT


def _checked(question: Question, value: object) -> Any:
    """The answer if it is among the question's options; anything else is dropped here, before
    it reaches the answers or the rules. Streamlit passes on whatever label a client sends, so
    a forged one arrives as plain text. The log names neither the value nor the question."""
    allowed = set(question.option_ids)
    kept: list[str] | str | None
    if question.multiple:
        chosen = value if isinstance(value, list) else []
        kept = [v for v in chosen if isinstance(v, str) and v in allowed]
        forged = len(kept) != len(chosen) or not isinstance(value, (list, type(None)))
    else:
        kept = value if isinstance(value, str) and value in allowed else None
        forged = value is not None and kept is None
    if forged:
        log.warning("an answer that is not one of the question's options was dropped")
        st.session_state[widget_key(question.id)] = kept
    return kept


def start() -> None:
    st.session_state[SCREEN] = 0


def go(target: str | int) -> None:
    """Show another screen (the browser went Back or Forward to it)."""
    st.session_state[SCREEN] = target
    st.session_state[MISSING] = []


def next_step(q: Questionnaire) -> None:
    """Button callback: go on if this step is answered, else mark what is missing."""
    current = screen()
    if not isinstance(current, int):
        return
    step = q.steps[current]
    state = rules.progress(q, answers())
    here = [qid for qid in state.missing if qid in {x.id for x in step.questions}]
    if here:
        st.session_state[MISSING] = here
        st.session_state[BLOCKED] = st.session_state.get(BLOCKED, 0) + 1
        return
    st.session_state[MISSING] = []
    following = rules.step_after(q, answers(), current)
    st.session_state[SCREEN] = RESULT if following is None else following


def before(q: Questionnaire) -> str | int | None:
    """The screen the step's Back goes to: the step before that these answers show; from the
    result, the last step reached; None on the welcome screen."""
    current = screen()
    if current == RESULT:
        reached = rules.progress(q, answers()).steps_reached
        ids = [s.id for s in q.steps]
        return ids.index(reached[-1]) if reached else 0
    if isinstance(current, int):
        earlier = rules.step_before(q, answers(), current)
        return WELCOME if earlier is None else earlier
    return None


def back(q: Questionnaire) -> None:
    """Button callback: one step back (`before`)."""
    target = before(q)
    st.session_state[MISSING] = []
    if target is not None:
        st.session_state[SCREEN] = target


def restart() -> None:
    """Button callback: forget every answer; keep the language."""
    for key in [
        k for k in st.session_state if str(k).startswith(("q.", "contact.", MIRROR_PREFIX))
    ]:
        del st.session_state[key]
    st.session_state[MEASUREMENTS] = {}
    _new_visit(force=True)
    st.session_state[ANSWERS] = {}
    st.session_state[MISSING] = []
    st.session_state[SCREEN] = WELCOME


def on_language() -> None:
    """Keep the chosen language in the address so a reload stays in it (never answers).

    A radio's value travels between browser and server as its displayed text, so after a switch
    the browser would send "Yes" where the options now read "Sí" and the answer would be lost.
    Dropping the widgets' state makes the step re-seed them from the answers dict instead."""
    st.query_params["lang"] = lang()
    for key in [k for k in st.session_state if str(k).startswith(widget_key(""))]:
        del st.session_state[key]
