"""docs/ERRORS.md documents every problem code in the catalogue, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from screening.errors import CATALOGUE

DOC = Path(__file__).resolve().parent.parent / "docs" / "ERRORS.md"
ROW = re.compile(r"^\| *([A-Z]\d{3}) *\| *`?(\w+)`? *\|(.*)\|(.*)\| *$")


def documented() -> dict[str, tuple[str, str, str]]:
    """Code -> (name, meaning, how to fix), from the table rows of docs/ERRORS.md."""
    rows: dict[str, tuple[str, str, str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            code, name, meaning, fix = (part.strip() for part in match.groups())
            assert code not in rows, f"{code} is documented twice"
            rows[code] = (name, meaning, fix)
    return rows


def test_every_catalogue_code_is_documented() -> None:
    missing = sorted(set(CATALOGUE) - set(documented()))
    assert missing == []


def test_nothing_undocumented_is_listed() -> None:
    unknown = sorted(set(documented()) - set(CATALOGUE))
    assert unknown == []


def test_documented_names_match_the_catalogue() -> None:
    rows = documented()
    for code, (name, _meaning) in CATALOGUE.items():
        if code in rows:
            assert rows[code][0] == name, code


def test_every_row_says_what_it_means_and_how_to_fix_it() -> None:
    for code, (_name, meaning, fix) in documented().items():
        assert len(meaning) > 10, code
        assert len(fix) > 10, code


def test_the_table_is_read() -> None:
    # The parser must find the table at all, or the tests above would prove nothing.
    assert len(documented()) >= 30
