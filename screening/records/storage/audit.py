"""The audit trail (0010): who did what on the staff side, when, from which address.

Append-only from the app's side: this module inserts and reads, and nothing in the project
updates or deletes a row (purge and forget leave the trail alone; tests/test_audit.py checks
the source). A row names records by number and holds the app's own words, never a patient's
answers or contact details. Writing a row is part of the action: an action whose row cannot be
written fails with it (StorageError), so nothing audited happens unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .database import guard
from .schema import AUDIT_COLUMNS, audit_trail

COMMAND_LINE = "command line"
SHARED = "shared password"  # before the first account exists

# Every action the trail knows, with its words on the staff page.
ACTIONS: dict[str, str] = {
    "sign_in": "signed in",
    "sign_in_failed": "failed sign-in",
    "sign_out": "signed out",
    "idle_sign_out": "signed out after inactivity",
    "view_requests": "viewed the contact requests",
    "mark_handled": "marked a request handled",
    "call_attempt": "recorded a call attempt",
    "export": "downloaded a file",
    "forget": "forgot a person",
    "purge": "purged old records",
    "account": "changed an account",
    "unlock": "lifted a lock-out",
    "audit_export": "downloaded the audit trail",
}


@dataclass(frozen=True)
class Entry:
    """One row to append; `at` is filled in when it is written."""

    actor: str
    action: str
    target: str | None = None
    row_count: int | None = None
    detail: str | None = None
    address: str | None = None

    def about(self, target: str, detail: str) -> Entry:
        """This entry as an account change of `target`."""
        return replace(self, action="account", target=target, detail=detail)

    def values(self, at: datetime) -> dict[str, Any]:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown audit action {self.action!r}")
        return {
            "at": at,
            "actor": self.actor[:254],
            "action": self.action,
            "target": None if self.target is None else self.target[:254],
            "row_count": self.row_count,
            "detail": None if self.detail is None else self.detail[:200],
            "address": None if self.address is None else self.address[:64],
        }


def append(conn: Connection, entry: Entry, at: datetime | None = None) -> None:
    """Append `entry` inside the caller's transaction."""
    conn.execute(audit_trail.insert().values(**entry.values(at or datetime.now(UTC))))


class AuditTrail:
    """Append to and read the trail; raises StorageError when the database fails."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, entry: Entry, at: datetime | None = None) -> None:
        with guard(self.engine, "write the audit trail"), self.engine.begin() as conn:
            append(conn, entry, at)

    def rows(self, since: datetime | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Rows newest first (all of them, or the newest `limit`)."""
        c = audit_trail.c
        query = sa.select(*(c[name] for name in AUDIT_COLUMNS)).order_by(c.at.desc(), c.id.desc())
        if since is not None:
            query = query.where(c.at >= since)
        if limit is not None:
            query = query.limit(limit)
        with guard(self.engine, "read the audit trail"), self.engine.begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
