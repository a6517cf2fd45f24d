"""`python -m screening export|purge|forget|unlock|staff-password` on a real SQLite database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from core_spec import build

from screening.cli import main
from screening.questionnaire.loader import ROOT, load_questionnaire
from screening.questionnaire.rules import evaluate
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import ENV_URL, Store, open_store

NOW = datetime.now(UTC)
QUESTIONNAIRE = load_questionnaire()
# A palsy 3 weeks to 3 months old, seen by a doctor, one key movement often: consult, early.
RESULT = evaluate(QUESTIONNAIRE, build(hx_onset="3w_3m", eye_narrows_smile="often"))
# No palsy: the movement steps are never shown, so there is no score.
NO_PALSY = evaluate(QUESTIONNAIRE, build(hx_palsy="no", nh_twitching="unsure"))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The database the commands find through the environment, as on a server."""
    url = f"sqlite:///{tmp_path / 'screening.db'}"
    monkeypatch.setenv(ENV_URL, url)
    opened = open_store(url)
    yield opened
    opened.close()


def add_person(store: Store, name: str, *, days_ago: int = 0, key: str | None = None) -> int:
    at = NOW - timedelta(days=days_ago)
    channel = Channel(utm_source="flyer", utm_campaign="-spring")
    screening_id = store.save_screening(RESULT, channel, "es", now=at)
    return store.save_contact(
        ContactRequest(name, "+18065032090", "ana@example.org", "call", "morning", "=1+1"),
        consent_text="I agree.",
        lang="es",
        channel=channel,
        screening_id=screening_id,
        idempotency_key=key or name,
        now=at,
    )


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_contacts_as_csv_with_channel_language_and_tier(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    contact_id = add_person(store, "=cmd|' /C calc'!A0")
    assert main(["export", "contacts", "--format", "csv"]) == 0
    [row] = rows(capsys.readouterr().out)
    assert row["id"] == str(contact_id)
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["phone"] == "tel:+18065032090"  # no formula, no visible apostrophe
    assert row["note"] == "'=1+1"
    assert (row["lang"], row["utm_source"], row["utm_campaign"]) == ("es", "flyer", "'-spring")
    assert (row["tier"], row["reasons"]) == ("consult", '["linked_movements", "early"]')
    assert "idempotency_key" not in row


def test_export_screenings_with_tier_reasons_and_channel(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    add_person(store, "Ana")
    assert main(["export", "screenings"]) == 0
    [row] = rows(capsys.readouterr().out)
    assert (row["tier"], row["reasons"], row["lang"], row["utm_source"]) == (
        "consult",
        '["linked_movements", "early"]',
        "es",
        "flyer",
    )
    assert "name" not in row and "phone" not in row
    assert (row["questionnaire_version"], row["score"]) == (RESULT.questionnaire_version, "6")
    answers = json.loads(row["answers"])
    assert answers == dict(RESULT.answers)  # contract 2's ids, the answers that counted
    assert answers["hx_onset"] == "3w_3m" and "rf_ear_signs" in answers  # the recent step
    assert "nh_twitching" not in answers  # a step this path never showed
    again = evaluate(QUESTIONNAIRE, answers)
    assert (again.tier, again.reasons, again.score) == (RESULT.tier, RESULT.reasons, RESULT.score)


def test_export_a_screening_without_a_score(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.save_screening(NO_PALSY, Channel(), "en", now=NOW)
    assert main(["export", "screenings"]) == 0
    [row] = rows(capsys.readouterr().out)
    assert (row["tier"], row["score"]) == ("info", "")
    assert json.loads(row["reasons"]) == list(NO_PALSY.reasons)
    assert "no_palsy_history" in json.loads(row["reasons"])
    answers = json.loads(row["answers"])
    assert answers["nh_twitching"] == "unsure"
    assert not {"eye_narrows_smile", "hx_onset", "hx_side"} & set(answers)


def test_export_since_a_date(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    add_person(store, "Old", days_ago=10)
    add_person(store, "New")
    since = (NOW - timedelta(days=1)).date().isoformat()
    assert main(["export", "contacts", "--since", since]) == 0
    assert [r["name"] for r in rows(capsys.readouterr().out)] == ["New"]


def test_export_an_empty_database_prints_the_header_only(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "screenings"]) == 0
    assert capsys.readouterr().out.startswith("id,created_at,questionnaire_version,lang,utm_")


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "contacts", "--since", "last week"],
        ["export", "contacts", "--format", "xlsx"],
        ["export", "people"],
        ["purge", "--older-than", "0"],
        ["purge", "--older-than", "-3"],
        ["purge"],
        ["forget", "--contact", "ana"],
    ],
    ids=["since", "format", "what", "zero-days", "negative-days", "no-days", "contact-id"],
)
def test_bad_arguments_exit_2(argv: list[str], store: Store) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_purge_deletes_older_rows_and_says_how_many(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    add_person(store, "Old", days_ago=100)
    add_person(store, "New", days_ago=1)
    assert main(["purge", "--older-than", "90"]) == 0
    assert capsys.readouterr().out.startswith(
        "deleted 1 screening(s) and 1 contact request(s) older than 90 day(s) in "
    )
    assert [r["name"] for r in store.contact_rows()] == ["New"]
    assert len(store.screening_rows()) == 1


def test_forget_deletes_one_person(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    ana = add_person(store, "Ana")
    add_person(store, "Bo")
    assert main(["forget", "--contact", str(ana)]) == 0
    assert f"deleted contact request {ana}" in capsys.readouterr().out
    assert [r["name"] for r in store.contact_rows()] == ["Bo"]
    assert len(store.screening_rows()) == 1
    assert main(["forget", "--contact", str(ana)]) == 2
    assert f"no contact request {ana}" in capsys.readouterr().err


def test_a_database_that_cannot_be_opened_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, "postgresql://clinic:s3cret@127.0.0.1:1/none")
    assert main(["purge", "--older-than", "30"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("database: postgresql://clinic:****@127.0.0.1:1/none\n")
    assert "database: cannot migrate" in err
    assert "s3cret" not in err


# staff-password


def test_staff_password_from_stdin_prints_a_verifiable_argon2_hash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\nignored\n"))
    assert main(["staff-password"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, "correct horse battery")


def test_staff_password_prompts_twice_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["correct horse battery", "correct horse battery"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["staff-password"]) == 0
    assert PasswordHasher().verify(capsys.readouterr().out.strip(), "correct horse battery")


def test_staff_password_refuses_two_different_entries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["correct horse battery", "correct horse battery!"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["staff-password"]) == 2
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("typed", ["", "\n", "short\n"], ids=["nothing", "empty-line", "short"])
def test_staff_password_refuses_a_short_password(
    typed: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    assert main(["staff-password"]) == 2
    assert capsys.readouterr().out == ""


def test_staff_password_works_in_a_pipe() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "screening", "staff-password"],
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert PasswordHasher().verify(done.stdout.strip(), "correct horse battery")


def test_forget_and_purge_leave_no_trace_in_the_sqlite_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "screening.db"
    url = f"sqlite:///{db}"
    monkeypatch.setenv(ENV_URL, url)
    store = open_store(url)  # kept open, like a running app's, so the log is not merged on close
    try:
        forgotten = add_person(store, "Quetzalcoatl Forgetme", key="a")
        add_person(store, "Ximena Oldrow", days_ago=400, key="b")
        add_person(store, "Kept Person", key="c")
        files = [db, tmp_path / "screening.db-wal"]
        assert any(b"Quetzalcoatl" in f.read_bytes() for f in files if f.exists())
        assert main(["forget", "--contact", str(forgotten)]) == 0
        assert main(["purge", "--older-than", "90"]) == 0
        for f in files:
            data = f.read_bytes() if f.exists() else b""
            assert b"Quetzalcoatl" not in data and b"Ximena" not in data, f.name
        assert [r["name"] for r in store.contact_rows()] == ["Kept Person"]
    finally:
        store.close()


def lock(store: Store, address: str, key: bytes) -> str:
    from screening.records.storage import StoredLockout, sender

    who = sender(address, key)
    for _ in range(5):
        StoredLockout(store.engine).attempt(who, lambda: False, NOW.timestamp())
    return who


def test_unlock_lifts_one_addresses_lock_out_or_all(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening.records.storage import StoredLockout

    monkeypatch.setenv("SCREENING_ADDRESS_KEY", "the key every replica shares")
    key = b"the key every replica shares"
    stranger, clinic = lock(store, "203.0.113.9", key), lock(store, "198.51.100.7", key)
    gate = StoredLockout(store.engine)
    assert main(["unlock", "198.51.100.7"]) == 0
    assert "sign-in unlocked for 198.51.100.7 (1 lock-out record(s) removed)" in (
        capsys.readouterr().out
    )
    assert gate.wait(clinic, NOW.timestamp()) == 0
    assert gate.wait(stranger, NOW.timestamp()) > 0
    assert main(["unlock", "--all"]) == 0
    assert "every address (1 lock-out record(s) removed)" in capsys.readouterr().out
    assert gate.wait(stranger, NOW.timestamp()) == 0


def test_unlock_by_address_needs_the_shared_address_key(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCREENING_ADDRESS_KEY", raising=False)
    assert main(["unlock", "203.0.113.9"]) == 2
    assert "use --all" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["unlock"])  # one address or --all
    with pytest.raises(SystemExit):
        main(["unlock", "203.0.113.9", "--all"])
