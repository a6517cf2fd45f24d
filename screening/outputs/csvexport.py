"""Rows to CSV text that a spreadsheet opens as data, never as formulas. Pure.

Names, notes and utm_* values come from the public; a cell that starts with = + - @ (or a tab or
carriage return) would run as a formula in Excel or LibreOffice, so it gets a leading apostrophe.
Phone numbers are stored in E.164 (+18065032090), and a leading + is a formula too; rather than
show an apostrophe in every phone cell, they are written as tel: URIs (RFC 3966,
tel:+18065032090): plain text to a spreadsheet, unambiguous, and dialable from most tools.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_COLUMNS = frozenset({"phone"})
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """A CSV document with a header row; every cell is text and formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(_cell(c, row.get(c))) for c in columns])
    return out.getvalue()


def _cell(column: str, value: object) -> str:
    text = cell_text(value)
    return f"tel:{text}" if column in PHONE_COLUMNS and _E164.fullmatch(text) else text


def cell_text(value: object) -> str:
    """One value as text: times in UTC ISO form, lists and mappings as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def neutralise(text: str) -> str:
    """Prefix an apostrophe when a cell would start a formula; other text is unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
