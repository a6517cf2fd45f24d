"""The clinic's call-back work list: who to call next, how long they have waited, and what a call
attempt came to. Pure: rows and the clock are passed in.

"Next to call" puts the most pressing result first (the tiers' order in questions.yaml: soon
before consult before info) and, within a tier, whoever has waited longest. A request stays on
the list until it is handled: by "Mark as handled", or by an attempt whose outcome closes it
(booked, not interested).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

NOTE_MAX = 1000
# Outcome id -> the words staff see. The ids are what is stored.
OUTCOMES: dict[str, str] = {
    "no_answer": "No answer",
    "left_message": "Left a message",
    "booked": "Booked",
    "not_interested": "Not interested",
}
CLOSING = frozenset({"booked", "not_interested"})  # these mark the request handled


def next_to_call(
    rows: Sequence[Mapping[str, Any]], tiers: Sequence[str]
) -> list[Mapping[str, Any]]:
    """Open requests, the most pressing tier first, then the longest waiting. A request without
    a known tier comes after every known one."""
    rank = {tier: i for i, tier in enumerate(tiers)}
    open_rows = [r for r in rows if r.get("handled_at") is None]
    return sorted(
        open_rows,
        key=lambda r: (rank.get(str(r.get("tier")), len(rank)), r["created_at"], r["id"]),
    )


def waited(since: datetime, now: datetime) -> str:
    """How long since `since`, in the words a front desk uses ("3 days", "5 hours", "20 min")."""
    seconds = max(0, int((now - since).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} min"


def outcome_problem(outcome: str, note: str) -> str | None:
    """Why an attempt cannot be saved, or None."""
    if outcome not in OUTCOMES:
        return "Choose what the call came to."
    if len(note) > NOTE_MAX:
        return f"The note is longer than {NOTE_MAX} characters."
    return None
