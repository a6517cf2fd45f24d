"""docs/RULES.md is what the code runs: made from questions.yaml, never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from screening.questionnaire.explain import describe_condition, explain
from screening.questionnaire.loader import ROOT
from screening.questionnaire.models import Condition, Questionnaire

RULES_MD = ROOT / "docs" / "RULES.md"


def test_rules_md_is_current(questionnaire: Questionnaire) -> None:
    assert RULES_MD.read_text(encoding="utf-8") == explain(questionnaire), (
        "docs/RULES.md is stale: run `make rules-doc`"
    )


def test_every_rule_and_threshold_is_in_the_document(questionnaire: Questionnaire) -> None:
    text = explain(questionnaire)
    for rule in questionnaire.rules:
        assert f"| `{rule.reason}` |" in text
    for name in questionnaire.thresholds:
        assert f"| `{name}` |" in text
    for step in questionnaire.steps:
        assert f"| `{step.id}` |" in text


def test_conditions_read_as_plain_english(questionnaire: Questionnaire) -> None:
    both = Condition.model_validate(
        {
            "all": [
                {"question": "hx_onset", "is": ["lt_3w"]},
                {
                    "any": [
                        {"question": "hx_seen_doctor", "is": ["no"]},
                        {"score_at_least": "consult_score"},
                    ]
                },
            ]
        }
    )
    assert describe_condition(questionnaire, both) == (
        '`hx_onset` is "Less than 3 weeks ago" and (`hx_seen_doctor` is "No" or the movement '
        "score is 25 or more (`consult_score`))"
    )
    often = Condition.model_validate({"question": "face_tight", "at_least": "often"})
    assert describe_condition(questionnaire, often) == '`face_tight` is "Often" or more'


def test_the_command_prints_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "screening", "explain"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout == RULES_MD.read_text(encoding="utf-8")
