"""One questionnaire step: progress, the questions that apply, Back and Next."""

from __future__ import annotations

import base64
from functools import cache

import streamlit as st

from screening.questionnaire import rules
from screening.questionnaire.loader import ROOT
from screening.questionnaire.models import Question

from ..common.content import Content
from ..common.text import escape, paragraph, say
from . import mirror, resume, state

ILLUSTRATIONS = ROOT / "assets" / "illustrations"


def show(content: Content, index: int, lang: str) -> None:
    q = content.questionnaire
    ui = q.ui
    step = q.steps[index]
    # The path depends on the answers (a recent palsy, no palsy): count the steps this person
    # is shown or may still be shown.
    layout = _layout(content, index)
    shown, path, last = layout
    number = path.index(step.id) + 1 if step.id in path else 1
    st.caption(escape(say(content, ui.progress, lang, step=number, total=len(path))))
    st.progress(number / len(path))
    st.subheader(escape(step.title.get(lang)))
    if step.intro is not None:
        paragraph(step.intro.get(lang))
    if state.missing():
        st.error(escape(ui.required_missing.get(lang)))
    for question in step.questions:
        if question.id in shown:
            _question(content, index, question, lang, layout, bool(state.missing()))
    # Next, the way on, first and full width; Back smaller below it, a thumb's width away (on a
    # phone two equal buttons side by side or stacked are easy to mix up).
    st.button(
        (ui.see_result if last else ui.next).get(lang),
        key="nav.next",
        type="primary",
        on_click=state.next_step,
        args=(q,),
        use_container_width=True,
    )
    st.button(ui.back.get(lang), key="nav.back", on_click=state.back, args=(q,))


@cache
def picture(file: str) -> str:
    """A drawing as a data: URL, read once per process (given a path, st.image reads and encodes
    the file on every rerun)."""
    svg = (ILLUSTRATIONS / file).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


Layout = tuple[tuple[str, ...], tuple[str, ...], bool]


def _layout(content: Content, index: int) -> Layout:
    """What the step's page shows beyond one question box: its visible questions, the path
    the step counter counts, and whether Next is the last one ("See my result")."""
    q = content.questionnaire
    answers = state.answers()
    step = q.steps[index]
    return (
        tuple(x.id for x in step.questions if rules.is_visible(x, answers)),
        rules.steps_ahead(q, answers),
        rules.step_after(q, answers, index) is None,
    )


@st.fragment
def _question(
    content: Content,
    index: int,
    question: Question,
    lang: str,
    layout: Layout,
    flagged: bool,
) -> None:
    """One question. A fragment: a tap on an answer reruns only this box, not the whole step
    (about 3 of 4 taps in a check are answers; bench/RESULTS.md). The step is drawn again
    when the answer changed more than this box: it ended the check, showed or hid another
    question, changed the path the step counter counts or whether Next ends the check, or
    answered the last question Next had marked as missing."""
    if (
        state.screen() != index
        or _layout(content, index) != layout
        or (flagged and not state.missing())
    ):
        st.rerun()  # the whole page (on a page run these are all false: they were just set)
    q = content.questionnaire
    resume.keep()  # an answer changed only this box: keep it here (the page did not run)
    state.seed_widget(question)
    label = question.text.get(lang)
    with st.container(border=True):
        # The question, its help and its "try it" line in one element: fewer elements to send
        # on every run of the step.
        lines = [f"**{escape(label)}**"]
        if question.help is not None:
            lines.append(escape(question.help.get(lang)))
        if question.try_it is not None:
            lines.append(
                f"**{escape(q.ui.try_it_label.get(lang))}** {escape(question.try_it.get(lang))}"
            )
        st.markdown("\n\n".join(lines))
        if question.illustration is not None:
            # st.image (not inline SVG) so the alt text is the chosen language's, not the file's.
            st.image(
                picture(question.illustration.file),
                alt=question.illustration.alt.get(lang),
                width=215,  # with its five 44 px answers, inside a phone's first screen
            )
        options = list(question.option_ids)

        def words(option_id: str) -> str:
            opt = question.option(option_id)
            return opt.text.get(lang) if opt else option_id

        if question.multiple:
            st.multiselect(
                label,
                options,
                format_func=words,
                key=state.widget_key(question.id),
                placeholder=q.ui.choose_any.get(lang),
                label_visibility="collapsed",
                on_change=state.on_answer,
                args=(q, question),
            )
        else:
            st.radio(
                label,
                options,
                index=None,
                format_func=words,
                key=state.widget_key(question.id),
                label_visibility="collapsed",
                horizontal=len(options) <= 3,
                on_change=state.on_answer,
                args=(q, question),
            )
        if question.id in state.missing():
            st.error(escape(q.ui.answer_this.get(lang)))
        # Below the answers: the picture and the five answers still fit a phone's first screen.
        mirror.offer(content, question, lang)
