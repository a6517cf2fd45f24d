"""What the front desk reads beside a request: the person's result and answers in plain words,
made by the same functions as their PDF summary (screening/outputs/summary.describe and
report.answer_groups), in English. Pure: no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from screening.outputs.report import answer_groups
from screening.outputs.summary import describe, fill
from screening.questionnaire.models import Clinic, Questionnaire
from screening.questionnaire.rules import route_partial
from screening.records.contact import TIMES, WAYS

LANG = "en"  # the dashboard's language
WAY_WORDS = {"call": "a call", "text": "a text message", "email": "an e-mail"}
TIME_WORDS = {"morning": "in the morning", "afternoon": "in the afternoon",
              "evening": "in the evening", "any": "at any time"}  # fmt: skip
assert set(WAY_WORDS) == set(WAYS) and set(TIME_WORDS) == set(TIMES)


@dataclass(frozen=True)
class PersonView:
    headline: str  # the result they were shown
    summary: str
    why: tuple[str, ...]
    answers: tuple[tuple[str, str, str], ...]  # (step title, question, answer in words)


def tier_words(q: Questionnaire, clinic: Clinic, tier: object) -> str:
    """A tier as the headline the person read; "no result kept" when there is none."""
    known = {t.id: t for t in q.tiers}
    if not isinstance(tier, str) or tier not in known:
        return "no result kept"
    return fill(q, clinic, known[tier].headline, LANG)


def prefers(way: object, time: object) -> str:
    """"a call in the morning", or "" when they said nothing."""
    parts = [WAY_WORDS.get(str(way), ""), TIME_WORDS.get(str(time), "")]
    return " ".join(p for p in parts if p)


def person(
    q: Questionnaire, clinic: Clinic, screening: Mapping[str, Any] | None
) -> PersonView | None:
    """The person's result and answers, or None without a kept screening."""
    if screening is None or not isinstance(screening.get("answers"), Mapping):
        return None
    result = route_partial(q, dict(screening["answers"]))
    stored_tier = screening.get("tier")
    if isinstance(stored_tier, str) and stored_tier in {t.id for t in q.tiers}:
        # What they were told, even if the rules have changed since.
        reasons = tuple(r for r in screening.get("reasons") or () if r in q.reasons)
        result = replace(result, tier=stored_tier, reasons=reasons or result.reasons)
    view = describe(q, clinic, result, LANG)
    rows = tuple(
        (group.title, row.question, row.answer)
        for group in answer_groups(q, clinic, result, LANG)
        for row in group.rows
    )
    return PersonView(view.headline, view.summary, view.why, rows)
