"""Loading content files: every problem is found, coded and placed on the right line.

Broken files are written inline: the real file with one targeted change, or a few lines of YAML.
Tests assert on codes and lines, never on wording.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from core_spec import build
from pydantic import ValidationError

from screening.errors import CATALOGUE, ContentError, Problem
from screening.questionnaire import rules, yamlread
from screening.questionnaire.loader import (
    DEFAULT_CLINIC,
    DEFAULT_QUESTIONS,
    check_file,
    load_clinic,
    load_questionnaire,
)
from screening.questionnaire.models import Questionnaire

REAL_QUESTIONS = DEFAULT_QUESTIONS.read_text(encoding="utf-8")
REAL_CLINIC = DEFAULT_CLINIC.read_text(encoding="utf-8")


def mutate(text: str, *changes: tuple[str, str]) -> str:
    """Apply each (old, new) replacement once; old must be in the text."""
    for old, new in changes:
        assert old in text, f"the real file no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th occurrence of needle."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


def problems_in(tmp_path: Path, text: str | bytes, name: str = "questions.yaml") -> list[Problem]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return check_file(path)


def located(problems: list[Problem]) -> set[tuple[str, int | None]]:
    return {(p.code, p.line) for p in problems}


def test_real_files_have_no_problems() -> None:
    assert check_file(DEFAULT_QUESTIONS) == []
    assert check_file(DEFAULT_CLINIC) == []


# (replacements in the real questions.yaml, expected code, text on the expected line, occurrence)
QUESTIONNAIRE_PROBLEMS = [
    pytest.param([("minutes: 3\n", "minutes: 3\n  bad: x\n")], "E102", "  bad: x", 1, id="syntax"),
    pytest.param(
        [("minutes: 3\n", "minutes: 3\nminuts: 4\n")], "E200", "minuts: 4", 1, id="unknown-key"
    ),
    pytest.param(
        [("        scale: yes_no\n", "        scale: yes_no\n        requird: false\n")],
        "E200",
        "requird: false",
        1,
        id="unknown-key-in-question",
    ),
    pytest.param(
        [
            (
                "        short:\n          en: New sudden signs that can mean a stroke\n"
                "          es: Señales nuevas y repentinas de derrame cerebral\n",
                "",
            )
        ],
        "E201",
        "- id: rf_stroke_signs",
        1,
        id="missing-field",
    ),
    pytest.param(
        [("minutes: 3\n", "minutes: three\n")], "E202", "minutes: three", 1, id="wrong-type"
    ),
    pytest.param(
        [("{id: never, points: 0,", "{id: never, points: lots,")],
        "E202",
        "points: lots",
        1,
        id="wrong-type-nested",
    ),
    pytest.param(
        [("  es: Autoevaluación de movimientos de la cara\nminutes", "minutes")],
        "E203",
        "title:",
        1,
        id="missing-spanish",
    ),
    pytest.param(
        [("- id: rf_recurrence", "- id: rf_worsening")],
        "E300",
        "- id: rf_worsening",
        2,
        id="duplicate-question-id",
    ),
    pytest.param(
        [("{id: right,", "{id: left,")],
        "E301",
        "{id: left, text: {en: Right",
        1,
        id="duplicate-option-id",
    ),
    pytest.param(
        [("{id: rarely,", "{id: never,")],
        "E301",
        "{id: never, points: 1",
        1,
        id="duplicate-scale-option-id",
    ),
    pytest.param(
        [("show_if: {question: rf_new_weakness,", "show_if: {question: rf_new_weaknes,")],
        "E302",
        "{question: rf_new_weaknes,",
        1,
        id="show-if-unknown-question",
    ),
    pytest.param(
        [("show_if: {question: rf_new_weakness,", "show_if: {question: rf_lump,")],
        "E303",
        "show_if: {question: rf_lump,",
        1,
        id="show-if-later-question",
    ),
    pytest.param(
        [("show_if: {question: rf_new_weakness,", "show_if: {question: rf_new_weakness_checked,")],
        "E303",
        "show_if: {question: rf_new_weakness_checked,",
        1,
        id="show-if-itself",
    ),
    pytest.param(
        [("when: {question: rf_lump,", "when: {question: rf_lumps,")],
        "E302",
        "when: {question: rf_lumps,",
        1,
        id="rule-unknown-question",
    ),
    pytest.param(
        [("{question: hx_recovery, is: [none]}", "{question: hx_recovery, is: [nothing]}")],
        "E304",
        "is: [nothing]",
        1,
        id="rule-unknown-option",
    ),
    pytest.param(
        [("scale: yes_no\n", "scale: yes_nope\n")],
        "E305",
        "scale: yes_nope",
        1,
        id="unknown-scale",
    ),
    pytest.param(
        [("{score_at_least: consult_score}", "{score_at_least: consult_scor}")],
        "E306",
        "{score_at_least: consult_scor}",
        1,
        id="unknown-threshold",
    ),
    pytest.param(
        [("value: 25\n", "value: 250\n")], "E307", "value: 250", 1, id="score-threshold-over-100"
    ),
    pytest.param(
        [("value: 25\n", "value: -1\n")], "E307", "value: -1", 1, id="score-threshold-negative"
    ),
    pytest.param(
        [("value: 2\n", "value: 13\n")], "E307", "value: 13", 1, id="count-more-than-signs"
    ),
    pytest.param(
        [("value: often\n", "value: very\n")], "E307", "value: very", 1, id="level-not-an-option"
    ),
    pytest.param(
        [("- reason: lump\n", "- reason: lumps\n")],
        "E308",
        "- reason: lumps",
        1,
        id="rule-reason-without-text",
    ),
    pytest.param(
        [("- reason: lump\n", "- reason: worsening\n")],
        "E309",
        "  lump:\n",
        1,
        id="reason-no-rule-gives",
    ),
    pytest.param(
        [("Call {emergency_number} now\n", "Call {emergency_numbr} now\n")],
        "E310",
        "{emergency_numbr}",
        1,
        id="unknown-placeholder",
    ),
    pytest.param(
        [("    tier: soon\n", "    tier: later\n")],
        "E312",
        "tier: later",
        1,
        id="rule-unknown-tier",
    ),
    pytest.param(
        [("minutes: 3\n", "minutes: 3\nminutes: 4\n")],
        "E105",
        "minutes: 4",
        1,
        id="duplicate-key",
    ),
    pytest.param(
        [("minutes: 3\n", "minutes: !!python/object/apply:os.getcwd []\n")],
        "E104",
        "minutes: !!python",
        1,
        id="python-tag",
    ),
    pytest.param(
        [("minutes: 3\n", "minutes: !custom 3\n")], "E104", "minutes: !custom", 1, id="custom-tag"
    ),
    pytest.param(
        [
            ("title:\n", "title: &t\n"),
            (
                "  page_title:\n    en: Facial movement self-check\n"
                "    es: Autoevaluación de movimientos de la cara\n",
                "  page_title: *t\n",
            ),
        ],
        "E103",
        "page_title: *t",
        1,
        id="alias",
    ),
]


@pytest.mark.parametrize(("changes", "code", "needle", "occurrence"), QUESTIONNAIRE_PROBLEMS)
def test_questionnaire_problem_is_coded_and_located(
    tmp_path: Path, changes: list[tuple[str, str]], code: str, needle: str, occurrence: int
) -> None:
    text = mutate(REAL_QUESTIONS, *changes)
    problems = problems_in(tmp_path, text)
    assert (code, line_of(text, needle, occurrence)) in located(problems), problems
    assert all(p.file.endswith("questions.yaml") for p in problems)
    with pytest.raises(ContentError) as caught:
        load_questionnaire(tmp_path / "questions.yaml")
    assert caught.value.problems == problems


@pytest.mark.parametrize(
    ("changes", "suggestion"),
    [
        pytest.param([("minutes: 3\n", "minutes: 3\nminuts: 4\n")], "minutes", id="top-level"),
        pytest.param(
            [("        scale: yes_no\n", "        scale: yes_no\n        requird: false\n")],
            "required",
            id="question",
        ),
        pytest.param(
            [("    interrupts: true\n", "    interupts: true\n")], "interrupts", id="tier"
        ),
    ],
)
def test_unknown_key_suggests_the_near_key(
    tmp_path: Path, changes: list[tuple[str, str]], suggestion: str
) -> None:
    problems = problems_in(tmp_path, mutate(REAL_QUESTIONS, *changes))
    unknown = [p for p in problems if p.code == "E200"]
    assert len(unknown) == 1
    assert "did you mean" in unknown[0].message
    assert f"'{suggestion}'" in unknown[0].message


def test_missing_field_names_its_path(tmp_path: Path) -> None:
    text = mutate(
        REAL_QUESTIONS,
        (
            "        short:\n          en: New sudden signs that can mean a stroke\n"
            "          es: Señales nuevas y repentinas de derrame cerebral\n",
            "",
        ),
    )
    problems = problems_in(tmp_path, text)
    assert [(p.code, p.field) for p in problems] == [("E201", "steps.0.questions.0.short")]


def test_missing_translation_names_the_language(tmp_path: Path) -> None:
    text = mutate(
        REAL_QUESTIONS, ("  es: Autoevaluación de movimientos de la cara\nminutes", "minutes")
    )
    problems = problems_in(tmp_path, text)
    assert [(p.code, p.field) for p in problems] == [("E203", "title.es")]


def test_several_schema_problems_are_all_reported(tmp_path: Path) -> None:
    text = mutate(
        REAL_QUESTIONS,
        ("minutes: 3\n", "minutes: three\n"),
        ("  es: Autoevaluación de movimientos de la cara\n", ""),
        ("        scale: yes_no\n", "        scale: yes_no\n        requird: false\n"),
        ("{id: never, points: 0,", "{id: never, points: lots,"),
    )
    assert located(problems_in(tmp_path, text)) >= {
        ("E202", line_of(text, "minutes: three")),
        ("E203", line_of(text, "title:")),
        ("E200", line_of(text, "requird: false")),
        ("E202", line_of(text, "points: lots")),
    }


def test_several_consistency_problems_are_all_reported(tmp_path: Path) -> None:
    text = mutate(
        REAL_QUESTIONS,
        ("show_if: {question: rf_new_weakness,", "show_if: {question: rf_lump,"),
        ("when: {question: rf_lump,", "when: {question: rf_lumps,"),
        ("{score_at_least: consult_score}", "{score_at_least: consult_scor}"),
        ("value: 2\n", "value: 13\n"),
        ("Call {emergency_number} now\n", "Call {emergency_numbr} now\n"),
    )
    assert located(problems_in(tmp_path, text)) >= {
        ("E303", line_of(text, "show_if: {question: rf_lump,")),
        ("E302", line_of(text, "when: {question: rf_lumps,")),
        ("E306", line_of(text, "{score_at_least: consult_scor}")),
        ("E307", line_of(text, "value: 13")),
        ("E310", line_of(text, "{emergency_numbr}")),
    }


def test_several_yaml_problems_are_all_reported(tmp_path: Path) -> None:
    text = mutate(
        REAL_QUESTIONS,
        ("minutes: 3\n", "minutes: 3\nminutes: 4\n"),
        ("    interrupts: true\n", "    interrupts: !!python/name:os.system\n"),
    )
    assert located(problems_in(tmp_path, text)) >= {
        ("E105", line_of(text, "minutes: 4")),
        ("E104", line_of(text, "interrupts: !!python")),
    }


# --- reading the file -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        pytest.param("", "E106", 1, id="empty"),
        pytest.param("# only a comment\n", "E106", 1, id="only-a-comment"),
        pytest.param("- a\n- b\n", "E106", 1, id="a-list"),
        pytest.param("just text\n", "E106", 1, id="a-scalar"),
        pytest.param("a: 1\nb: [1, 2\nc: 3\n", "E102", 3, id="unclosed-list"),
        pytest.param("a: 1\n\tb: 2\n", "E102", 2, id="tab-indent"),
        pytest.param("a: &x {en: hi, es: hola}\nb: *x\n", "E103", 2, id="alias"),
        pytest.param("a: &x {k: 1}\nb:\n  <<: *x\n", "E103", 3, id="merge-key"),
        pytest.param("a: &x k\nb:\n  *x : 1\n", "E103", 3, id="alias-as-key"),
        pytest.param("a: [1, 2]\nb: *nowhere\n", "E103", 2, id="undefined-alias"),
        pytest.param("a: 1\nb: 2\na: 3\n", "E105", 3, id="duplicate-top-key"),
        pytest.param("a:\n  b: 1\n  b: 2\n", "E105", 3, id="duplicate-nested-key"),
        pytest.param("a: !!binary aGVsbG8=\n", "E104", 1, id="binary-tag"),
        pytest.param("a: !!set {x, y}\n", "E104", 1, id="set-tag"),
        pytest.param("a: " + "[" * 40 + "]" * 40 + "\n", "E107", 1, id="too-deep"),
    ],
)
def test_reading_problems(tmp_path: Path, text: str, code: str, line: int) -> None:
    problems = problems_in(tmp_path, text)
    assert (code, line) in located(problems), problems


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    text = "\n".join(levels) + "\n"
    start = time.perf_counter()
    problems = problems_in(tmp_path, text)
    assert time.perf_counter() - start < 2
    assert {p.code for p in problems} == {"E103"}


def test_python_tag_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = mutate(
        REAL_QUESTIONS,
        (
            "minutes: 3\n",
            "minutes: !!python/object/apply:pathlib.Path.touch"
            f' [!!python/object/apply:pathlib.Path ["{marker}"]]\n',
        ),
    )
    assert "E104" in {p.code for p in problems_in(tmp_path, text)}
    assert not marker.exists()


def test_too_large_file(tmp_path: Path) -> None:
    text = REAL_QUESTIONS + "#" * yamlread.MAX_BYTES + "\n"
    problems = problems_in(tmp_path, text)
    assert [p.code for p in problems] == ["E101"]


def test_missing_file(tmp_path: Path) -> None:
    assert [p.code for p in check_file(tmp_path / "nowhere.yaml")] == ["E100"]
    assert [p.code for p in check_file(tmp_path / "clinic.yaml")] == ["E100"]


def test_not_utf8(tmp_path: Path) -> None:
    problems = problems_in(
        tmp_path, REAL_QUESTIONS.encode("utf-8").replace(b"Primero", b"\xffrimero")
    )
    assert [p.code for p in problems] == ["E102"]


# --- YAML 1.2 booleans ----------------------------------------------------------------------


def test_unquoted_yes_and_no_stay_option_ids(tmp_path: Path) -> None:
    text = REAL_QUESTIONS.replace('"yes"', "yes").replace('"no"', "no")
    assert "- id: yes\n" in text and "is: [yes]" in text
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    q = load_questionnaire(path)
    assert q.question("rf_lump").option_ids == ("yes", "no", "unsure")
    assert q.question("hx_palsy").option_ids == ("yes", "no", "unsure")
    assert q.question("hx_seen_doctor").option_ids == ("yes", "no")
    assert q.scales["yes_no"].options[0].id == "yes"
    result = rules.evaluate(q, {"rf_stroke_signs": "no", "rf_new_weakness": "yes",
                                "rf_new_weakness_checked": "no"})  # fmt: skip
    assert (result.tier, result.reasons) == ("emergency", ("new_weakness_unchecked",))
    assert rules.evaluate(q, build(rf_breathing="yes")).tier == "emergency"


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO"])
def test_yaml_11_boolean_words_are_text(tmp_path: Path, word: str) -> None:
    data, _, problems = yamlread.parse(f"key: {word}\n", "x.yaml")
    assert problems == []
    assert data == {"key": word}


def test_true_and_false_are_still_booleans() -> None:
    data, _, problems = yamlread.parse("a: true\nb: false\n", "x.yaml")
    assert (data, problems) == ({"a": True, "b": False}, [])


# --- the loaded model -----------------------------------------------------------------------


def test_version_ignores_comments_and_layout_but_not_meaning(tmp_path: Path) -> None:
    path = tmp_path / "questions.yaml"
    real = load_questionnaire(DEFAULT_QUESTIONS).version
    path.write_text("# a new comment\n" + REAL_QUESTIONS + "\n\n# another\n", encoding="utf-8")
    assert load_questionnaire(path).version == real
    path.write_text(mutate(REAL_QUESTIONS, ("minutes: 3\n", "minutes: 4\n")), encoding="utf-8")
    assert load_questionnaire(path).version != real


def test_problem_text_is_path_line_field_message_code(tmp_path: Path) -> None:
    text = mutate(REAL_QUESTIONS, ("minutes: 3\n", "minutes: three\n"))
    (problem,) = problems_in(tmp_path, text)
    assert str(problem).startswith(f"{problem.file}:{line_of(text, 'minutes: three')}: minutes: ")
    assert str(problem).endswith(" [E202]")


def test_every_problem_code_is_in_the_catalogue() -> None:
    with pytest.raises(ValueError):
        Problem("E999", "not a code")
    assert all(re.fullmatch(r"[A-Z]\d{3}", code) for code in CATALOGUE)


# --- clinic.yaml ----------------------------------------------------------------------------


CLINIC_PROBLEMS = [
    pytest.param([("email:", "emial:")], "E200", "emial:", id="unknown-key"),
    pytest.param(
        [("booking_url: https://", "booking_url: http://")],
        "E202",
        "booking_url: http://",
        id="booking-url-not-https",
    ),
    pytest.param(
        [('emergency_number: "911"', 'emergency_number: "9-1-1"')],
        "E202",
        "emergency_number:",
        id="emergency-number-not-digits",
    ),
    pytest.param(
        [("default_language: en", "default_language: fr")],
        "E202",
        "default_language:",
        id="unknown-language",
    ),
    pytest.param(
        [("languages: [en, es]", "languages: [es]")],
        "E202",
        "default_language:",
        id="default-language-not-offered",
    ),
    pytest.param(
        [("days: {en: Friday, es: Viernes}", "days: {en: Friday}")],
        "E203",
        "days: {en: Friday}",
        id="missing-spanish",
    ),
    pytest.param(
        [("name: ", "name: &n "), ("website: https://www.facepluspsi.com/", "website: *n")],
        "E103",
        "website: *n",
        id="alias",
    ),
    pytest.param(
        [("default_language: en", "default_language: en\nlanguages: [en]")],
        "E105",
        "languages: [en]",
        id="duplicate-key",
    ),
]


@pytest.mark.parametrize(("changes", "code", "needle"), CLINIC_PROBLEMS)
def test_clinic_problem_is_coded_and_located(
    tmp_path: Path, changes: list[tuple[str, str]], code: str, needle: str
) -> None:
    text = mutate(REAL_CLINIC, *changes)
    problems = problems_in(tmp_path, text, name="clinic.yaml")
    assert (code, line_of(text, needle)) in located(problems), problems
    with pytest.raises(ContentError):
        load_clinic(tmp_path / "clinic.yaml")


def test_clinic_missing_phone(tmp_path: Path) -> None:
    phone_line = next(line for line in REAL_CLINIC.splitlines(True) if line.startswith("phone:"))
    problems = problems_in(tmp_path, REAL_CLINIC.replace(phone_line, ""), name="clinic.yaml")
    assert [(p.code, p.field) for p in problems] == [("E201", "phone")]


def test_file_kind_is_told_by_name(tmp_path: Path) -> None:
    # A clinic file under a clinic name is fine; under any other name it is a questionnaire.
    assert problems_in(tmp_path, REAL_CLINIC, name="test-clinic.yaml") == []
    as_questionnaire = problems_in(tmp_path, REAL_CLINIC, name="clinic.yaml.txt")
    assert {"E200", "E201"} <= {p.code for p in as_questionnaire}
    as_clinic = problems_in(tmp_path, REAL_QUESTIONS, name="clinic.yaml")
    assert {"E200", "E201"} <= {p.code for p in as_clinic}


def test_the_loaded_questionnaire_refuses_changes(questionnaire: Questionnaire) -> None:
    # Shared by every visitor through the cache: neither fields nor mappings may change.
    with pytest.raises(TypeError):
        questionnaire.reasons["stroke_signs"] = questionnaire.reasons["few_signs"]  # type: ignore[index]
    with pytest.raises(TypeError):
        del questionnaire.thresholds["consult_score"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        questionnaire.minutes = 1  # type: ignore[misc]


def test_a_threshold_no_rule_uses_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "questions.yaml"
    path.write_text(
        mutate(
            REAL_QUESTIONS,
            (
                "thresholds:\n",
                "thresholds:\n  spare:\n    value: 7\n"
                "    basis: Product choice, not used anywhere.\n",
            ),
        ),
        encoding="utf-8",
    )
    problems = check_file(path)
    assert [(p.code, p.field) for p in problems] == [("E315", "thresholds.spare")]
    assert problems[0].line is not None
