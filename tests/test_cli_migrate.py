"""`python -m screening migrate`: what a deployment runs before a rollout (the Kubernetes Job in
deploy/kubernetes/base/migrate-job.yaml). It brings any database up to date and says where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from screening.cli import EXIT_FAILED, EXIT_OK, main
from screening.records.storage import ENV_URL, upgrade
from screening.records.storage.database import connect

# The files on disk, not the loader's view of them: a new migration is expected without a change.
FOLDER = Path(__file__).resolve().parent.parent / "screening" / "migrations"
NAMES = sorted(p.stem for p in FOLDER.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def recorded(url: str) -> list[str]:
    engine = connect(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name FROM schema_migrations ORDER BY name"))
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def test_there_are_migrations_to_apply() -> None:
    assert len(NAMES) >= 3 and NAMES[0] == "0001_initial"


def test_an_empty_database_is_brought_up_to_date(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, url)
    assert main(["migrate"]) == EXIT_OK
    assert capsys.readouterr().out.split() == NAMES
    assert recorded(url) == NAMES


def test_a_partly_migrated_database_gets_the_rest_and_a_second_run_changes_nothing(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = connect(url)
    try:
        assert upgrade(engine, until=NAMES[0]) == [NAMES[0]]  # an older release's database
    finally:
        engine.dispose()
    assert recorded(url) == NAMES[:1]
    monkeypatch.setenv(ENV_URL, url)
    for _ in range(2):
        assert main(["migrate"]) == EXIT_OK
        assert capsys.readouterr().out.split() == NAMES
        assert recorded(url) == NAMES


def test_a_database_that_cannot_be_reached_fails_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    monkeypatch.setenv(ENV_URL, "postgresql://screening:secret@127.0.0.1:9/screening")
    assert main(["migrate"]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.out == ""
    # The database it is about (password masked), then the one line that says what failed.
    named, failed = captured.err.splitlines()
    assert named == "database: postgresql://screening:****@127.0.0.1:9/screening"
    assert failed.startswith("database: cannot migrate") and "secret" not in captured.err
