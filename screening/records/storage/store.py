"""The Store: every read and write of the clinic's records, each in one committed transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ...errors import StorageError
from ...questionnaire.models import LANGUAGES
from ...questionnaire.rules import Result
from ...settings import from_files
from ..channel import KEYS as UTM_KEYS
from ..channel import Channel
from ..contact import ContactRequest, consent_version
from .audit import Entry, append
from .database import checkpoint, connect, guard, upgrade
from .quotas import Quota, claim
from .schema import (
    CONTACT_COLUMNS,
    SCREENING_COLUMNS,
    consent_texts,
    contact_requests,
    events,
    screenings,
)

# step_done: a step was left forwards (to a later step or the result), so the dashboard can
# tell how many of those shown a step stopped there, conditional steps and all.
EVENT_KINDS = ("started", "step_reached", "step_done", "result_shown", "contact_requested")
STEP_KINDS = ("step_reached", "step_done")


@dataclass(frozen=True)
class Purged:
    """How many rows a purge deleted."""

    screenings: int
    contact_requests: int


def open_store(url: str | None = None) -> Store:
    """Connect (url, else the database_url setting: screening/settings.py) and migrate."""
    engine = connect(url or from_files().database_url)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


class Store:
    """The clinic's records. Thread-safe; open one per process (cache it) and share it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ping(self) -> None:
        """Raise StorageError unless the database answers a trivial query."""
        with guard(self.engine, "reach the database"), self.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def record_events(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Count many funnel events (rows from `event_row`) in one transaction: one statement,
        one commit. A row whose visit already counted the same thing is skipped; how many
        were new."""
        if not rows:
            return 0
        with self._write("count events") as conn:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            # One statement for any number of rows (SQLAlchemy sends them as multi-row
            # INSERTs); building VALUES from the rows would compile and cache a new statement
            # for every batch size. RETURNING counts what was new on every driver.
            query = (
                dialect.insert(events)
                .on_conflict_do_nothing(index_elements=["dedupe_key"])
                .returning(events.c.id)
            )
            return len(conn.execute(query, [dict(row) for row in rows]).all())

    def save_screening(
        self,
        result: Result,
        channel: Channel,
        lang: str,
        *,
        idempotency_key: str | None = None,
        now: datetime | None = None,
        phone_measurements: str | None = None,
    ) -> int:
        """Keep a completed screening (no name, no contact); its id. The same key saves once.
        `phone_measurements`: what the person shared from the camera aid (measurement.encode)."""
        values = {
            "created_at": _aware(now),
            "questionnaire_version": _limit(result.questionnaire_version, 40),
            "lang": _lang(lang),
            "tier": _limit(result.tier, 20),
            "score": result.score,
            "reasons": json.dumps(list(result.reasons)),
            "answers": json.dumps(_plain_answers(result.answers), sort_keys=True),
            **channel.as_dict(),
            "idempotency_key": _limit(idempotency_key, 64),
            "phone_measurements": phone_measurements,
        }
        with self._write("save the screening") as conn:
            if idempotency_key is None:
                query = screenings.insert().values(values).returning(screenings.c.id)
                return int(conn.execute(query).scalar_one())
            self._insert_new(conn, screenings, values, "idempotency_key")
            return self._id_by_key(conn, screenings, idempotency_key)

    def save_contact(
        self,
        request: ContactRequest,
        *,
        consent_text: str,
        lang: str,
        channel: Channel,
        screening_id: int | None,
        idempotency_key: str,
        now: datetime | None = None,
        quota: Quota | None = None,
    ) -> int:
        """Keep a contact request with the consent text agreed to, and count it; its id.
        A second submit with the same idempotency_key stores nothing and returns the first id.
        With a quota, a new request past its limit raises LimitReached and nothing is stored."""
        if not idempotency_key or len(idempotency_key) > 64:
            raise ValueError("idempotency_key must be 1-64 characters")
        at = _aware(now)
        version = consent_version(consent_text)
        consent = {"version": version, "lang": _lang(lang), "text": consent_text, "first_seen": at}
        values = {
            "created_at": at,
            "screening_id": screening_id,
            "name": request.name,
            "phone": request.phone,
            "email": request.email,
            "preferred_way": request.way,
            "preferred_time": request.time,
            "note": request.note,
            "lang": lang,
            **channel.as_dict(),
            "consent_version": version,
            "consent_at": at,
            "idempotency_key": idempotency_key,
        }
        counted = {"day": at.astimezone(UTC).date(), "kind": "contact_requested", "lang": lang}
        with self._write("save the contact request") as conn:
            self._insert_new(conn, consent_texts, consent, "version")
            # A double submit (the same key) stores and counts nothing more.
            if self._insert_new(conn, contact_requests, values, "idempotency_key"):
                if quota is not None:
                    claim(conn, quota, at)
                conn.execute(events.insert().values(**counted, **channel.as_dict()))
            return self._id_by_key(conn, contact_requests, idempotency_key)

    def mark_handled(
        self, contact_id: int, now: datetime | None = None, audit: Entry | None = None
    ) -> bool:
        """Record that staff dealt with a contact request; False when there is no such id.
        `audit` is appended in the same transaction when the request was found."""
        query = (
            contact_requests.update()
            .where(contact_requests.c.id == contact_id)
            .values(handled_at=_aware(now))
        )
        with self._write("mark the contact request") as conn:
            found = conn.execute(query).rowcount > 0
            if found and audit is not None:
                append(conn, audit)
            return found

    def contact_rows(self, since: datetime | None = None) -> list[dict[str, Any]]:
        """Contact requests, oldest first, with their screening's tier and reasons."""
        c, s = contact_requests.c, screenings.c
        query = (
            sa.select(
                *(col for col in contact_requests.columns if col.name != "idempotency_key"),
                s.tier,
                s.reasons,
                s.phone_measurements,
            )
            .select_from(contact_requests.outerjoin(screenings, c.screening_id == s.id))
            .order_by(c.created_at, c.id)
        )
        if since is not None:
            query = query.where(c.created_at >= since)
        return [_row(r, CONTACT_COLUMNS) for r in self._read(query)]

    def screening_rows(self, since: datetime | None = None) -> list[dict[str, Any]]:
        """Kept screenings, oldest first; reasons and answers decoded."""
        query = sa.select(*(screenings.c[name] for name in SCREENING_COLUMNS)).order_by(
            screenings.c.created_at, screenings.c.id
        )
        if since is not None:
            query = query.where(screenings.c.created_at >= since)
        return [_row(r, SCREENING_COLUMNS) for r in self._read(query)]

    def screening_row(self, screening_id: int) -> dict[str, Any] | None:
        """One kept screening (reasons and answers decoded), or None."""
        query = sa.select(*(screenings.c[name] for name in SCREENING_COLUMNS)).where(
            screenings.c.id == screening_id
        )
        found = self._read(query)
        return _row(found[0], SCREENING_COLUMNS) if found else None

    def funnel_counts(self, start: date, end: date) -> list[dict[str, Any]]:
        """Event counts per day, kind, step, tier, language and channel, start..end inclusive."""
        e = events.c
        keys = [e.day, e.kind, e.step, e.tier, e.lang, *(e[k] for k in UTM_KEYS)]
        query = (
            sa.select(*keys, sa.func.count().label("count"))
            .where(e.day >= start, e.day <= end)
            .group_by(*keys)
            .order_by(*keys)
        )
        return [dict(r._mapping) for r in self._read(query)]

    def purge(self, older_than: timedelta, now: datetime, audit: Entry | None = None) -> Purged:
        """Delete contact requests and screenings created before now - older_than. A screening
        that a kept contact request points to stays until that request goes. `audit` is
        appended in the same transaction, with the number of rows deleted."""
        cutoff = _aware(now) - older_than
        c, s = contact_requests.c, screenings.c
        linked = sa.select(c.screening_id).where(c.screening_id.is_not(None))
        with self._write("purge") as conn:
            contacts = conn.execute(contact_requests.delete().where(c.created_at < cutoff))
            kept = conn.execute(
                screenings.delete().where(s.created_at < cutoff, s.id.not_in(linked))
            )
            purged = Purged(screenings=kept.rowcount, contact_requests=contacts.rowcount)
            if audit is not None:
                counts = f"{purged.screenings} screening(s), {purged.contact_requests} request(s)"
                append(conn, replace(audit, row_count=purged.screenings + purged.contact_requests,
                                     detail=f"{audit.detail or ''}{counts}"))  # fmt: skip
        checkpoint(self.engine)
        return purged

    def forget_contact(self, contact_id: int, audit: Entry | None = None) -> bool:
        """Delete one person's contact request, its screening, and any other request made from
        that same screening (the same visit). False when there is no such id. `audit` is
        appended in the same transaction when the request was found."""
        c = contact_requests.c
        with self._write("forget the contact") as conn:
            row = conn.execute(sa.select(c.screening_id).where(c.id == contact_id)).first()
            if row is None:
                return False
            screening_id = row.screening_id
            conn.execute(contact_requests.delete().where(c.id == contact_id))
            if screening_id is not None:
                conn.execute(contact_requests.delete().where(c.screening_id == screening_id))
                conn.execute(screenings.delete().where(screenings.c.id == screening_id))
            if audit is not None:
                append(conn, audit)
        checkpoint(self.engine)
        return True

    @contextmanager
    def _write(self, what: str) -> Iterator[Connection]:
        with guard(self.engine, what), self.engine.begin() as conn:
            yield conn

    def _read(self, query: sa.Select[Any]) -> list[sa.Row[Any]]:
        with guard(self.engine, "read"), self.engine.begin() as conn:
            return list(conn.execute(query))

    @staticmethod
    def _insert_new(conn: Connection, table: sa.Table, values: Mapping[str, Any], key: str) -> bool:
        """INSERT unless `key` is taken (no error, no aborted transaction); True if inserted."""
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        query = dialect.insert(table).values(values).on_conflict_do_nothing(index_elements=[key])
        return conn.execute(query.returning(table.c[key])).first() is not None

    @staticmethod
    def _id_by_key(conn: Connection, table: sa.Table, key: str) -> int:
        found = conn.execute(sa.select(table.c.id).where(table.c.idempotency_key == key)).first()
        if found is None:
            raise StorageError("the row just written cannot be read back")
        return int(found.id)


def event_row(
    kind: str,
    channel: Channel,
    lang: str,
    *,
    step: str | None = None,
    tier: str | None = None,
    session: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One funnel event as the row `Store.record_events` writes; raises ValueError when it
    cannot be one (checked where it happens, not later in a background writer)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    if (kind in STEP_KINDS) != (step is not None):
        raise ValueError("a step is given with step_reached and step_done, and only then")
    if kind == "result_shown" and tier is None:
        raise ValueError("result_shown needs the tier")
    return {
        "day": _aware(now).astimezone(UTC).date(),
        "kind": kind,
        "step": _limit(step, 40),
        "tier": _limit(tier, 20),
        "lang": _lang(lang),
        **channel.as_dict(),
        "dedupe_key": _dedupe_key(session, kind, step, tier) if session else None,
    }


def _aware(now: datetime | None) -> datetime:
    """`now`, or the clock when None; a time without a zone is a programming error."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("times given to storage must carry a time zone (use UTC)")
    return now


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    return lang


def _limit(value: str | None, length: int) -> str | None:
    if value is not None and len(value) > length:
        raise ValueError(f"{value[:20]!r}... is longer than {length} characters")
    return value


def _dedupe_key(session: str, kind: str, step: str | None, tier: str | None) -> str:
    raw = "\x1f".join((session, kind, step or "", tier or ""))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _plain_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str) else list(v) for k, v in answers.items()}


def _row(row: sa.Row[Any], columns: tuple[str, ...]) -> dict[str, Any]:
    data = dict(row._mapping)
    for key in ("reasons", "answers"):
        if key in data and data[key] is not None:
            data[key] = json.loads(data[key])
    return {name: data.get(name) for name in columns}
