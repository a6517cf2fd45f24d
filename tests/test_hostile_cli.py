"""The command line's answers input, attacked: any JSON document at all (and any bytes in a file)
given to `python -m screening score` and `fhir response` ends in exit 2 and one located line
per problem, or in a result; never in a traceback. (tests/test_cli.py runs the nastiest
inputs, such as 100,000 nested lists or a lone surrogate, as real processes.)
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from core_spec import TIERS, build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening import cli

PROBLEM_LINE = re.compile(r"^.+ \[A10[0-3]\]$")
COMMANDS = (["score"], ["fhir", "response"])
TRIED: Counter[str] = Counter()

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**30, max_value=10**60)
    | st.floats()  # NaN and Infinity too: Python's json writes and reads them
    | st.text()
    | st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Cs", "Co"]))
)
any_json = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)
question_ids = st.sampled_from([*build(), "rf_new_weakness_checked", "", "__proto__"])
documents = st.one_of(
    any_json,  # any shape at all
    st.fixed_dictionaries({"answers": st.dictionaries(st.text(max_size=10), any_json)}),
    st.fixed_dictionaries({"answers": st.dictionaries(question_ids, any_json, max_size=6)}),
    # Real question ids with real-looking values, on top of a complete set: valid or nearly.
    st.dictionaries(question_ids, st.text(max_size=8) | st.lists(st.text(max_size=8)), max_size=4)
    .map(lambda changes: {"answers": {**build(), **changes}}),
    st.builds(lambda doc, extra: {**doc, **extra},
              st.fixed_dictionaries({"answers": st.just(build())}),
              st.dictionaries(st.text(max_size=6), any_json, min_size=1, max_size=2)),
)  # fmt: skip


def run(command: list[str], stdin: str, file: str = "-") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([*command, file])
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def assert_answered(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert code in (0, 2), (code, err)
    if code == 2:
        TRIED["refused"] += 1
        assert out == ""
        lines = err.splitlines()
        assert lines and all(PROBLEM_LINE.match(line) for line in lines), err
    else:
        TRIED["answered"] += 1
        printed = json.loads(out)
        assert printed.get("tier") in TIERS or printed.get("resourceType") == (
            "QuestionnaireResponse"
        )


HOSTILE = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@HOSTILE
@given(document=documents, command=st.sampled_from(COMMANDS), indent=st.sampled_from([None, 1]))
def test_any_json_document_is_answered_or_refused_never_a_traceback(
    document: object, command: list[str], indent: int | None
) -> None:
    code, out, err = run(command, json.dumps(document, indent=indent))
    TRIED["json documents"] += 1
    assert_answered(code, out, err)


@HOSTILE
@given(text=st.text(max_size=200) | st.sampled_from(["{", "[1,", '{"answers": {"a": 1e999}}']))
def test_any_text_on_stdin_is_answered_or_refused(text: str) -> None:
    code, out, err = run(["score"], text)
    TRIED["texts"] += 1
    assert_answered(code, out, err)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@HOSTILE
@given(data=st.binary(max_size=300) | st.text().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_in_an_answers_file_are_refused_or_answered(folder: Path, data: bytes) -> None:
    path = folder / "answers.json"
    path.write_bytes(data)
    code, out, err = run(["score"], "", str(path))
    TRIED["files of bytes"] += 1
    assert_answered(code, out, err)


def test_every_input_tried_was_refused_or_scored() -> None:
    # Runs after the properties above (file order): each kind was tried, and every input ended
    # as a refusal or a score (never a traceback); the line printed is SECURITY.md's figure.
    if not TRIED:
        pytest.skip("the properties did not run")
    tried = TRIED["json documents"] + TRIED["texts"] + TRIED["files of bytes"]
    assert min(TRIED["json documents"], TRIED["texts"], TRIED["files of bytes"]) > 0
    assert TRIED["refused"] + TRIED["answered"] >= tried
    print(
        f"\n[hostile input] {tried} arbitrary inputs to the command line "
        f"({TRIED['json documents']} JSON documents to score and fhir response, "
        f"{TRIED['texts']} texts, {TRIED['files of bytes']} files of bytes): "
        f"{TRIED['refused']} exit 2 with one line per problem, "
        f"{TRIED['answered']} scored, 0 tracebacks"
    )
