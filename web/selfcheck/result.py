"""The result: emergency first, then why, what to do, the clinic, and what is not said. The core
builds the whole page (screening/outputs/result_page.py); this only draws it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from screening.outputs.result_page import ClinicContact, Download, Link, ResultPage, build

from ..common.content import Content
from ..common.text import bullets, escape, help_line, paragraph
from . import contact_form, records, state

HEADLINE = {"error": st.error, "warning": st.warning, "success": st.success, "info": st.info}


def show(content: Content, lang: str) -> None:
    q = content.questionnaire
    page = build(
        q, content.clinic, state.answers(), lang, date.today(), st.context.url, state.measurements()
    )
    view = page.view
    records.track("result_shown", lang, tier=page.result.tier)
    if content.clinic.store_anonymous_screenings:
        records.keep_screening(page.result, lang)
    # The way on first, inside a phone's first screen: the headline, the emergency call or the
    # clinic's call, what to do; the longer parts follow, folded.
    HEADLINE[page.tone](f"### {escape(view.headline)}")
    if page.emergency_call is not None and page.emergency_call_first:
        _call_emergency(page.emergency_call, primary=True)
    paragraph(view.summary)
    if view.guardian is not None:
        st.info(escape(view.guardian))
    if page.call_clinic is not None:
        if view.clinic_intro is not None:
            paragraph(view.clinic_intro)
        st.link_button(
            page.call_clinic.label,
            page.call_clinic.url,
            type="primary",
            icon=":material/call:",
            use_container_width=True,
        )

    st.subheader(escape(page.todo_title))
    bullets(view.actions)
    if page.emergency_call is not None and not page.emergency_call_first:
        _call_emergency(page.emergency_call, primary=False)
    paragraph(view.if_worse)
    if page.summary_pdf is not None:
        _download(page.summary_pdf, key="result.pdf", icon=":material/picture_as_pdf:")
    if page.contact_form:
        contact_form.show(content, page.result, lang, guardian=page.guardian)
    if page.clinic is not None:
        _clinic(content, page.clinic, lang)
    if page.reminder is not None:
        _download(page.reminder, key="result.remind", icon=":material/event_repeat:")

    _why(page)
    if view.topics:
        with st.expander(escape(page.topics_title)):
            bullets(view.topics)
    st.info(escape(view.not_diagnosis))
    left, right = st.columns(2)
    left.button(
        page.change_answers,
        key="nav.back",
        on_click=state.back,
        args=(q,),
        use_container_width=True,
    )
    right.button(page.restart, key="nav.restart", on_click=state.restart, use_container_width=True)


def _call_emergency(call: Link, primary: bool) -> None:
    st.link_button(
        call.label,
        call.url,
        type="primary" if primary else "secondary",
        icon=":material/call:",
        use_container_width=True,
    )


def _why(page: ResultPage) -> None:
    with st.expander(escape(page.why_title)):
        bullets(page.view.why)
        if page.evidence:
            st.markdown(f"**{escape(page.evidence_title)}**")
            bullets(page.evidence)


def _clinic(content: Content, clinic: ClinicContact, lang: str) -> None:
    st.subheader(escape(clinic.title))
    if clinic.text is not None:
        st.link_button(
            clinic.text.label, clinic.text.url, icon=":material/sms:", use_container_width=True
        )
    st.link_button(
        clinic.book.label,
        clinic.book.url,
        type="primary",
        icon=":material/event:",
        use_container_width=True,
    )
    st.markdown(
        f"**{escape(clinic.address_label)}**  \n"
        + "  \n".join(escape(line) for line in clinic.address)
    )
    if clinic.hours:
        st.markdown(f"**{escape(clinic.hours_label)}**")
        bullets(clinic.hours)
        if clinic.hours_note is not None:
            paragraph(clinic.hours_note)
    st.caption(escape(clinic.not_emergency))
    help_line(content, lang)


def _download(offer: Download, key: str, icon: str) -> None:
    """Built in this session (a PDF only when pressed), handed to the browser, never stored."""
    st.download_button(
        offer.label,
        data=offer.data,
        file_name=offer.file_name,
        mime=offer.media_type,
        key=key,
        icon=icon,
        on_click="ignore",
        use_container_width=True,
    )
    st.caption(escape(offer.note))
