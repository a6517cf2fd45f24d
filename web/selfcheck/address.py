"""Each screen its own entry in the browser's history, so the phone's Back button goes to the
previous step and Forward comes back, instead of leaving the check.

The address names the screen by its step id (`?step=about_you`, `?step=result`; none on the
welcome screen) and carries the resume id (web/selfcheck/resume.py); never an answer. When this
session changes the screen, it writes the new address and Streamlit's page adds a history entry
for it (history.pushState). When the browser goes Back or Forward, Streamlit runs the script
again with that entry's address: the screen it names is shown if the answers reach it.

The step's own Back button is the browser's Back when the entry before is the step it goes to
(web/selfcheck/trail.py): the page's helper (web/common/browser.py) then calls history.back()
instead of sending the press, so the history stays one line of steps and the move is the one the
phone's Back makes. Otherwise (a reload, a new tab, a step skipped) the press goes to the server,
which adds an entry.
"""

from __future__ import annotations

import streamlit as st

from screening.questionnaire import rules
from screening.questionnaire.models import Questionnaire

from . import resume, state
from .trail import Entry, Trail

STEP = "step"
LANG = "lang"  # written by the language switch (state.on_language)
SHOWN = "address.shown"  # the (step, resume id, language) of the address this session last saw
TRAIL = "address.trail"  # the tab's history as this session knows it (a Trail)


def name(q: Questionnaire, screen: str | int) -> str | None:
    """The address's name for a screen: a step's id, "result", or None for the welcome."""
    if isinstance(screen, int):
        return q.steps[screen].id if 0 <= screen < len(q.steps) else None
    return "result" if screen == state.RESULT else None


def screen_of(q: Questionnaire, step: str | None) -> str | int | None:
    """The screen an address names; None for a name that is no screen."""
    if step is None:
        return state.WELCOME
    if step == "result":
        return state.RESULT
    ids = [s.id for s in q.steps]
    return ids.index(step) if step in ids else None


def reachable(q: Questionnaire, screen: str | int) -> bool:
    """Whether these answers lead to a screen: a step they have reached, or the result once
    they are complete. Forward to a step not yet answered up to is refused."""
    if screen == state.WELCOME:
        return True
    progress = rules.progress(q, state.answers())
    if screen == state.RESULT:
        return progress.complete
    return isinstance(screen, int) and q.steps[screen].id in progress.steps_reached


def follow(q: Questionnaire, languages: tuple[str, ...], default: str) -> None:
    """Show the screen the address names when the browser moved (Back, Forward, a reload)
    rather than this session: the address then differs from the one it last wrote. Going Back
    over a language switch switches back (an address without a language is the default's)."""
    _track()
    wanted, lang = st.query_params.get(STEP), st.query_params.get(LANG) or default
    shown = st.session_state.get(SHOWN)
    moved = shown is not None and lang != (shown[2] or default)
    if moved and lang in languages and lang != state.lang():
        st.session_state[state.LANG] = lang
        state.on_language()  # the answers' widgets drawn again in this language
    if shown is not None and wanted == shown[0]:
        return  # the address this session wrote: the screen may have moved on since
    target = screen_of(q, wanted)
    if target is None or target == state.screen() or not reachable(q, target):
        return  # the address is put right by `write`
    state.go(target)


def _here() -> Entry:
    return st.query_params.get(STEP), st.query_params.get(LANG)


def _track() -> None:
    """Follow the browser's place in the trail: Back, Forward, a language switch, a new tab."""
    trail = st.session_state.get(TRAIL)
    here = _here()
    st.session_state[TRAIL] = trail.seen(here) if isinstance(trail, Trail) else Trail.begin(here)


def browser_back_from(q: Questionnaire) -> str | None:
    """The address's step when the step's Back may be the browser's Back (the entry before is
    the screen Back goes to); None when the press must go to the server."""
    trail, target = st.session_state.get(TRAIL), state.before(q)
    here = _here()
    if not isinstance(trail, Trail) or target is None or here[0] is None or trail.here != here:
        return None
    return here[0] if trail.back_to((name(q, target), here[1])) is not None else None


def write(q: Questionnaire) -> None:
    """Put the current screen and resume id in the address (one history entry per change).
    Other parameters (the language, the link's channel) stay as they are."""
    want = (name(q, state.screen()), resume.current_id())
    params = st.query_params
    st.session_state[SHOWN] = (*want, params.get(LANG))
    if (params.get(STEP), params.get(resume.PARAM)) == want:
        return
    if want[0] is None and params.get(STEP) is None:
        return  # Back to the welcome entry: a new entry for the resume id would drop Forward
    kept = {k: params.get_all(k) for k in params if k not in (STEP, resume.PARAM)}
    new: dict[str, str | list[str]] = {k: v for k, v in kept.items()}
    if want[0] is not None:
        new[STEP] = want[0]
    if want[1] is not None:
        new[resume.PARAM] = want[1]
    params.from_dict(new)  # one message, so one history entry
    trail = st.session_state.get(TRAIL)
    if isinstance(trail, Trail):
        st.session_state[TRAIL] = trail.pushed(_here())
