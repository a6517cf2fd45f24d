"""Show catalogue texts literally: escape Markdown so no text can turn into a link or an image."""

from __future__ import annotations

import re

import streamlit as st

from screening.outputs.summary import fill, tel_link
from screening.questionnaire.models import Text

from .content import Content

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape(text: str) -> str:
    """Backslash-escape every Markdown (and Streamlit math/emoji) character."""
    return _MARKDOWN.sub(r"\\\1", text)


def say(content: Content, text: Text, lang: str, **extra: object) -> str:
    """A catalogue text in `lang` with the clinic's details put in (not yet escaped)."""
    return fill(content.questionnaire, content.clinic, text, lang, **extra)


def paragraph(text: str) -> None:
    st.markdown(escape(text))


def help_line(content: Content, lang: str) -> None:
    """The clinic's accessibility phone, when it has one, as a tap-to-call button: a finger-sized
    target in the theme's colours (a link in a caption is faint and 19 px tall on a phone)."""
    number = content.clinic.accessibility_phone
    if number:
        st.link_button(
            say(content, content.questionnaire.ui.accessibility_help, lang),
            tel_link(number),
            icon=":material/support_agent:",
            use_container_width=True,
        )


def bullets(lines: tuple[str, ...] | list[str]) -> None:
    if lines:
        st.markdown("\n".join(f"- {escape(line)}" for line in lines))
