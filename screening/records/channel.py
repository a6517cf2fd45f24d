"""Where a visit came from: the utm_* values of the link the clinic shared, made safe to keep.

Pure. The values come from the address bar, so anyone can type anything there: only a small set
of characters is kept, each value is cut to MAX_LENGTH, and every other query parameter is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

KEYS: tuple[str, ...] = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
MAX_LENGTH = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9 _.\-]")


@dataclass(frozen=True)
class Channel:
    """The campaign a visit came from; None where the link did not say."""

    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The four values by their utm_* names (the column names in storage and exports)."""
        return asdict(self)


DIRECT = Channel()  # a visit without utm_* values


def read_channel(params: Mapping[str, str | Iterable[str]]) -> Channel:
    """The Channel of a query-parameter mapping; values may be strings or lists of strings."""
    values = {key: clean(_first(params.get(key))) for key in KEYS}
    return Channel(**values)


def clean(value: str | None) -> str | None:
    """Keep letters, digits, space, _ . - only; cut to MAX_LENGTH; None when nothing is left."""
    if value is None:
        return None
    kept = " ".join(_UNSAFE.sub("", value).split())[:MAX_LENGTH].strip()
    return kept or None


def _first(value: object) -> str | None:
    """The value itself, or the first non-blank text of a list; anything else counts as absent."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return next((v for v in value if isinstance(v, str) and v.strip()), None)
    return None
