"""Shared helpers for AppTest flows: drive the Streamlit script as a person would."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from core_spec import ABOUT, NO_EMERGENCY, NO_SAFETY_SIGNS, SIGNS
from streamlit.testing.v1 import AppTest

from screening.records.storage import open_store
from web.selfcheck import records

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# The answers of a person with nothing notable, step by step (core_spec writes them once).
FIRST = NO_EMERGENCY  # the emergency step
ABOUT_YOU = ABOUT  # age, palsy years ago, seen by a doctor
SAFE = NO_SAFETY_SIGNS  # the safety step
HISTORY = {"hx_eye_closes": "yes", "hx_recovery": "most", "hx_side": "left"}
SIGNS_EYE = list(SIGNS[:5])
SIGNS_MOUTH = list(SIGNS[5:9])
SIGNS_FEEL = list(SIGNS[9:])


@pytest.fixture(autouse=True)
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test gets its own database, and no cached engine from another test.
    monkeypatch.setenv("SCREENING_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    st.cache_data.clear()
    st.cache_resource.clear()


def open_app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> str:
    """Everything written on the screen, Markdown escapes removed."""
    parts = [
        e.value
        for kind in (
            "markdown",
            "caption",
            "error",
            "warning",
            "info",
            "success",
            "title",
            "subheader",
            "text",
        )
        for e in getattr(at, kind)
    ]
    labels = [e.label for e in at.expander]  # the folded parts' titles
    return "\n".join(str(p) for p in parts + labels).replace("\\", "")


def folded(at: AppTest, label: str) -> str:
    """What one folded part (an expander) says, found by its title."""
    [part] = [e for e in at.expander if e.label.replace("\\", "") == label]
    return "\n".join(str(m.value) for m in part.markdown).replace("\\", "")


def answer(at: AppTest, answers: dict[str, str]) -> AppTest:
    for qid, value in answers.items():
        at.radio(key=f"q.{qid}").set_value(value).run()
        assert not at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def question_keys(at: AppTest) -> list[str]:
    return [str(r.key) for r in at.radio if str(r.key).startswith("q.")]


def to_movements(
    at: AppTest, history: dict[str, str] | None = None, about: dict[str, str] | None = None
) -> AppTest:
    """From the welcome page through the emergency, about-you, safety and history steps."""
    click(at, "nav.start")
    answer(at, FIRST)
    click(at, "nav.next")
    answer(at, ABOUT_YOU if about is None else about)
    click(at, "nav.next")
    answer(at, SAFE)
    click(at, "nav.next")
    answer(at, HISTORY if history is None else history)
    return click(at, "nav.next")


def finish_movements(at: AppTest, level: dict[str, str], default: str = "never") -> AppTest:
    for group in (SIGNS_EYE, SIGNS_MOUTH, SIGNS_FEEL):
        assert question_keys(at) == [f"q.{x}" for x in group]
        answer(at, {x: level.get(x, default) for x in group})
        click(at, "nav.next")
    return at


# A palsy that came back fully: no "incomplete recovery" reason, so the movements decide.
RECOVERED = {**HISTORY, "hx_recovery": "full"}
# About a person who never had a facial palsy (age, palsy no: no onset, no doctor question).
NO_PALSY = {"hx_age": "40_64", "hx_palsy": "no"}


def through(at: AppTest, *steps: dict[str, str]) -> AppTest:
    """From the welcome page, answer each step in turn with its dict and press Next after it."""
    click(at, "nav.start")
    for step in steps:
        answer(at, step)
        click(at, "nav.next")
    return at


def progress_line(at: AppTest) -> str:
    """The step counter's text ("Step 2 of 7"), or "" when none is shown."""
    lines = [str(c.value).replace("\\", "") for c in at.caption]
    return next((line for line in lines if line.startswith(("Step ", "Paso "))), "")


def in_order(at: AppTest) -> list[str]:
    """The texts of the page's elements (headings, paragraphs, boxes) in screen order."""
    found: list[str] = []

    def walk(node: object) -> None:
        body = getattr(getattr(node, "proto", None), "body", None)
        # The "reconnecting" line is on screen only while the connection is down.
        if isinstance(body, str) and body and 'class="reconnecting"' not in body:
            found.append(body.replace("\\", ""))
        children = getattr(node, "children", {})
        for key in sorted(children):
            walk(children[key])

    walk(at.main)
    return found


def open_with(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def consult(at: AppTest, about: dict[str, str] | None = None) -> AppTest:
    """A consult result reached through linked movements (a palsy years ago, fully recovered)."""
    to_movements(at, RECOVERED, about)
    return finish_movements(at, {"eye_narrows_smile": "always"})


def db_rows() -> tuple[list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]:
    assert records.flush_counts(), "the funnel counts were not written in time"
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    today = date.today()
    try:
        return (
            store.funnel_counts(today - timedelta(days=1), today + timedelta(days=1)),
            store.screening_rows(),
            store.contact_rows(),
        )
    finally:
        store.close()


def fill_form(at: AppTest, **values: object) -> AppTest:
    for key, value in values.items():
        widget = f"contact.{key}"
        if key == "consent":
            at.checkbox(key=widget).set_value(value)
        elif key in ("method", "time"):
            at.radio(key=widget).set_value(value)
        elif key == "note":
            at.text_area(key=widget).set_value(value)
        else:
            at.text_input(key=widget).set_value(value)
    at.button(key="contact.submit").click().run()
    assert not at.exception
    return at
