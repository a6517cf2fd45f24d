"""The self-check page: language choice, then the screen the session is on.

A function, not a page file: app.py registers it with st.Page(show), so each rerun neither
resolves a page path nor executes a module afresh (bench/RESULTS.md, the rerun profile)."""

from __future__ import annotations

import streamlit as st

from web.common import browser
from web.common import content as loading
from web.selfcheck import address, records, result, resume, state, step, welcome


def show() -> None:
    content = loading.load()
    if isinstance(content, loading.Unavailable):  # app.py shows this case first
        loading.show_unavailable(content)
        st.stop()
    q = content.questionnaire

    fresh = state.SCREEN not in st.session_state  # a new tab, a reload, a lost session
    state.init(content.clinic.default_language, st.query_params)
    if fresh:
        resume.restore(q, content.clinic.languages)
    # Back or Forward in the browser
    address.follow(q, content.clinic.languages, content.clinic.default_language)
    resume.keep()
    address.write(q)
    st.radio(
        q.ui.language_label.get(state.lang()),
        list(content.clinic.languages),
        index=None,  # the value comes from session state (set from ?lang= or the clinic default)
        format_func={"en": "English", "es": "Español"}.get,
        key=state.LANG,
        horizontal=True,
        # "English / Español" speak for themselves; screen readers still get the label
        label_visibility="collapsed",
        on_change=state.on_language,
    )
    lang = state.lang()
    screen = state.screen()
    browser.style()
    browser.sync(
        lang, state.view_id(), q.ui.reconnecting.get(lang), address.browser_back_from(q)
    )
    if isinstance(screen, int) and 0 <= screen < len(q.steps):
        if screen == 0:
            records.track("started", lang)
        records.track("step_reached", lang, step=q.steps[screen].id)
    records.passed([s.id for s in q.steps], screen, lang)

    if screen == state.WELCOME:
        welcome.show(content, lang)
    elif screen == state.RESULT:
        result.show(content, lang)
    elif isinstance(screen, int) and 0 <= screen < len(q.steps):
        step.show(content, screen, lang)
    else:  # an impossible screen (e.g. content changed under a session): begin again
        state.restart()
        st.rerun()
