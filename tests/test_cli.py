"""The command line, run as a person would: exit codes, output shapes, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from core_spec import (
    ABOUT_OPTIONS,
    CHECKED,
    EMERGENCY,
    HISTORY_OPTIONS,
    LEVELS,
    RECENT,
    SAFETY,
    SIGNS,
    STROKE_OPTIONS,
    TIERS,
    YES_NO_UNSURE,
    build,
    expected_score,
    points,
)
from hypothesis import event, given, settings
from hypothesis import strategies as st

from screening import cli
from screening.questionnaire.loader import DEFAULT_CLINIC, DEFAULT_QUESTIONS
from screening.questionnaire.models import Clinic, Questionnaire

ROOT = Path(__file__).resolve().parent.parent
PROBLEM_LINE = re.compile(r"^.+ \[A10[0-3]\]$")
CONSULT = build(eye_narrows_smile="often", face_tight="sometimes")


def run(*args: str, stdin: str | bytes = b"") -> subprocess.CompletedProcess[str]:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "screening", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def score(answers: Any, *args: str) -> subprocess.CompletedProcess[str]:
    return run("score", *args, stdin=json.dumps({"answers": answers}))


def test_emergency_with_only_stroke_signs(questionnaire: Questionnaire, clinic: Clinic) -> None:
    done = score({"rf_stroke_signs": "now"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = json.loads(done.stdout)  # exactly one JSON object
    assert out["tier"] == "emergency"
    assert out["reasons"] == ["stroke_signs"]
    assert out["score"] is None
    assert out["questionnaire_version"] == questionnaire.version
    assert out["texts"]["call_emergency"] is True
    assert clinic.emergency_number in out["texts"]["headline"]
    shown = [out["texts"]["headline"], out["texts"]["summary"], *out["texts"]["actions"]]
    assert not any("{" in text for text in shown)  # every placeholder filled


def test_full_consult_path(questionnaire: Questionnaire) -> None:
    done = score(CONSULT)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["tier"] == "consult"
    assert out["reasons"] == ["linked_movements"]
    assert out["score"] == expected_score(points(CONSULT))
    assert out["language"] == "en"
    assert set(out["evidence"]) == {"eye_narrows_smile", "face_tight"}
    # A palsy years ago: every step but the recent-palsy one and the no-palsy one.
    assert out["steps_reached"] == [
        step.id for step in questionnaire.steps if step.id not in ("recent", "no_palsy")
    ]
    texts = out["texts"]
    assert texts["headline"] == questionnaire.tier("consult").headline.en
    assert texts["contact_clinic"] is True and texts["call_emergency"] is False
    assert len(texts["topics"]) == len(questionnaire.consult_topics) > 0
    assert texts["not_diagnosis"] and texts["if_worse"]


def test_spanish_texts(questionnaire: Questionnaire) -> None:
    done = score(CONSULT, "--lang", "es")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["language"] == "es"
    texts = out["texts"]
    assert texts["headline"] == questionnaire.tier("consult").headline.es
    assert texts["why"] == [questionnaire.reasons["linked_movements"].text.es]
    assert texts["not_diagnosis"] == questionnaire.ui.not_diagnosis.es
    answers = {line["answer"] for line in texts["evidence"]}
    assert answers == {"Muchas veces", "A veces"}


def test_answers_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": CONSULT}), encoding="utf-8")
    done = run("score", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tier"] == "consult"


@pytest.mark.parametrize(
    ("answers", "codes"),
    [
        pytest.param({**CONSULT, "nope": "yes"}, ["A100"], id="unknown-id"),
        pytest.param({**CONSULT, "rf_lump": "maybe"}, ["A101"], id="invalid-value"),
        pytest.param({**CONSULT, "twitching": None}, ["A101"], id="null-value"),
        pytest.param(build(face_tight=None), ["A102"], id="missing-answer"),
        pytest.param(
            build(face_tight=None, twitching=None, effort_to_move=None),
            ["A102", "A102", "A102"],
            id="three-missing-in-one-step",
        ),
        pytest.param(
            {**CONSULT, "nope": "yes", "rf_lump": "maybe", "hx_treatment": ["none", "botox"]},
            ["A100", "A101", "A101"],
            id="three-value-problems",
        ),
    ],
)
def test_answer_problems_one_line_each(answers: dict[str, Any], codes: list[str]) -> None:
    done = score(answers)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == len(codes)
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert sorted(re.findall(r"\[(A\d{3})\]$", "\n".join(lines), re.M)) == sorted(codes)


@pytest.mark.parametrize(
    "stdin",
    [
        pytest.param(b"{", id="malformed"),
        pytest.param(b"", id="empty"),
        pytest.param(b"null", id="null"),
        pytest.param(b"[]", id="list"),
        pytest.param(b'["answers"]', id="list-of-text"),
        pytest.param(b'{"answers": 5}', id="answers-a-number"),
        pytest.param(b'{"answers": []}', id="answers-a-list"),
        pytest.param(b'{"answers": {"rf_lump": {"a": [1, {"b": null}]}}}', id="nested-junk"),
        pytest.param(b'{"answers": {"hx_treatment": ["none", 3]}}', id="number-in-list"),
        pytest.param(b'{"answers": {}, "extra": 1}', id="extra-top-level-key"),
        pytest.param(b'{"answers": {"rf_lump": "yes"}', id="unclosed"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested"),
        pytest.param(b'{"answers": {"x": ' + b"1" * 5000 + b"}}", id="huge-number"),
        pytest.param(b'{"answers": {"\\ud800": "yes"}}', id="lone-surrogate"),
        pytest.param(b" " * (cli.MAX_INPUT_BYTES + 10) + b"{}", id="too-large"),
    ],
)
def test_bad_input_exits_2_without_traceback(stdin: bytes) -> None:
    done = run("score", stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip()
    assert "Traceback" not in done.stderr
    assert all(PROBLEM_LINE.match(line) for line in done.stderr.splitlines()), done.stderr


def test_missing_answers_file(tmp_path: Path) -> None:
    done = run("score", str(tmp_path / "nowhere.json"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.rstrip().endswith("[A103]")


def test_unknown_language_is_a_usage_error() -> None:
    done = score(CONSULT, "--lang", "fr")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_check_real_files() -> None:
    for args in ((), (str(DEFAULT_QUESTIONS), str(DEFAULT_CLINIC))):
        done = run("check", *args)
        assert (done.returncode, done.stdout.strip()) == (0, "OK"), done.stdout + done.stderr


def test_check_warns_when_the_public_address_is_missing(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    text = DEFAULT_CLINIC.read_text(encoding="utf-8")
    assert "\npublic_url:" not in text  # the example clinic is not published anywhere
    clinic.write_text(text, encoding="utf-8")
    done = run("check", str(clinic))
    assert (done.returncode, done.stdout.strip()) == (0, "OK")
    assert "warning:" in done.stderr and "public_url" in done.stderr
    clinic.write_text(text + "public_url: https://check.example.org/\n", encoding="utf-8")
    done = run("check", str(clinic))
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "OK", "")


def test_check_lists_every_problem(tmp_path: Path) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        DEFAULT_QUESTIONS.read_text(encoding="utf-8")
        .replace("minutes: 3\n", "minutes: three\n", 1)
        .replace("        scale: yes_no\n", "        scale: yes_no\n        requird: false\n", 1)
        .replace("  es: Autoevaluación de movimientos de la cara\n", "", 1),
        encoding="utf-8",
    )
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        DEFAULT_CLINIC.read_text(encoding="utf-8").replace("email:", "emial:", 1),
        encoding="utf-8",
    )
    done = run("check", str(questions), str(clinic))
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    pattern = re.compile(r"^(?P<path>.+):(?P<line>\d+): [\w.]+: .+ \[(?P<code>E\d{3})\]$")
    matches = [pattern.match(line) for line in lines]
    assert all(matches), lines
    found = {(Path(m["path"]).name, m["code"]) for m in matches if m}
    assert found == {
        ("questions.yaml", "E202"),
        ("questions.yaml", "E200"),
        ("questions.yaml", "E203"),
        ("clinic.yaml", "E200"),
    }
    assert len(lines) == 4


def test_check_missing_file(tmp_path: Path) -> None:
    done = run("check", str(tmp_path / "nowhere.yaml"))
    assert done.returncode == 2
    assert "[E100]" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


# --- any JSON at all, in process ------------------------------------------------------------

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)
_ids = st.sampled_from([*build(), CHECKED])
_options = st.sampled_from(
    ["yes", "no", "unsure", "now", "never", "often", "always", "lt_3w", "lt_18", "none"]
)
_valid_pairs = st.sampled_from(
    [("rf_stroke_signs", value) for value in STROKE_OPTIONS]
    + [
        (qid, value)
        for qid in (*EMERGENCY[1:], CHECKED, *RECENT, *SAFETY, "nh_twitching")
        for value in YES_NO_UNSURE
    ]
    + [(qid, value) for qid, values in ABOUT_OPTIONS.items() for value in values]
    + [(qid, value) for qid, values in HISTORY_OPTIONS.items() for value in values]
    + [(qid, value) for qid in SIGNS for value in LEVELS]
)
_changes = st.one_of(
    st.lists(_valid_pairs, max_size=4).map(dict),  # mostly complete and valid
    st.dictionaries(_ids, st.one_of(_options, st.none(), _json), max_size=4),
)
_inputs = st.one_of(
    _json.map(json.dumps),
    st.fixed_dictionaries({"answers": st.dictionaries(st.text(max_size=8) | _ids, _json)}).map(
        json.dumps
    ),
    _changes.map(lambda changes: json.dumps({"answers": build(**changes)})),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None)
@given(text=_inputs)
def test_any_input_exits_0_or_2(text: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["score"])
    finally:
        sys.stdin = stdin
    event(f"exit {code}")
    assert code in (0, 2)
    if code == 0:
        assert json.loads(out.getvalue())["tier"] in TIERS
    else:
        assert out.getvalue() == ""
        assert err.getvalue().strip()
