"""Rows to CSV text that a spreadsheet opens as data, never as formulas. Pure.

Names, notes and utm_* values come from the public; a cell that starts with = + - @ (or a tab or
carriage return) would run as a formula in Excel or LibreOffice, so it gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """A CSV document with a header row; every cell is text and formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(cell_text(row.get(c))) for c in columns])
    return out.getvalue()


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
