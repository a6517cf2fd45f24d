"""The staff sign-in lock-out kept in the database; the policy is screening/lockout.py.

One row (id 1), shared by every session, process and replica, so restarting the app or clearing
its caches does not reset it either. An attempt is counted in one short transaction before its
password is checked, with the row locked meanwhile (SQLite: BEGIN IMMEDIATE, see database.py;
PostgreSQL: SELECT ... FOR UPDATE): attempts that arrive together are counted one at a time, and
no transaction stays open while argon2 works.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..lockout import CLEARED, POLICY, Attempt, Policy, State, admit, outcome, refused
from .database import guard
from .schema import staff_lockout

ROW = 1


class StoredLockout:
    """The lock-out of every staff sign-in; raises StorageError when it cannot be kept."""

    def __init__(self, engine: Engine, policy: Policy = POLICY) -> None:
        self.engine = engine
        self.policy = policy

    def state(self) -> State:
        """The state as stored now."""
        with guard(self.engine, "read the sign-in lock-out"), self.engine.begin() as conn:
            return self._locked_row(conn)

    def wait(self, now: float) -> float:
        """Seconds until the sign-in opens again; 0 when it is open."""
        return max(0.0, self.state().until - now)

    def attempt(self, check: Callable[[], bool], now: float) -> Attempt:
        """Count the attempt, then run `check` (the password comparison) unless locked."""
        with guard(self.engine, "count a sign-in attempt"), self.engine.begin() as conn:
            before = self._locked_row(conn)
            admitted, counted = admit(before, now, self.policy)
            if admitted:
                self._write(conn, counted)
        if not admitted:
            return refused(before, now)
        ok = check()
        if ok:
            with guard(self.engine, "clear the sign-in lock-out"), self.engine.begin() as conn:
                self._write(conn, CLEARED)
        return outcome(ok, counted, now)

    @staticmethod
    def _locked_row(conn: Connection) -> State:
        # The row is made by migration 0003; put it back if someone deleted it.
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(staff_lockout)
            .values(id=ROW, failures=0, locks=0, locked_until=0.0)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        c = staff_lockout.c
        query = sa.select(c.failures, c.locks, c.locked_until).where(c.id == ROW).with_for_update()
        row = conn.execute(query).one()
        return State(int(row.failures), int(row.locks), float(row.locked_until))

    @staticmethod
    def _write(conn: Connection, state: State) -> None:
        conn.execute(
            staff_lockout.update()
            .where(staff_lockout.c.id == ROW)
            .values(failures=state.failures, locks=state.locks, locked_until=state.until)
        )
