"""The first screen: what this is and is not, how long, Start, then privacy and who runs it."""

from __future__ import annotations

import streamlit as st

from ..common.content import Content
from ..common.text import escape, help_line, paragraph, say
from . import state


def show(content: Content, lang: str) -> None:
    ui = content.questionnaire.ui
    st.title(escape(say(content, ui.welcome_title, lang)))
    paragraph(say(content, ui.welcome_body, lang))
    st.warning(escape(say(content, ui.welcome_not, lang)))
    paragraph(say(content, ui.welcome_time, lang))
    # Start inside a phone's first screen (390x844): the way on before the small print, which
    # stays on this screen, right below it.
    st.button(
        ui.start.get(lang),
        key="nav.start",
        type="primary",
        on_click=state.start,
        use_container_width=True,
    )
    kept = content.clinic.store_anonymous_screenings
    st.caption(escape(say(content, ui.privacy_note_kept if kept else ui.privacy_note, lang)))
    st.caption(escape(say(content, ui.run_by, lang)))
    help_line(content, lang)
