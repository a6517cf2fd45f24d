"""One source of settings (screening/settings.py): environment, then .streamlit/secrets.toml,
then the default, for the app, /ready and every command alike.

The case that went wrong: the database URL only in secrets.toml. The app stored a request there,
while `forget` deleted id 1 of another database and /ready probed a third."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from screening.questionnaire.rules import Result
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store
from screening.settings import (
    DEFAULT_DATABASE_URL,
    SecretsFileError,
    mask_url,
    read_secrets,
    resolve,
    secrets_files,
)

ROOT = Path(__file__).resolve().parent.parent
RESULT = Result(
    tier="consult",
    reasons=("early",),
    score=1,
    evidence=(),
    steps_reached=(),
    questionnaire_version="v",
    answers={"x": "y"},
)


def test_the_environment_wins_then_secrets_then_the_default() -> None:
    env = {"SCREENING_DATABASE_URL": "sqlite:///env.db"}
    secrets = {"database_url": "sqlite:///secret.db", "staff_password_hash": "h"}
    both = resolve(env, secrets)
    assert (both.database_url, both.get("database_url").source) == (
        "sqlite:///env.db",
        "environment",
    )
    only_secrets = resolve({}, secrets)
    assert only_secrets.get("database_url").source == "secrets"
    assert (
        only_secrets.get("staff_password_hash").where
        == "staff_password_hash in .streamlit/secrets.toml"
    )
    nothing = resolve({"SCREENING_DATABASE_URL": ""}, {})  # an empty variable is unset
    assert (nothing.database_url, nothing.get("database_url").source) == (
        DEFAULT_DATABASE_URL,
        "default",
    )


def test_secrets_files_are_read_in_streamlits_order(tmp_path: Path) -> None:
    home, here = tmp_path / "home", tmp_path / "here"
    for folder, url in ((home, "sqlite:///home.db"), (here, "sqlite:///here.db")):
        (folder / ".streamlit").mkdir(parents=True)
        (folder / ".streamlit" / "secrets.toml").write_text(f'database_url = "{url}"\n')
    files = secrets_files(cwd=here, home=home)
    assert read_secrets(files)["database_url"] == "sqlite:///here.db"  # the project's file wins
    (here / ".streamlit" / "secrets.toml").write_text('database_url = "unclosed\n')
    with pytest.raises(SecretsFileError) as caught:
        read_secrets(files)
    assert str(here) in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://clinic:s3cret@db:5432/screening",
            "postgresql://clinic:****@db:5432/screening",
        ),
        ("postgresql+psycopg://clinic@db/screening", "postgresql+psycopg://clinic@db/screening"),
        ("sqlite:////srv/data/screening.db", "sqlite:////srv/data/screening.db"),
    ],
)
def test_database_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert mask_url(url) == shown


# --- the secrets-only database, reached by everything -----------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """A working folder whose .streamlit/secrets.toml alone names the database (no variable)."""
    folder = tmp_path / "site"
    (folder / ".streamlit").mkdir(parents=True)
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    (folder / ".streamlit" / "secrets.toml").write_text(
        f'database_url = "{url}"\n[smtp]\nhost = "mail"\npassword = "mailpass-77"\n'
    )
    monkeypatch.delenv("SCREENING_DATABASE_URL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(folder)
    yield folder, url


def cli(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SCREENING_DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "screening", *argv],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def stored_request(url: str, name: str) -> int:
    store = open_store(url)
    try:
        channel = Channel()
        screening = store.save_screening(RESULT, channel, "en")
        return store.save_contact(
            ContactRequest(
                name=name, phone="+18065032090", email=None, way=None, time=None, note=""
            ),
            consent_text="I agree",
            lang="en",
            channel=channel,
            screening_id=screening,
            idempotency_key=name,
            now=datetime.now(UTC),
        )
    finally:
        store.close()


def names(url: str) -> list[str]:
    store = open_store(url)
    try:
        return [str(r["name"]) for r in store.contact_rows()]
    finally:
        store.close()


def test_every_command_uses_the_database_named_only_in_secrets(project: tuple[Path, str]) -> None:
    folder, url = project
    ident = stored_request(url, "Zebulon Secretsonly")
    shown = cli(folder, "settings")
    assert shown.returncode == 0, shown.stderr
    assert f"database_url = {url}  (database_url in .streamlit/secrets.toml)" in shown.stdout
    assert "mailpass-77" not in shown.stdout and "smtp = host=mail, password=****" in shown.stdout
    exported = cli(folder, "export", "contacts")
    assert "Zebulon Secretsonly" in exported.stdout, exported.stderr
    assert f"database: {url}" in exported.stderr
    purged = cli(folder, "purge", "--older-than", "30")
    assert purged.returncode == 0 and purged.stdout.strip().endswith(f"in {url}"), purged.stderr
    forgotten = cli(folder, "forget", "--contact", str(ident))
    assert forgotten.returncode == 0, forgotten.stderr
    assert f"from {url}" in forgotten.stdout
    assert names(url) == []  # deleted from the clinic's database, not from another one


def test_ready_probes_the_database_named_only_in_secrets(project: tuple[Path, str]) -> None:
    from web.site.server import _readiness

    folder, url = project
    assert _readiness().status_code == 200
    assert Path(url.removeprefix("sqlite:///")).exists()  # it was this file that answered
    (folder / ".streamlit" / "secrets.toml").write_text(
        'database_url = "postgresql://u:p@127.0.0.1:1/none"\n'  # nothing listens on port 1
    )
    down = _readiness()
    assert down.status_code == 503 and b"database" in down.body


def test_the_app_writes_to_the_database_named_only_in_secrets(project: tuple[Path, str]) -> None:
    from web.selfcheck import records

    _, url = project
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["database_url"] = url
    at.run()
    at.button(key="nav.start").click().run()
    assert not at.exception
    assert records.flush_counts()
    store = open_store(url)
    try:
        kinds = {
            r["kind"]
            for r in store.funnel_counts(datetime.now(UTC).date(), datetime.now(UTC).date())
        }
    finally:
        store.close()
    assert "started" in kinds
