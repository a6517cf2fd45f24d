"""The camera aid on movement questions: "Use my camera as a mirror".

A switch under the question; nothing of the aid loads until it is on (the step's page is the
same without it). On, it opens a Streamlit component (mirror/index.html and mirror.js, served by
the app itself) that shows the front camera mirrored, guides a relaxed face and then the
question's movement, and measures both eyes on the phone. The component sends something back only
when the person taps "share", and then only the numbers (screening/records/measurement.py).
"""

from __future__ import annotations

from functools import cache

import streamlit as st
import streamlit.components.v1 as components
from streamlit.components.v1.custom_component import CustomComponent

from screening.questionnaire.models import Question
from screening.records.measurement import parse

from ..common.content import Content
from ..common.text import paragraph, say
from . import state
from .mirror_files import COMPONENT, MODEL_DIR_NAME, download_mb, sizes


def _view() -> CustomComponent:
    # Declared inside a script run: Streamlit registers a component (and then serves its folder)
    # only when there is one, and the server imports this module before any run.
    return components.declare_component("mirror", path=str(COMPONENT))


@cache
def _installed() -> dict[str, dict[str, int]]:
    table = sizes()
    if table is None:
        raise FileNotFoundError  # not cached: installed later, the aid appears
    return table


def _phone_files() -> dict[str, dict[str, int]] | None:
    """The model files a phone loads, read once per process; None while not installed."""
    try:
        return _installed()
    except FileNotFoundError:
        return None


def available() -> bool:
    """Whether the aid can be offered (its model files were installed at setup)."""
    return _phone_files() is not None


def offer(content: Content, question: Question, lang: str) -> None:
    """The switch and, once on, the aid; keeps a measurement the person chose to share."""
    table = _phone_files()
    if question.mirror is None or table is None:
        return
    texts = content.questionnaire.ui.mirror
    opened = st.toggle(texts.open.get(lang), key=state.mirror_key(question.id))
    if not opened:
        # Body-size text (16 px on a phone, as every line of a question box): what it loads.
        paragraph(say(content, texts.open_note, lang, size=download_mb(table)))
        return
    value = _view()(
        movement=question.mirror,
        lang=lang,
        texts={name: text.get(lang) for name, text in texts},
        base=MODEL_DIR_NAME,
        sizes=table,
        key=state.mirror_view_key(question.id),
        default=None,
    )
    measurement = parse(value)
    if measurement is not None and measurement.movement == question.mirror:
        state.keep_measurement(question.id, measurement)
