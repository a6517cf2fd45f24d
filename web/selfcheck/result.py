"""The result: emergency first, then why, what to do, the clinic, and what is not said."""

from __future__ import annotations

from datetime import date

import streamlit as st

from screening.outputs import report
from screening.outputs.reminder import FILE_NAME, MEDIA_TYPE, build_ics, offers_reminder
from screening.outputs.summary import ResultView, describe, sms_link, tel_link
from screening.questionnaire import rules
from screening.records.contact import offers_contact_form

from ..common.content import Content
from ..common.text import bullets, escape, help_line, paragraph, say
from . import contact_form, records, state


def show(content: Content, lang: str) -> None:
    q = content.questionnaire
    ui = q.ui
    result = rules.route_partial(q, state.answers())
    view = describe(q, content.clinic, result, lang)
    records.track("result_shown", lang, tier=result.tier)
    if content.clinic.store_anonymous_screenings:
        records.keep_screening(result, lang)
    if view.emergency:
        st.error(f"### {escape(view.headline)}")
        _call_emergency(content, lang, primary=True)
    elif view.call_emergency:
        st.warning(f"### {escape(view.headline)}")
    elif view.contact_clinic:
        st.success(f"### {escape(view.headline)}")
    else:
        st.info(f"### {escape(view.headline)}")
    paragraph(view.summary)
    if view.guardian is not None:
        st.info(escape(view.guardian))

    st.subheader(escape(say(content, ui.todo_title, lang)))
    bullets(view.actions)
    if view.call_emergency and not view.emergency:
        _call_emergency(content, lang, primary=False)

    _why(content, view, lang)
    if report.offers_summary(q.tier(result.tier)):
        _summary(content, result, lang)
    if view.contact_clinic:
        _clinic(content, view, lang)
    if view.topics:
        st.subheader(escape(say(content, ui.topics_title, lang)))
        bullets(view.topics)

    if offers_reminder(result):
        _reminder(content, lang)
    if offers_contact_form(q.tier(result.tier)):
        contact_form.show(content, result, lang, guardian=view.guardian is not None)
    st.info(escape(view.not_diagnosis))
    paragraph(view.if_worse)
    left, right = st.columns(2)
    left.button(
        ui.change_answers.get(lang),
        key="nav.back",
        on_click=state.back,
        args=(q,),
        use_container_width=True,
    )
    right.button(
        ui.restart.get(lang), key="nav.restart", on_click=state.restart, use_container_width=True
    )


def _call_emergency(content: Content, lang: str, primary: bool) -> None:
    number = content.clinic.emergency_number
    st.link_button(
        say(content, content.questionnaire.ui.call_emergency, lang),
        tel_link(number),
        type="primary" if primary else "secondary",
        icon=":material/call:",
        use_container_width=True,
    )


def _why(content: Content, view: ResultView, lang: str) -> None:
    ui = content.questionnaire.ui
    st.subheader(escape(say(content, ui.why_title, lang)))
    bullets(view.why)
    if view.evidence:
        st.markdown(f"**{escape(say(content, ui.you_answered, lang))}**")
        bullets([f"{line.question}: {line.answer}" for line in view.evidence])


def _clinic(content: Content, view: ResultView, lang: str) -> None:
    clinic = content.clinic
    ui = content.questionnaire.ui
    st.subheader(escape(say(content, ui.contact_title, lang)))
    if view.clinic_intro is not None:
        paragraph(view.clinic_intro)
    st.link_button(
        say(content, ui.call_clinic, lang),
        tel_link(clinic.phone),
        icon=":material/call:",
        use_container_width=True,
    )
    if clinic.text_number:
        st.link_button(
            say(content, ui.text_clinic, lang),
            sms_link(clinic.text_number),
            icon=":material/sms:",
            use_container_width=True,
        )
    st.link_button(
        say(content, ui.book_online, lang),
        clinic.booking_url,
        type="primary",
        icon=":material/event:",
        use_container_width=True,
    )
    st.markdown(
        f"**{escape(say(content, ui.address_label, lang))}**  \n"
        + "  \n".join(escape(line) for line in clinic.address)
    )
    if clinic.hours:
        hours = [f"{h.days.get(lang)}: {h.time.get(lang)}" for h in clinic.hours]
        st.markdown(f"**{escape(say(content, ui.hours_label, lang))}**")
        bullets(hours)
        if clinic.hours_note:
            paragraph(clinic.hours_note.get(lang))
    st.caption(escape(say(content, ui.clinic_not_emergency, lang)))
    help_line(content, lang)


def _reminder(content: Content, lang: str) -> None:
    """A calendar file about three months ahead; built in the browser's session, never stored."""
    ui = content.questionnaire.ui
    url = st.context.url or content.clinic.website or ""
    try:
        ics = build_ics(url, lang, date.today(), content.clinic.name, ui)
    except ValueError:  # no usable public address to link back to: offer nothing
        return
    st.download_button(
        say(content, ui.remind_button, lang),
        ics,
        file_name=FILE_NAME,
        mime=MEDIA_TYPE,
        key="result.remind",
        icon=":material/event_repeat:",
        on_click="ignore",
        use_container_width=True,
    )
    st.caption(escape(say(content, ui.remind_note, lang)))


def _summary(content: Content, result: rules.Result, lang: str) -> None:
    """'Download your summary (PDF)': built only when pressed, in this session, never stored."""
    q, clinic = content.questionnaire, content.clinic
    today = date.today()
    st.download_button(
        say(content, q.ui.summary_button, lang),
        data=lambda: report.build_summary(q, clinic, result, lang, today),
        file_name=report.file_name(q.ui, lang, today),
        mime=report.MEDIA_TYPE,
        key="result.pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        use_container_width=True,
    )
    st.caption(escape(say(content, q.ui.summary_note, lang)))
