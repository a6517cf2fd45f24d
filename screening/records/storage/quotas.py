"""How many contact requests one visit and one client address may send per hour, counted in the
database so that every replica sees the same counts.

Without a limit, "Start over" (a new idempotency key) or a fresh tab let one person, or a script,
store hundreds of requests a minute and fill the clinic's list. A request is counted in the same
transaction that stores it: over the limit, the transaction rolls back and nothing is stored.
The address is never stored, only a keyed hash of it (Quota.sender_digest).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ...errors import LimitReached
from .schema import contact_quota

WINDOW = timedelta(hours=1)
PER_SESSION = 3  # a person who wants to add something may send twice more
PER_ADDRESS = 10  # a clinic's or family's shared Wi-Fi has one address
_LOCK_ID = 7_355_609  # PostgreSQL advisory lock: one count at a time (SQLite: BEGIN IMMEDIATE)


@dataclass(frozen=True)
class Quota:
    """Whose request this is: hashes only, never the token or the address themselves."""

    tab_digest: str
    sender_digest: str | None  # None: a connection from this machine, limited per tab only
    per_session: int = PER_SESSION
    per_address: int = PER_ADDRESS

    @classmethod
    def of(cls, session_token: str, address: str | None, key: bytes) -> Quota:
        """The quota of one browser tab (`session_token`) at one client address. Streamlit gives
        None for loopback: local use, the load benchmark, or a proxy that does not hand on the
        client's address; counting those per address would let one visitor lock out everyone
        behind that proxy, so they are limited per tab only (and by nginx's limits)."""
        return cls(
            tab_digest=hashlib.sha256(session_token.encode()).hexdigest(),
            sender_digest=None if address is None else address_digest(address, key),
        )


def address_digest(address: str, key: bytes) -> str:
    """The keyed hash (HMAC-SHA-256) that stands for a client address; the address itself is
    never stored. Every replica needs the same key for their counts to meet."""
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def claim(conn: Connection, quota: Quota, now: datetime) -> None:
    """Count one request; raise LimitReached (the caller's transaction then rolls back) when the
    visit or the address already sent its share within WINDOW. Expired counts are deleted."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
    c = contact_quota.c
    since = now - WINDOW
    conn.execute(contact_quota.delete().where(c.at < since))
    counted = conn.execute(
        sa.select(
            sa.func.count().filter(c.tab_digest == quota.tab_digest),
            sa.func.count().filter(c.sender_digest == quota.sender_digest),
        ).where(c.at >= since)
    ).one()
    by_address = quota.sender_digest is not None and counted[1] >= quota.per_address
    if counted[0] >= quota.per_session or by_address:
        raise LimitReached("contact requests per hour reached")
    conn.execute(
        contact_quota.insert().values(
            at=now, tab_digest=quota.tab_digest, sender_digest=quota.sender_digest or ""
        )
    )
