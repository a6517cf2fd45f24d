"""Call attempts on contact requests (0011); the rules are records/callback.py. An attempt, the
request's handled mark when its outcome closes it, and its audit row (the outcome, never the
note) are written in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..callback import CLOSING, OUTCOMES, outcome_problem
from .audit import Entry, append
from .database import guard
from .schema import call_attempts, contact_requests


class StoredCalls:
    """Record and read call attempts; raises StorageError when the database fails."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(
        self, contact_id: int, outcome: str, note: str, by: Entry, now: datetime | None = None
    ) -> bool:
        """Save one attempt by `by.actor`; False when there is no such request. ValueError when
        the outcome or note is not acceptable."""
        problem = outcome_problem(outcome, note)
        if problem:
            raise ValueError(problem)
        at = now or datetime.now(UTC)
        c = contact_requests.c
        with guard(self.engine, "save the call attempt"), self.engine.begin() as conn:
            found = conn.execute(sa.select(c.id).where(c.id == contact_id)).first()
            if found is None:
                return False
            conn.execute(
                call_attempts.insert().values(
                    contact_id=contact_id, at=at, staff=by.actor, outcome=outcome,
                    note=note.strip(),
                )
            )
            closes = outcome in CLOSING
            if closes:
                conn.execute(
                    contact_requests.update()
                    .where(c.id == contact_id, c.handled_at.is_(None))
                    .values(handled_at=at)
                )
            detail = OUTCOMES[outcome] + (" (request handled)" if closes else "")
            append(conn, replace(by, target=f"contact request {contact_id}", detail=detail), at)
        return True

    def attempts(self, contact_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Attempts oldest first (of the given requests, or all)."""
        a = call_attempts.c
        query = sa.select(a.id, a.contact_id, a.at, a.staff, a.outcome, a.note).order_by(
            a.at, a.id
        )
        if contact_ids is not None:
            query = query.where(a.contact_id.in_(list(contact_ids)))
        with guard(self.engine, "read call attempts"), self.engine.begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
