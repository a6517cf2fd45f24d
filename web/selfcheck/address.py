"""Each screen its own entry in the browser's history, so the phone's Back button goes to the
previous step and Forward comes back, instead of leaving the check.

The address names the screen by its step id (`?step=about_you`, `?step=result`; none on the
welcome screen) and carries the resume id (web/selfcheck/resume.py); never an answer. When this
session changes the screen, it writes the new address and Streamlit's page adds a history entry
for it (history.pushState). When the browser goes Back or Forward, Streamlit runs the script
again with that entry's address: the screen it names is shown if the answers reach it.
"""

from __future__ import annotations

import streamlit as st

from screening.questionnaire import rules
from screening.questionnaire.models import Questionnaire

from . import resume, state

STEP = "step"
LANG = "lang"  # written by the language switch (state.on_language)
SHOWN = "address.shown"  # the (step, resume id, language) of the address this session last saw


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


def write(q: Questionnaire) -> None:
    """Put the current screen and resume id in the address (one history entry per change).
    Other parameters (the language, the link's channel) stay as they are."""
    want = (name(q, state.screen()), resume.current_id())
    params = st.query_params
    st.session_state[SHOWN] = (*want, params.get(LANG))
    if (params.get(STEP), params.get(resume.PARAM)) == want:
        return
    kept = {k: params.get_all(k) for k in params if k not in (STEP, resume.PARAM)}
    new: dict[str, str | list[str]] = {k: v for k, v in kept.items()}
    if want[0] is not None:
        new[STEP] = want[0]
    if want[1] is not None:
        new[resume.PARAM] = want[1]
    params.from_dict(new)  # one message, so one history entry
