"""What one answer does by itself: the options that end the check at once (emergency answers) and
the options that stand alone ("Nothing yet" clears the others, another choice clears it)."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Question, Questionnaire
from .rules import interrupting_tier


def emergency_answers(q: Questionnaire) -> dict[str, tuple[str, ...]]:
    """Question id -> the options that, given on their own, end the check at once."""
    found: dict[str, tuple[str, ...]] = {}
    for step in q.steps:
        for question in step.questions:
            ending = tuple(
                option
                for option in question.option_ids
                if interrupting_tier(q, {question.id: [option] if question.multiple else option})
                is not None
            )
            if ending:
                found[question.id] = ending
    return found


def keep_exclusive(question: Question, before: Sequence[str], after: Sequence[str]) -> list[str]:
    """A multiple choice after a change: choosing an exclusive option ('Nothing yet') keeps only
    it, and choosing another option drops the exclusive ones. Several options added at once
    ("Select all") are other options chosen: they keep the others, never 'Nothing yet' alone."""
    added = [v for v in after if v not in before]
    if len(added) == 1 and added[0] in question.exclusive:
        return added
    return [v for v in after if v not in question.exclusive] if added else list(after)
