"""The staff sign-in lock-out kept in the database, one row per client address; the policy is
screening/records/lockout_policy.py.

Rows are shared by every session, process and replica, so restarting the app or clearing its
caches resets nothing. An address is known only by its keyed hash (`sender`). An attempt is
counted in one short transaction before its password is checked, with the address's row locked
meanwhile (SQLite: BEGIN IMMEDIATE, see database.py; PostgreSQL: SELECT ... FOR UPDATE):
attempts that arrive together are counted one at a time, and no transaction stays open while
argon2 works.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..lockout_policy import (
    ACCOUNT_POLICY,
    CLEARED,
    POLICY,
    Attempt,
    Policy,
    State,
    admit,
    outcome,
    refused,
)
from .database import guard
from .quotas import address_digest
from .schema import account_lockout, sign_in_lockout

LOCAL = "local"  # connections from this machine (Streamlit gives no address for them)


def sender(address: str | None, key: bytes) -> str:
    """The lock-out key of a client address: its keyed hash; LOCAL for loopback or none."""
    if address is None:
        return LOCAL
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address_digest(address, key)  # not an address we can parse: hashed as it is
    if parsed.is_loopback:
        return LOCAL
    # One spelling per address (IPv6 has many), so `unlock` finds what the app counted.
    return address_digest(str(parsed), key)


class StoredLockout:
    """The lock-out of the staff sign-in per address; raises StorageError when it cannot be
    kept."""

    table = sign_in_lockout
    key = "sender_digest"

    def __init__(self, engine: Engine, policy: Policy = POLICY) -> None:
        self.engine = engine
        self.policy = policy

    def _key(self) -> sa.Column[str]:
        return self.table.c[self.key]

    def _family(self, who: str) -> sa.ColumnElement[bool]:
        """The rows whose recent failures count towards `who`'s ceiling (policy.crowd)."""
        return sa.true()

    def state(self, who: str) -> State:
        """The state of one address as stored now."""
        with guard(self.engine, "read the sign-in lock-out"), self.engine.begin() as conn:
            return self._row(conn, who, lock=False)

    def wait(self, who: str, now: float) -> float:
        """Seconds until the address may sign in again; 0 when it is open."""
        return max(0.0, self.state(who).until - now)

    def attempt(self, who: str, check: Callable[[], bool], now: float) -> Attempt:
        """Count the attempt of address `who`, then run `check` (the password comparison)
        unless that address is locked."""
        with guard(self.engine, "count a sign-in attempt"), self.engine.begin() as conn:
            self._forget_quiet(conn, now)
            before = self._row(conn, who, lock=True)
            admitted, counted = admit(before, now, self.policy, self._crowded(conn, who, now))
            if admitted:
                self._write(conn, who, counted, now)
        if not admitted:
            return refused(before, now)
        ok = check()
        if ok:
            with guard(self.engine, "clear the sign-in lock-out"), self.engine.begin() as conn:
                self._delete(conn, who)
        return outcome(ok, counted, now)

    def clear(self, who: str | None = None) -> int:
        """Unlock one address (`who`), or every address (None); returns the rows removed."""
        with guard(self.engine, "clear the sign-in lock-out"), self.engine.begin() as conn:
            query = self.table.delete()
            if who is not None:
                query = query.where(self._key() == who)
            return int(conn.execute(query).rowcount or 0)

    def _crowded(self, conn: Connection, who: str, now: float) -> int:
        c = self.table.c
        query = sa.select(sa.func.count()).where(
            c.last_failure >= now - self.policy.recent, self._key() != who, self._family(who)
        )
        return int(conn.execute(query).scalar_one())

    def _forget_quiet(self, conn: Connection, now: float) -> None:
        c = self.table.c
        conn.execute(
            self.table.delete().where(
                c.last_failure < now - self.policy.forget, c.locked_until <= now
            )
        )

    def _row(self, conn: Connection, who: str, *, lock: bool) -> State:
        c = self.table.c
        query = sa.select(c.failures, c.locks, c.locked_until).where(self._key() == who)
        if lock:
            # The row must exist to be locked: attempts of one address queue on it.
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            conn.execute(
                dialect.insert(self.table)
                .values(
                    {
                        self.key: who,
                        "failures": 0,
                        "locks": 0,
                        "locked_until": 0.0,
                        "last_failure": 0.0,
                    }
                )
                .on_conflict_do_nothing(index_elements=[self.key])
            )
            query = query.with_for_update()
        row = conn.execute(query).one_or_none()
        if row is None:
            return CLEARED
        return State(int(row.failures), int(row.locks), float(row.locked_until))

    def _write(self, conn: Connection, who: str, state: State, now: float) -> None:
        conn.execute(
            self.table.update()
            .where(self._key() == who)
            .values(
                failures=state.failures,
                locks=state.locks,
                locked_until=state.until,
                last_failure=now,
            )
        )

    def _delete(self, conn: Connection, who: str) -> None:
        conn.execute(self.table.delete().where(self._key() == who))


def account_key(account_id: int, who: str) -> str:
    """The lock-out key of one account at one client address (`who`: sender's result)."""
    return f"{account_id}/{who}"


class AccountLockout(StoredLockout):
    """The lock-out per staff account and client address (0009). Wrong passwords for an
    account lock it from the address they came from, so a stranger elsewhere never locks a
    member of staff out; guesses at one account spread over many addresses meet the ceiling
    (policy.crowd), counted among that account's own rows only, so one account's trouble leaves
    every other account's sign-in as it was."""

    table = account_lockout
    key = "lock_key"

    def __init__(self, engine: Engine, policy: Policy = ACCOUNT_POLICY) -> None:
        super().__init__(engine, policy)

    def _family(self, who: str) -> sa.ColumnElement[bool]:
        prefix = who.split("/", 1)[0] + "/"
        return self._key().startswith(prefix, autoescape=True)

    def clear_account(self, account_id: int) -> int:
        """Unlock one account from every address; returns the rows removed."""
        with guard(self.engine, "clear the account lock-out"), self.engine.begin() as conn:
            query = self.table.delete().where(
                self._key().startswith(f"{account_id}/", autoescape=True)
            )
            return int(conn.execute(query).rowcount or 0)
