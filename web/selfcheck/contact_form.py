"""The opt-in contact form on the result page. Nothing typed here is stored before Send, and
only with the consent box ticked. After a refused Send, a list at the top of the form names each
problem in the person's language (the page moves focus to its first line, which leads to the
field: web/common/browser.py), and each problem is said again next to its field; what was typed
stays in the fields."""

from __future__ import annotations

import html
import logging

import streamlit as st

from screening.errors import ContactError, LimitReached, StorageError
from screening.questionnaire.models import Text
from screening.questionnaire.rules import Result
from screening.records.contact import (
    EMAIL_MAX,
    NAME_MAX,
    NOTE_MAX,
    PHONE_MAX,
    TIMES,
    WAYS,
    consent_text,
    message_for,
    validate_contact,
)

from ..common import notify
from ..common.content import Content
from ..common.text import escape, paragraph, say
from . import records, resume, state

log = logging.getLogger("screening.app")
# Widget key -> the form field the core validates (the keys are the automation contract).
FIELDS = {
    "contact.name": "name",
    "contact.phone": "phone",
    "contact.email": "email",
    "contact.method": "way",
    "contact.time": "time",
    "contact.note": "note",
    "contact.consent": "consent",
}


def show(content: Content, result: Result, lang: str, guardian: bool = False) -> None:
    """The form; `guardian`: the check is about a child, so a parent or guardian fills it in."""
    q = content.questionnaire
    ui = q.ui
    st.subheader(escape(say(content, ui.contact_form_title, lang)))
    done = st.session_state[state.CONTACT_DONE]
    if done is not None:
        st.success(escape(say(content, ui.contact_sent, lang)))
        return
    paragraph(say(content, ui.contact_form_intro, lang))
    if st.session_state[state.CONTACT_FAILED]:
        st.error(escape(say(content, ui.contact_save_failed, lang)))
    if st.session_state[state.CONTACT_LIMITED]:
        st.error(escape(say(content, ui.contact_limit_reached, lang)))
        return
    with st.form("contact", border=True, enter_to_submit=False):
        _problems(content, lang, guardian)
        st.text_input(
            say(content, ui.contact_name_guardian if guardian else ui.contact_name, lang),
            key="contact.name",
            max_chars=NAME_MAX,
            autocomplete="name",
        )
        _errors(content, "name", lang)
        st.caption(escape(say(content, ui.contact_need_one, lang)))
        st.text_input(
            say(content, ui.contact_phone, lang),
            key="contact.phone",
            max_chars=PHONE_MAX,
            autocomplete="tel",
        )
        _errors(content, "phone", lang)
        st.text_input(
            say(content, ui.contact_email, lang),
            key="contact.email",
            max_chars=EMAIL_MAX,
            autocomplete="email",
        )
        _errors(content, "email", lang)
        ways: dict[str, Text] = {w: getattr(ui, f"contact_way_{w}") for w in WAYS}
        st.radio(
            say(content, ui.contact_way, lang),
            list(WAYS),
            index=None,
            key="contact.method",
            format_func=lambda w: ways[w].get(lang),
        )
        _errors(content, "way", lang)
        times: dict[str, Text] = {t: getattr(ui, f"contact_time_{t}") for t in TIMES}
        st.radio(
            say(content, ui.contact_time, lang),
            list(TIMES),
            index=None,
            key="contact.time",
            format_func=lambda t: times[t].get(lang),
            horizontal=True,
        )
        _errors(content, "time", lang)
        st.text_area(say(content, ui.contact_note, lang), key="contact.note", max_chars=NOTE_MAX)
        _errors(content, "note", lang)
        st.checkbox(
            consent_text(q, content.clinic, lang, guardian), value=False, key="contact.consent"
        )
        _errors(content, "consent", lang)
        st.form_submit_button(
            say(content, ui.contact_send, lang),
            key="contact.submit",
            type="primary",
            on_click=_submit,
            args=(content, result, lang, guardian),
            use_container_width=True,
        )


def _problems(content: Content, lang: str, guardian: bool) -> None:
    """The list of what to put right, at the top of the form, each line a link to its field."""
    errors: dict[str, list[str]] = st.session_state[state.CONTACT_ERRORS]
    if not errors:
        return
    ui = content.questionnaire.ui
    labels = {
        "name": ui.contact_name_guardian if guardian else ui.contact_name,
        "phone": ui.contact_phone,
        "email": ui.contact_email,
        "way": ui.contact_way,
        "time": ui.contact_time,
        "note": ui.contact_note,
    }
    lines = []
    for key, field in FIELDS.items():  # in the form's order
        for code in errors.get(field, []):
            said = message_for(ui, code).get(lang)
            if field in labels:
                said = f"{say(content, labels[field], lang)}: {said}"
            lines.append(
                f'<li><a href="#" data-field="{key.replace(".", "-")}">{html.escape(said)}</a></li>'
            )
    tries = int(st.session_state.get(state.CONTACT_TRIES, 0))
    title = html.escape(say(content, ui.contact_problems, lang))
    with st.container(key="contact-problems"):
        st.html(
            f'<div class="problems" role="alert" data-attempt="{tries}">'
            f"<p>{title}</p><ul>{''.join(lines)}</ul></div>"
        )


def _errors(content: Content, field: str, lang: str) -> None:
    for code in st.session_state[state.CONTACT_ERRORS].get(field, []):
        st.error(escape(message_for(content.questionnaire.ui, code).get(lang)))


def _submit(content: Content, result: Result, lang: str, guardian: bool) -> None:
    """Validate, then save once; the outcome is shown by the next run."""
    form = {field: st.session_state.get(key) for key, field in FIELDS.items()}
    st.session_state[state.CONTACT_FAILED] = False
    try:
        request = validate_contact(form)
    except ContactError as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            errors.setdefault(problem.field, []).append(problem.code)
        st.session_state[state.CONTACT_ERRORS] = errors
        st.session_state[state.CONTACT_TRIES] = st.session_state.get(state.CONTACT_TRIES, 0) + 1
        return
    st.session_state[state.CONTACT_ERRORS] = {}
    consent = consent_text(content.questionnaire, content.clinic, lang, guardian)
    try:
        saved = records.save_contact(request, result, consent, lang)
    except StorageError as exc:
        log.error("a contact request was not saved: %s", exc)
        st.session_state[state.CONTACT_FAILED] = True
        return
    except LimitReached:
        log.warning("a contact request was refused: the hourly limit was reached")
        st.session_state[state.CONTACT_LIMITED] = True
        return
    st.session_state[state.CONTACT_DONE] = saved
    resume.finished()  # the check is done; its place must not sit next to contact details
    notify.new_request()  # tells the clinic, without any detail; never waits or fails
