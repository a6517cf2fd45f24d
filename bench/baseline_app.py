"""The floor Streamlit itself sets: the self-check's screens and widgets, with the same keys and
the same number of reruns per person, but no questionnaire file, rules, texts, storage, pictures
or browser helpers. Served bare by bench/compare.py with `streamlit run bench/baseline_app.py`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file, not a module
from bench.shape import FRAGMENTS_ENV, STEPS, STOP_AFTER_STEP, STOP_NOW, Item, holds

WELCOME, RESULT = "welcome", "result"
ss = st.session_state
ss.setdefault("screen", WELCOME)
ss.setdefault("answers", {})


def visible(item: Item) -> bool:
    return holds(item.show_if, ss.answers)


def shown_steps() -> list[int]:
    """The steps this person is shown, given the answers so far (the movement steps only with
    a palsy, and so on)."""
    return [i for i, page in enumerate(STEPS) if holds(page.show_if, ss.answers)]


def on_answer(item: Item) -> None:
    value: Any = ss.get(f"q.{item.id}")
    ss.answers[item.id] = value
    if not item.multiple and (item.id, value) in STOP_NOW:
        ss.screen = RESULT


def go(to: object) -> None:
    ss.screen = to


def next_step(index: int) -> None:
    step = STEPS[index].items
    shown = [item for item in step if visible(item)]
    if any(ss.answers.get(item.id) is None for item in shown if not item.multiple):
        return
    stop = any(
        (item.id, ss.answers.get(item.id)) in STOP_AFTER_STEP for item in shown if not item.multiple
    )
    later = [i for i in shown_steps() if i > index]
    ss.screen = RESULT if stop or not later else later[0]


def previous_step(index: int) -> object:
    earlier = [i for i in shown_steps() if i < index]
    return earlier[-1] if earlier else WELCOME


def restart() -> None:
    for key in [k for k in ss if str(k).startswith("q.")]:
        del ss[key]
    ss.answers = {}
    ss.screen = WELCOME


def question(index: int, item: Item, shown: tuple[str, ...]) -> None:
    if ss.screen != index or tuple(i.id for i in STEPS[index].items if visible(i)) != shown:
        st.rerun()  # only in a fragment's own run: the answer changed more than its box
    with st.container(border=True):
        st.markdown(item.id)
        if item.multiple:
            st.multiselect(
                item.id,
                list(item.options),
                key=f"q.{item.id}",
                label_visibility="collapsed",
                on_change=on_answer,
                args=(item,),
            )
        else:
            st.radio(
                item.id,
                list(item.options),
                index=None,
                key=f"q.{item.id}",
                label_visibility="collapsed",
                on_change=on_answer,
                args=(item,),
            )


# The bare baseline reruns the page on every tap; with BENCH_BASELINE_FRAGMENTS=1 each question
# is a fragment, as in the real app (bench/compare.py --baseline-fragments).
if os.environ.get(FRAGMENTS_ENV):
    question = st.fragment(question)


st.radio("lang", ["en", "es"], key="ui.lang", horizontal=True, label_visibility="collapsed")
screen = ss.screen
if screen == WELCOME:
    st.title("welcome")
    st.markdown("body")
    st.warning("not a diagnosis")
    st.button("start", key="nav.start", type="primary", on_click=go, args=(0,))
elif screen == RESULT:
    st.info("### result")
    st.markdown("summary")
    left, right = st.columns(2)
    left.button("back", key="nav.back", on_click=go, args=(0,))
    right.button("restart", key="nav.restart", on_click=restart)
else:
    index = int(screen)
    step_id, step, _ = STEPS[index]
    steps = shown_steps()
    position = steps.index(index) + 1 if index in steps else 1
    st.caption(f"{position}/{len(steps)}")
    st.progress(position / len(steps))
    st.subheader(step_id)
    shown = tuple(item.id for item in step if visible(item))
    for item in step:
        if item.id in shown:
            question(index, item, shown)
    left, right = st.columns(2)
    left.button("back", key="nav.back", on_click=go, args=(previous_step(index),))
    right.button("next", key="nav.next", type="primary", on_click=next_step, args=(index,))
