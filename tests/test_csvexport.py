"""CSV exports: a spreadsheet gets data, never a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.outputs.csvexport import FORMULA_STARTS, cell_text, neutralise, to_csv


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+18065032090", "'+18065032090"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_to_csv_writes_a_header_and_neutralises_every_cell() -> None:
    rows = [
        {"name": '=HYPERLINK("http://evil","x")', "note": "fine, with a comma", "score": 42},
        {"name": "Bo", "note": "line\nbreak", "score": None, "ignored": "x"},
    ]
    assert parse(to_csv(rows, ["name", "note", "score"])) == [
        ["name", "note", "score"],
        ['\'=HYPERLINK("http://evil","x")', "fine, with a comma", "42"],
        ["Bo", "line\nbreak", ""],
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "true"),
        (7, "7"),
        (datetime(2025, 3, 14, 15, 9, 26, 535, tzinfo=UTC), "2025-03-14T15:09:26Z"),
        (
            datetime(2025, 3, 14, 10, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2025-03-14T15:00:00Z",
        ),
        (date(2025, 3, 14), "2025-03-14"),
        (["stroke_signs", "early"], '["stroke_signs", "early"]'),
        ({"b": ["x"], "a": "y"}, '{"a": "y", "b": ["x"]}'),
    ],
    ids=["none", "bool", "int", "utc", "other-zone", "date", "list", "mapping"],
)
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_no_cell_of_any_export_starts_a_formula(cells: list[str]) -> None:
    columns = [f"c{i}" for i in range(len(cells))]
    [header, row] = parse(to_csv([dict(zip(columns, cells, strict=True))], columns))
    assert header == columns
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
    assert [c[1:] if c != text else c for c, text in zip(row, cells, strict=True)] == cells


def test_phones_are_written_as_tel_uris_without_an_apostrophe() -> None:
    text = to_csv([{"phone": "+18065032090", "note": "+18065032090"}], ["phone", "note"])
    assert text.splitlines()[1] == "tel:+18065032090,'+18065032090"  # a note stays neutralised
    assert to_csv([{"phone": "+1=HYPERLINK()"}], ["phone"]).splitlines()[1] == "'+1=HYPERLINK()"
