"""Where a person was in the self-check, kept in the database for a short while so that a reload,
a return after a locked screen or a restarted server goes on from there (migration 0006).

The app changes a place after nearly every tap, so it does not wait for those writes: `writer`
(PlaceWriter) keeps the newest state of each place and one background thread writes whatever
gathered, every `interval` seconds, in one transaction (one commit for everyone, where one commit
per tap made SQLite the bottleneck at 200 people: bench/resume.py). A reload in the same process
reads a place still waiting there first.

The browser holds only a random resume id (`new_id`); the table keys each row by a hash of it,
so a copy of the table opens nobody's check. A row holds the screen, the language and the
answers, never a contact detail or an address. It is gone `idle` seconds after its last change
and `keep` seconds after it was made, whichever comes first: each write deletes every row past
either limit (one indexed DELETE), and a read never returns one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from .batch_writer import BatchWriter, flushed_at_stop
from .database import guard
from .schema import resume_points

log = logging.getLogger("screening.storage")

ID_BYTES = 16
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")  # what token_urlsafe(16) gives, and nothing else
STATE_MAX = 16_000  # characters of JSON: far above a whole check's answers (about 1,000)
IDLE = 30 * 60  # seconds: a locked screen, the camera app, a phone call
KEEP = 2 * 60 * 60  # seconds: the longest any row lives, however busy


def new_id() -> str:
    """A fresh resume id: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(ID_BYTES)


def is_id(value: object) -> TypeGuard[str]:
    """True for a string shaped like `new_id`'s (anything else is never looked up)."""
    return isinstance(value, str) and _ID.match(value) is not None


def encode(state: Mapping[str, Any]) -> str:
    """A place as stored; ValueError when it is too large to keep."""
    text = json.dumps(state, sort_keys=True, separators=(",", ":"))
    if len(text) > STATE_MAX:
        raise ValueError("the state is too large to keep")
    return text


def digest(resume_id: str) -> str:
    """The row key of a resume id."""
    return hashlib.sha256(resume_id.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Lifetime:
    """How long a resume point lives, in seconds."""

    idle: float = IDLE
    keep: float = KEEP

    def __post_init__(self) -> None:
        if not (self.idle > 0 and self.keep > 0):
            raise ValueError("resume lifetimes must be positive")


class ResumeStore:
    """The resume points; raises StorageError when the database fails. Thread-safe."""

    def __init__(self, engine: Engine, lifetime: Lifetime = Lifetime()) -> None:
        self.engine = engine
        self.lifetime = lifetime

    def save(self, resume_id: str, state: Mapping[str, Any], now: float) -> None:
        """Keep `state` (JSON-able) under this id: made now, or replaced with its clock of
        `keep` running on. Expired rows, this one's included, are deleted first."""
        self.apply([(resume_id, encode(state))], now)

    def apply(self, changes: Sequence[tuple[str, str | None]], now: float) -> None:
        """Many places in one transaction: (id, state as `encode` gives it) keeps a place, (id,
        None) deletes it. Expired rows are deleted first."""
        if not all(is_id(rid) for rid, _ in changes):
            raise ValueError("not a resume id")
        kept = [
            {"id_digest": digest(rid), "created": now, "touched": now, "state": text}
            for rid, text in changes
            if text is not None
        ]
        gone = [digest(rid) for rid, text in changes if text is None]
        with guard(self.engine, "keep the places in the check"), self.engine.begin() as conn:
            self._purge(conn, now)
            if gone:
                conn.execute(resume_points.delete().where(resume_points.c.id_digest.in_(gone)))
            if kept:
                dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
                query = dialect.insert(resume_points)
                query = query.on_conflict_do_update(
                    index_elements=["id_digest"],
                    set_={"touched": query.excluded.touched, "state": query.excluded.state},
                )
                conn.execute(query, kept)

    def load(self, resume_id: str, now: float) -> dict[str, Any] | None:
        """The state kept under this id, or None (unknown, expired, or not an id)."""
        if not is_id(resume_id):
            return None
        c = resume_points.c
        query = sa.select(c.state).where(c.id_digest == digest(resume_id), *self._alive(now))
        with guard(self.engine, "read the place in the check"), self.engine.connect() as conn:
            text = conn.execute(query).scalar_one_or_none()
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def delete(self, resume_id: str) -> bool:
        """Forget this id's state at once ("Start over", a sent request); False if none."""
        if not is_id(resume_id):
            return False
        query = resume_points.delete().where(resume_points.c.id_digest == digest(resume_id))
        with guard(self.engine, "forget the place in the check"), self.engine.begin() as conn:
            return bool(conn.execute(query).rowcount)

    def purge(self, now: float) -> int:
        """Delete every expired row; how many."""
        with guard(self.engine, "purge the places in the check"), self.engine.begin() as conn:
            return self._purge(conn, now)

    def count(self) -> int:
        """Rows kept now (expired ones not yet purged included)."""
        query = sa.select(sa.func.count()).select_from(resume_points)
        with guard(self.engine, "count the places in the check"), self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def _alive(self, now: float) -> tuple[sa.ColumnElement[bool], ...]:
        c = resume_points.c
        return (c.touched >= now - self.lifetime.idle, c.created >= now - self.lifetime.keep)

    def _purge(self, conn: Connection, now: float) -> int:
        c = resume_points.c
        expired = sa.or_(c.touched < now - self.lifetime.idle, c.created < now - self.lifetime.keep)
        return int(conn.execute(resume_points.delete().where(expired)).rowcount or 0)


Change = tuple[str, str | None]  # (resume id, state as `encode` gives it, or None: delete it)


class PlaceWriter(BatchWriter[ResumeStore, Change]):
    """The newest change of each place, written by one daemon thread every `interval` seconds,
    all in one transaction per database. A failed write is logged (never with an id or a state)
    and dropped: the place is then older by that change, nothing worse."""

    failure = "could not keep %d places in the check"

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(interval=interval, name="resume-place-writer")
        self._changes: dict[tuple[int, str], tuple[ResumeStore, str | None]] = {}

    def put(self, points: ResumeStore, resume_id: str, state: Mapping[str, Any] | None) -> None:
        """Queue the newest state of a place (None: delete it); returns at once. ValueError for
        an id that is not one or a state too large."""
        if not is_id(resume_id):
            raise ValueError("not a resume id")
        text = None if state is None else encode(state)
        with self._lock:
            self._changes[(id(points.engine), resume_id)] = (points, text)
            self._added()

    def waiting(self, points: ResumeStore, resume_id: str) -> tuple[bool, dict[str, Any] | None]:
        """(True, the state or None if deleted) while a change of this place waits here."""
        with self._lock:
            found = self._changes.get((id(points.engine), resume_id))
        if found is None:
            return False, None
        text = found[1]
        return True, None if text is None else json.loads(text)

    def _pending(self) -> int:
        return len(self._changes)

    def _take(self) -> list[tuple[ResumeStore, Change]]:
        taken, self._changes = self._changes, {}
        return [(points, (rid, text)) for (_, rid), (points, text) in taken.items()]

    def _key(self, target: ResumeStore) -> int:
        return id(target.engine)  # one transaction per database, whichever ResumeStore queued

    def _write_to(self, target: ResumeStore, items: list[Change]) -> None:
        target.apply(items, time.time())


writer = flushed_at_stop(PlaceWriter())
