"""Clinical vignettes: people as they would answer, and the tier and reasons a facial-nerve
clinician expects for them (questionnaire contract 2). Every reason code and every "not sure"
appears in at least one row; a test below fails when a code is left out.

Each row changes the baseline person of core_spec (no warning sign, a palsy years ago that
came back fully, no linked movement) and names the result exactly: tier, and the reasons in
the order the person reads them (the tier's own first, then lower tiers, then notes).
"""

from __future__ import annotations

import pytest
from core_spec import NOTES, REASONS
from vignettes import VIGNETTES, Vignette

from screening.questionnaire import rules
from screening.questionnaire.models import Questionnaire


@pytest.mark.parametrize("case", VIGNETTES, ids=[c.id for c in VIGNETTES])
def test_vignette(questionnaire: Questionnaire, case: Vignette) -> None:
    result = rules.evaluate(questionnaire, case.answers)
    assert (result.tier, result.reasons) == (case.tier, case.reasons)


def test_there_are_at_least_sixty_vignettes() -> None:
    assert len(VIGNETTES) >= 60


def test_every_reason_code_and_every_unsure_has_a_vignette(questionnaire: Questionnaire) -> None:
    seen = {reason for case in VIGNETTES for reason in case.reasons}
    expected = {r for codes in REASONS.values() for r in codes} | set(NOTES) | {"no_warning_signs"}
    assert expected - seen == set()
    assert set(questionnaire.reasons) - seen == set()
    unsure = {
        qid
        for case in VIGNETTES
        for qid, value in case.answers.items()
        if value == "unsure" and qid in rules.effective_answers(questionnaire, case.answers)
    }
    asked_unsure = {
        x.id for x in questionnaire.questions() if "unsure" in x.option_ids and x.id != "hx_side"
    }
    assert asked_unsure - unsure == set()


def test_the_movement_questions_are_never_asked_without_a_palsy(
    questionnaire: Questionnaire,
) -> None:
    for case in VIGNETTES:
        reached = rules.progress(questionnaire, case.answers).steps_reached
        if case.answers["hx_palsy"] == "no" and "about_you" in reached:
            assert "no_palsy" in reached
            assert not any(s.startswith("movements") for s in reached)
        if "no_palsy" in reached:
            assert case.answers["hx_palsy"] == "no"
