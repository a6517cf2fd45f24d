"""The databases the storage tests run against: a SQLite file always, PostgreSQL when a server is
given in SCREENING_TEST_POSTGRES_URL (.ci/run starts one). With CI=true a missing server fails."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from screening.records.channel import Channel
from screening.records.storage import Store, event_row

POSTGRES_ENV = "SCREENING_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str:
    """The test server's URL; skips locally without one, fails in CI."""
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        message = f"no PostgreSQL server: set {POSTGRES_ENV} (bash .ci/run starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


@contextmanager
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of `backend`, removed afterwards (PostgreSQL: a fresh schema)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'screening.db'}"
        return
    base = sa.make_url(postgres_url())
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"{POSTGRES_ENV} is set but the server does not answer: {exc}", pytrace=False)
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def count_event(store: Store, kind: str, channel: Channel, lang: str, **details: Any) -> None:
    """Count one funnel event now, the way the app's background writer does (one row)."""
    store.record_events([event_row(kind, channel, lang, **details)])
