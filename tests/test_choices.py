"""What one answer does by itself (screening/questionnaire/choices.py), without Streamlit."""

from __future__ import annotations

import pytest

from screening.questionnaire.choices import emergency_answers, keep_exclusive
from screening.questionnaire.models import Question, Questionnaire
from tests.core_spec import EMERGENCY_ANSWERS


def test_the_emergency_answers_are_those_contract_2_names(questionnaire: Questionnaire) -> None:
    assert emergency_answers(questionnaire) == EMERGENCY_ANSWERS


def test_the_stroke_questions_emergency_answers_come_last(questionnaire: Questionnaire) -> None:
    # "No" first and the answers that end the check last: a keyboard user never passes one.
    ending = emergency_answers(questionnaire)["rf_stroke_signs"]
    options = questionnaire.question("rf_stroke_signs").option_ids
    assert options[0] == "no" and options[-len(ending) :] == ending


@pytest.fixture
def treatment(questionnaire: Questionnaire) -> Question:
    return questionnaire.question("hx_treatment")


@pytest.mark.parametrize(
    ("before", "after", "kept"),
    [
        pytest.param([], ["none"], ["none"], id="nothing-yet-alone"),
        pytest.param(["therapy"], ["therapy", "none"], ["none"], id="nothing-yet-clears-others"),
        pytest.param(["botox", "therapy"], ["botox", "therapy", "none"], ["none"], id="clears-all"),
        pytest.param(["none"], ["none", "therapy"], ["therapy"], id="another-clears-nothing-yet"),
        pytest.param(["therapy"], ["therapy", "botox"], ["therapy", "botox"], id="others-combine"),
        pytest.param(["therapy", "botox"], ["botox"], ["botox"], id="removing-one"),
        pytest.param(["none"], [], [], id="removing-nothing-yet"),
        pytest.param(
            [],
            ["none", "therapy", "botox", "surgery", "other"],
            ["therapy", "botox", "surgery", "other"],
            id="select-all-keeps-the-others",
        ),
        pytest.param(
            ["none"],
            ["none", "therapy", "botox", "surgery", "other"],
            ["therapy", "botox", "surgery", "other"],
            id="select-all-after-nothing-yet",
        ),
        pytest.param(
            ["therapy"],
            ["therapy", "none", "botox", "surgery", "other"],
            ["therapy", "botox", "surgery", "other"],
            id="select-all-after-one",
        ),
    ],
)
def test_nothing_yet_stands_alone(
    treatment: Question, before: list[str], after: list[str], kept: list[str]
) -> None:
    assert treatment.exclusive == ("none",)
    assert keep_exclusive(treatment, before, after) == kept
