"""docs/CLINICAL-SAFETY.md points at real proof: every test file and test it names exists, and
every vignette title it quotes is a row of tests/test_vignettes.py."""

from __future__ import annotations

import re

from vignettes import VIGNETTES

from screening.questionnaire.loader import ROOT

SAFETY_MD = (ROOT / "docs" / "CLINICAL-SAFETY.md").read_text(encoding="utf-8")
TESTS = ROOT / "tests"


def _test_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py"))


def test_every_named_test_file_exists() -> None:
    files = set(re.findall(r"`(tests/[\w/]+\.py)", SAFETY_MD))
    assert files
    assert sorted(f for f in files if not (ROOT / f).is_file()) == []


def test_every_named_test_exists() -> None:
    # Test functions, not the test files named beside them (tests/test_x.py).
    names = set(re.findall(r"(?<![/\w])(test_\w+)\b(?!\.py)", SAFETY_MD))
    sources = _test_sources()
    assert len(names) >= 10
    assert sorted(n for n in names if f"def {n}(" not in sources) == []


def test_every_hazard_has_a_control_and_a_proof() -> None:
    rows = [line for line in SAFETY_MD.splitlines() if re.match(r"\| H\d+ \|", line)]
    assert len(rows) >= 15
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 7, row[:40]
        assert all(cells), row[:40]


def test_quoted_vignettes_are_rows_of_the_table() -> None:
    titles = {case.id for case in VIGNETTES}
    quoted = [
        q for q in re.findall(r'[Vv]ignettes? "([^"]+)"', SAFETY_MD) if not re.search(r"[*…]", q)
    ]
    assert len(quoted) >= 5
    assert [q for q in quoted if q not in titles] == []
