"""deploy/single-server/backup.py, as the daily timer and the runbook run it: a backup of a real
database holding a contact request, restored after the request was deleted, brings it back.
SQLite always; PostgreSQL (pg_dump, pg_restore) when a test server is given (.ci/run starts one)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from backends import postgres_url
from deploy_files import ROOT

from screening.questionnaire.rules import Result
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import ENV_URL, open_store

SCRIPT = ROOT / "deploy" / "single-server" / "backup.py"
RESULT = Result(
    tier="consult",
    reasons=("linked_movements",),
    score=40,
    evidence=(),
    steps_reached=(),
    questionnaire_version="abc123def456",
    answers={"hx_palsy": "yes"},
)


def run(app_dir: Path, *args: str, url: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != ENV_URL}
    if url:
        env[ENV_URL] = url
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--app-dir", str(app_dir), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def add_request(url: str, name: str) -> int:
    store = open_store(url)
    try:
        channel = Channel(utm_source="flyer")
        screening_id = store.save_screening(RESULT, channel, "en")
        return store.save_contact(
            ContactRequest(name, "+18065032090", None, "call", "morning", ""),
            consent_text="I agree.",
            lang="en",
            channel=channel,
            screening_id=screening_id,
            idempotency_key=name,
        )
    finally:
        store.close()


def names(url: str) -> list[str]:
    store = open_store(url)
    try:
        return [row["name"] for row in store.contact_rows()]
    finally:
        store.close()


def forget(url: str, contact_id: int) -> None:
    store = open_store(url)
    try:
        assert store.forget_contact(contact_id)
    finally:
        store.close()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A database of its own: a restore replaces a whole database, never a shared one."""
    base = sa.make_url(postgres_url())
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"test_backup_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def backup_restore_round_trip(url: str, tmp_path: Path) -> None:
    contact = add_request(url, "Ana Backup")
    out = run(tmp_path, "backup", "--to", str(tmp_path / "backups"), url=url)
    (made,) = sorted((tmp_path / "backups").iterdir())
    assert f"backed up to {made}" in out
    assert made.stat().st_mode & 0o077 == 0  # contact details: readable by the owner only
    forget(url, contact)  # what a restore is for: something lost after the backup
    add_request(url, "Ben After")
    assert names(url) == ["Ben After"]
    run(tmp_path, "restore", str(made), url=url)
    assert names(url) == ["Ana Backup"]


def test_a_sqlite_backup_brings_back_a_deleted_contact_request(tmp_path: Path) -> None:
    backup_restore_round_trip(f"sqlite:///{tmp_path / 'data' / 'screening.db'}", tmp_path)


def test_a_postgresql_backup_brings_back_a_deleted_contact_request(
    postgres_database: str, tmp_path: Path
) -> None:
    backup_restore_round_trip(postgres_database, tmp_path)


def test_the_database_is_found_in_secrets_toml_when_the_environment_names_none(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    add_request(url, "Ana Secrets")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'database_url = "{url}"\n')
    run(tmp_path, "backup", "--to", str(tmp_path / "backups"))
    (made,) = (tmp_path / "backups").iterdir()
    assert names(f"sqlite:///{made}") == ["Ana Secrets"]


def test_without_settings_the_default_database_in_data_is_backed_up(tmp_path: Path) -> None:
    add_request(f"sqlite:///{tmp_path / 'data' / 'screening.db'}", "Ana Default")
    run(tmp_path, "backup", "--to", str(tmp_path / "backups"))
    (made,) = (tmp_path / "backups").iterdir()
    assert names(f"sqlite:///{made}") == ["Ana Default"]


def test_backups_older_than_the_retention_are_deleted_and_nothing_else(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'screening.db'}"
    add_request(url, "Ana Old")
    folder = tmp_path / "backups"
    folder.mkdir()
    day = 86_400
    ages = {
        "screening-20200101T031500Z.db": 20,
        "screening-20200102T031500Z.dump": 15,
        "screening-20200103T031500Z.db": 13,
        "notes.txt": 100,  # not a backup: never touched
        "screening-20200104T031500Z.db.partial": 100,  # not a finished backup: left for a person
    }
    for name, days in ages.items():
        (folder / name).write_text("x")
        then = time.time() - days * day
        os.utime(folder / name, (then, then))
    out = run(tmp_path, "backup", "--to", str(folder), "--keep-days", "14", url=url)
    left = sorted(p.name for p in folder.iterdir())
    today = [n for n in left if n not in ages]
    assert len(today) == 1 and today[0].startswith(f"screening-{datetime.now(UTC):%Y%m%d}")
    assert set(left) - set(today) == {
        "screening-20200103T031500Z.db",
        "notes.txt",
        "screening-20200104T031500Z.db.partial",
    }
    assert out.count("deleted ") == 2
