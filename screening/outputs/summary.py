"""The patient-facing texts of a result, in one language: what every shell (page, command line,
PDF) shows. Never contains the score."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from ..questionnaire.models import Clinic, Question, Questionnaire, Text
from ..questionnaire.rules import AnswerValue, Result


@dataclass(frozen=True)
class AnsweredLine:
    question: str  # the short name of the question
    answer: str


@dataclass(frozen=True)
class ResultView:
    tier: str
    headline: str
    summary: str
    why: tuple[str, ...]
    evidence: tuple[AnsweredLine, ...]
    actions: tuple[str, ...]
    emergency: bool  # the questionnaire stopped at once: lead with the emergency number
    call_emergency: bool
    contact_clinic: bool
    clinic_intro: str | None  # said before the clinic's contact ("your own doctor first")
    topics: tuple[str, ...]
    not_diagnosis: str
    if_worse: str
    guardian: str | None  # the check is about a child: said first, to the parent or guardian

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:  # the loader refuses unknown placeholders
        return "{" + key + "}"


def fill(q: Questionnaire, clinic: Clinic, text: Text, lang: str, **extra: object) -> str:
    """A text in `lang` with the clinic's details and any extra values put in."""
    values = _Blank(
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        clinic_text=clinic.text_number or clinic.phone,
        accessibility_phone=clinic.accessibility_phone or clinic.phone,
        emergency_number=clinic.emergency_number,
        minutes=str(q.minutes),
    )
    values.update({k: str(v) for k, v in extra.items()})
    return text.get(lang).format_map(values)


def answer_text(question: Question, value: AnswerValue, lang: str) -> str:
    """An answer in plain words ("Often"; "Botox shots, Surgery")."""
    ids = [value] if isinstance(value, str) else list(value)
    words = [opt.text.get(lang) for i in ids if (opt := question.option(i)) is not None]
    return ", ".join(words)


def describe(q: Questionnaire, clinic: Clinic, result: Result, lang: str) -> ResultView:
    """Everything a person is told about a result, in `lang`."""
    tier = q.tier(result.tier)

    def t(text: Text) -> str:
        return fill(q, clinic, text, lang)

    guardian = next(
        (t(q.reasons[r].text) for r in result.reasons if q.reasons[r].addresses_guardian), None
    )
    evidence = tuple(
        AnsweredLine(
            t(q.question(qid).short), answer_text(q.question(qid), result.answers[qid], lang)
        )
        for qid in result.evidence
    )
    return ResultView(
        tier=tier.id,
        headline=t(tier.headline),
        summary=t(tier.summary),
        # The guardian's line leads the page; it is not said twice.
        why=tuple(
            t(q.reasons[r].text) for r in result.reasons if not q.reasons[r].addresses_guardian
        ),
        evidence=evidence,
        actions=tuple(t(a) for a in tier.actions),
        emergency=tier.interrupts,
        call_emergency=tier.call_emergency,
        contact_clinic=tier.contact_clinic,
        clinic_intro=t(tier.clinic_intro) if tier.clinic_intro is not None else None,
        topics=tuple(t(x) for x in q.consult_topics) if tier.show_topics else (),
        not_diagnosis=t(q.ui.not_diagnosis),
        if_worse=t(tier.if_worse),
        guardian=guardian,
    )


def tel_link(number: str) -> str:
    """A tap-to-call link for a US-style number as written in clinic.yaml."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def sms_link(number: str) -> str:
    return "sms:" + re.sub(r"[^0-9+]", "", number)
