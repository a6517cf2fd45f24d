"""An existing deployment moves from the shared password to named accounts without losing
anything: a database left at the last migration before accounts (0007), holding screenings,
contact requests (one handled), funnel counts and the consent text, with the shared password
configured as before. The app migrates it on start, the shared password still signs in until the
first account exists; `python -m screening staff add --shared-password` makes that password the
first admin's; the admin then signs in by e-mail and every row is still there."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from apptest_support import app_env, texts  # noqa: F401  (app_env is an autouse fixture)
from staff_support import HASH, PASSWORD, everything, open_staff, sign_in, sign_in_as
from streamlit.testing.v1 import AppTest

from screening.cli import main
from screening.records.storage import AuditTrail, StoredAccounts, open_store, upgrade
from screening.records.storage import database as db

BEFORE_ACCOUNTS = "0007_phone_measurements"
BOSS = "boss@clinic.example"
NAMES = ("Octavia Pemberton", "Lysander Quill")
RECEIVED = datetime(2025, 3, 4, 15, 30)
HANDLED = datetime(2025, 3, 5, 9, 0)


def url() -> str:
    return os.environ["SCREENING_DATABASE_URL"]


def old_deployment() -> None:
    """The schema and rows of a deployment from before named accounts."""
    engine = db.connect(url())
    try:
        applied = upgrade(engine, until=BEFORE_ACCOUNTS)
        assert applied[-1] == BEFORE_ACCOUNTS
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO consent_texts (version, lang, text, first_seen) "
                    "VALUES ('c1', 'en', 'I agree to be contacted.', :at)"
                ),
                {"at": RECEIVED},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO screenings (id, created_at, questionnaire_version, lang, tier, "
                    "reasons, answers, utm_source) VALUES (1, :at, 'v1', 'en', 'consult', '[]', "
                    "'{}', 'flyer')"
                ),
                {"at": RECEIVED},
            )
            for i, name in enumerate(NAMES, start=1):
                conn.execute(
                    sa.text(
                        "INSERT INTO contact_requests (id, created_at, screening_id, name, phone, "
                        "email, preferred_way, preferred_time, note, lang, consent_version, "
                        "consent_at, idempotency_key, handled_at) VALUES (:id, :at, :sid, :name, "
                        "'+18065550123', NULL, 'call', 'morning', '', 'en', 'c1', :at, :key, "
                        ":handled)"
                    ),
                    {
                        "id": i,
                        "at": RECEIVED,
                        "sid": 1 if i == 1 else None,
                        "name": name,
                        "key": f"k{i}",
                        "handled": HANDLED if i == 2 else None,
                    },
                )
            conn.execute(
                sa.text(
                    "INSERT INTO events (day, kind, lang, utm_source) "
                    "VALUES (:day, 'started', 'en', 'flyer')"
                ),
                {"day": RECEIVED.date()},
            )
    finally:
        engine.dispose()


def kept() -> tuple[list[tuple[str, object]], int, int]:
    store = open_store(url())
    try:
        contacts = [(str(r["name"]), r["handled_at"]) for r in store.contact_rows()]
        return sorted(contacts), len(store.screening_rows()), _events(store.engine)
    finally:
        store.close()


def _events(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT COUNT(*) FROM events")).scalar_one())


def on_dashboard(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Staff dashboard"]


def test_the_shared_password_becomes_the_first_admin_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_deployment()
    expected = sorted([(NAMES[0], None), (NAMES[1], HANDLED.replace(tzinfo=UTC))])

    # The upgraded app: the shared password still opens the dashboard, and shows the old rows.
    at = sign_in(open_staff())
    assert on_dashboard(at)
    assert NAMES[0] in everything(at)
    assert kept() == (expected, 1, 1)

    # The first admin takes over the shared password (as SECURITY.md says).
    monkeypatch.setenv("SCREENING_STAFF_PASSWORD_HASH", HASH)
    assert main(["staff", "add", BOSS, "--role", "admin", "--shared-password"]) == 0
    monkeypatch.delenv("SCREENING_STAFF_PASSWORD_HASH")

    # The shared sign-in made before is over; the password alone no longer signs in.
    assert not on_dashboard(at.run())
    at = open_staff()
    assert at.text_input(key="staff.email") is not None
    assert not on_dashboard(sign_in_as(at, "someone@clinic.example", PASSWORD))

    # The admin signs in with the same password, by e-mail, and sees everything as it was.
    at = sign_in_as(open_staff(), BOSS, PASSWORD)
    assert on_dashboard(at)
    assert f"Signed in as {BOSS} (admin)" in texts(at)
    shown = everything(at)
    assert NAMES[0] in shown
    at.checkbox(key="staff.show_handled").check().run()
    assert NAMES[1] in everything(at)
    assert kept() == (expected, 1, 1)

    store = open_store(url())
    try:
        [boss] = StoredAccounts(store.engine).all()
        assert (boss.email, boss.role, boss.password_hash) == (BOSS, "admin", HASH)
        actions = [(r["actor"], r["action"]) for r in reversed(AuditTrail(store.engine).rows())]
    finally:
        store.close()
    assert actions[0] == ("shared password", "sign_in")
    assert ("command line", "account") in actions
    assert (BOSS, "sign_in") in actions
