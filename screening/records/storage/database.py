"""Opening a database by URL, its settings, and applying the migrations (one transaction each)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from ...errors import StorageError
from ...migrations import migrations
from ...settings import DEFAULT_DATABASE_URL
from .schema import schema_migrations

# SQLAlchemy logs every result row at DEBUG (hide_parameters hides only what is sent), and rows
# hold contact details and answers: its engine logs warnings and errors only, even when the rest
# of the logging is turned up.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

ENV_URL = "SCREENING_DATABASE_URL"
DEFAULT_URL = DEFAULT_DATABASE_URL
BUSY_TIMEOUT_MS = 5000
_LOCK_ID = 7_355_608  # PostgreSQL advisory lock: one replica migrates at a time


def connect(url: str) -> Engine:
    """An engine for a sqlite:/// or postgresql:// URL (no connection is made yet)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StorageError(f"not a database URL: {exc}") from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create the database folder: {exc.strerror}") from None
        # Every transaction takes SQLite's one write lock (BEGIN IMMEDIATE, below), so one
        # connection per process loses nothing, and its queue is first come, first served:
        # SQLite's own busy wait is not, and under load a writer could give up after
        # BUSY_TIMEOUT_MS while others got in. Other processes still meet the busy wait.
        single = {"poolclass": sa.pool.QueuePool, "pool_size": 1, "max_overflow": 0}
        on_disk = bool(parsed.database) and parsed.database != ":memory:"
        engine = sa.create_engine(parsed, hide_parameters=True, **(single if on_disk else {}))
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        return sa.create_engine(
            parsed, hide_parameters=True, pool_pre_ping=True, connect_args={"connect_timeout": 5}
        )
    raise StorageError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


def _sqlite_connect(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # SQLAlchemy emits BEGIN (below) so that DDL in a migration is transactional too.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in (
        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
        "PRAGMA journal_mode = WAL",  # readers never wait for the writer
        "PRAGMA synchronous = FULL",  # a committed request survives a power cut
        "PRAGMA foreign_keys = ON",
        # Deleted rows are overwritten with zeros, not left in free pages (forget, purge).
        "PRAGMA secure_delete = ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front: a read-then-write transaction cannot fail halfway.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database and empty it, so a deleted person's
    details are not left readable in screening.db-wal (with secure_delete the pages they were
    on are zeroed). Nothing to do on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    with guard(engine, "checkpoint the database"), engine.connect() as conn:
        # On the driver's connection: outside the BEGIN IMMEDIATE that every SQLAlchemy
        # transaction here starts (a checkpoint cannot run inside a transaction).
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            cursor.close()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})


@contextmanager
def guard(engine: Engine, what: str) -> Iterator[None]:
    """Turn any database failure inside into StorageError (never with the SQL's parameters)."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        cause = getattr(exc, "orig", None) or exc
        first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        raise StorageError(
            f"cannot {what} ({where}): {type(cause).__name__}: {first_line}"
        ) from exc


def upgrade(engine: Engine, until: str | None = None) -> list[str]:
    """Apply the migrations not yet recorded (up to `until`), one transaction each."""
    applied: list[str] = []
    with guard(engine, "migrate"):
        with engine.begin() as conn:
            _lock(conn)
            schema_migrations.create(conn, checkfirst=True)
        for migration in migrations(engine.dialect.name):
            with engine.begin() as conn:
                _lock(conn)
                done = sa.select(schema_migrations.c.name).where(
                    schema_migrations.c.name == migration.name
                )
                if conn.execute(done).first() is None:
                    for statement in migration.statements:
                        conn.exec_driver_sql(statement)
                    conn.execute(
                        schema_migrations.insert().values(
                            name=migration.name, applied_at=datetime.now(UTC)
                        )
                    )
                    applied.append(migration.name)
            if migration.name == until:
                break
    return applied
