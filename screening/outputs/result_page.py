"""The result page as one model: every text in the person's language, every link, and which
offers it makes (summary PDF, reminder, contact form). The page only draws it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Literal

from ..questionnaire.models import Clinic, Questionnaire, Text
from ..questionnaire.rules import Answers, Result, route_partial
from ..records.contact import offers_contact_form
from ..records.measurement import Measurement
from . import reminder, report
from .summary import ResultView, describe, fill, sms_link, tel_link

Tone = Literal["error", "warning", "success", "info"]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Download:
    label: str
    note: str
    file_name: str
    media_type: str
    data: bytes | Callable[[], bytes]  # a callable is built only when the button is pressed


@dataclass(frozen=True)
class ClinicContact:
    title: str
    text: Link | None  # only when the clinic has a text number
    book: Link
    address_label: str
    address: tuple[str, ...]
    hours_label: str
    hours: tuple[str, ...]  # "Mon-Fri: 8-5", in the person's language
    hours_note: str | None
    not_emergency: str


@dataclass(frozen=True)
class ResultPage:
    result: Result
    view: ResultView  # headline, summary, guardian line, actions, why, evidence, topics, ...
    tone: Tone  # how loudly the headline is shown
    emergency_call: Link | None  # the tap-to-call emergency button, when the tier calls for it
    emergency_call_first: bool  # under the headline (the check stopped) rather than after todo
    # The clinic's tap-to-call under the summary, inside a phone's first screen, for every tier
    # that offers the clinic ("soon" down); the clinic's section further down then lists only
    # its other ways in (text, booking, address, hours). view.clinic_intro ("your own doctor
    # first") is said before it.
    call_clinic: Link | None
    todo_title: str
    why_title: str
    evidence_title: str
    evidence: tuple[str, ...]  # "question: answer"
    summary_pdf: Download | None
    clinic: ClinicContact | None
    topics_title: str  # the topics and the reasons are folded below: a phone shows the way on
    reminder: Download | None
    contact_form: bool
    guardian: bool  # the check is about a child: the contact form asks for the guardian's name
    change_answers: str
    restart: str


def build(
    q: Questionnaire,
    clinic: Clinic,
    answers: Answers,
    lang: str,
    today: date,
    page_url: str | None,
    measurements: Mapping[str, Measurement] | None = None,
) -> ResultPage:
    """The result of the answers so far and everything its page says, in `lang`; `page_url` is
    the address the page is served from (the reminder links back to it). `measurements` (the
    camera aid's, shared by the person) go on the summary only: the result never reads them."""
    result = route_partial(q, answers)
    view = describe(q, clinic, result, lang)
    tier = q.tier(result.tier)

    def t(text: Text) -> str:
        return fill(q, clinic, text, lang)

    calls = view.emergency or view.call_emergency
    return ResultPage(
        result=result,
        view=view,
        tone=_tone(view),
        emergency_call=Link(t(q.ui.call_emergency), tel_link(clinic.emergency_number))
        if calls
        else None,
        emergency_call_first=view.emergency,
        call_clinic=Link(t(q.ui.call_clinic), tel_link(clinic.phone))
        if view.contact_clinic
        else None,
        todo_title=t(q.ui.todo_title),
        why_title=t(q.ui.why_title),
        evidence_title=t(q.ui.you_answered),
        evidence=tuple(f"{line.question}: {line.answer}" for line in view.evidence),
        summary_pdf=_summary_pdf(q, clinic, result, lang, today, measurements)
        if report.offers_summary(tier)
        else None,
        clinic=_clinic(q, clinic, lang) if view.contact_clinic else None,
        topics_title=t(q.ui.topics_title),
        reminder=_reminder(q, clinic, lang, today, page_url)
        if reminder.offers_reminder(result)
        else None,
        contact_form=offers_contact_form(tier),
        guardian=view.guardian is not None,
        change_answers=q.ui.change_answers.get(lang),
        restart=q.ui.restart.get(lang),
    )


def _tone(view: ResultView) -> Tone:
    if view.emergency:
        return "error"
    if view.call_emergency:
        return "warning"
    return "success" if view.contact_clinic else "info"


def _summary_pdf(
    q: Questionnaire,
    clinic: Clinic,
    result: Result,
    lang: str,
    today: date,
    measurements: Mapping[str, Measurement] | None = None,
) -> Download:
    """'Download your summary (PDF)': built only when pressed, in the session, never stored."""
    return Download(
        label=fill(q, clinic, q.ui.summary_button, lang),
        note=fill(q, clinic, q.ui.summary_note, lang),
        file_name=report.file_name(q.ui, lang, today),
        media_type=report.MEDIA_TYPE,
        data=partial(
            report.build_summary, q, clinic, result, lang, today, dict(measurements or {})
        ),
    )


def _reminder(
    q: Questionnaire, clinic: Clinic, lang: str, today: date, page_url: str | None
) -> Download | None:
    """A calendar file about three months ahead; None without a public address to link to."""
    try:
        ics = reminder.build_ics(page_url or clinic.website or "", lang, today, clinic.name, q.ui)
    except ValueError:
        return None
    return Download(
        label=fill(q, clinic, q.ui.remind_button, lang),
        note=fill(q, clinic, q.ui.remind_note, lang),
        file_name=reminder.FILE_NAME,
        media_type=reminder.MEDIA_TYPE,
        data=ics,
    )


def _clinic(q: Questionnaire, clinic: Clinic, lang: str) -> ClinicContact:
    def t(text: Text) -> str:
        return fill(q, clinic, text, lang)

    ui = q.ui
    return ClinicContact(
        title=t(ui.contact_title),
        text=Link(t(ui.text_clinic), sms_link(clinic.text_number)) if clinic.text_number else None,
        book=Link(t(ui.book_online), clinic.booking_url),
        address_label=t(ui.address_label),
        address=tuple(clinic.address),
        hours_label=t(ui.hours_label),
        hours=tuple(f"{h.days.get(lang)}: {h.time.get(lang)}" for h in clinic.hours),
        hours_note=clinic.hours_note.get(lang) if clinic.hours_note else None,
        not_emergency=t(ui.clinic_not_emergency),
    )
