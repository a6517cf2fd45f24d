"""The Store against a real SQLite file and a real PostgreSQL server (see tests/backends.py)."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from backends import count_event

from screening.errors import StorageError
from screening.questionnaire.loader import ROOT
from screening.questionnaire.rules import Result
from screening.records.channel import DIRECT, Channel
from screening.records.contact import ContactRequest, consent_version
from screening.records.storage import DEFAULT_URL, ENV_URL, Store, open_store

NOW = datetime(2025, 3, 14, 15, 9, 26, tzinfo=UTC)
ADS = Channel(utm_source="facebook", utm_medium="paid", utm_campaign="spring", utm_content="v1")
ANA = ContactRequest(
    name="Ana Díaz", phone="+18065032090", email=None, way="call", time="morning", note="Hola"
)
RESULT = Result(
    tier="consult",
    reasons=("linked_movements", "early"),
    score=42,
    evidence=("eye_narrows_smile",),
    steps_reached=("emergency", "about_you", "recent", "safety", "history", "movements_eye",
                   "movements_mouth", "movements_feel"),
    questionnaire_version="abc123def456",
    answers={"hx_palsy": "yes", "hx_onset": "3w_3m", "hx_treatment": ("therapy", "botox")},
)


def save_ana(store: Store, key: str = "form-1", **extra: Any) -> int:
    values: dict[str, Any] = {
        "consent_text": "I agree that the clinic may contact me.",
        "lang": "es",
        "channel": ADS,
        "screening_id": None,
        "idempotency_key": key,
        "now": NOW,
    }
    return store.save_contact(ANA, **(values | extra))


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


# Opening


def test_sqlite_file_and_folder_are_created_with_safe_settings(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "screening.db"
    store = open_store(f"sqlite:///{path}")
    try:
        with store.engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    finally:
        store.close()
    assert path.is_file()
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }


def test_the_url_comes_from_the_environment_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv(ENV_URL, f"sqlite:///{path}")
    store = open_store()
    store.close()
    assert path.is_file()
    assert f"sqlite:///{ROOT / 'data' / 'screening.db'}" == DEFAULT_URL


@pytest.mark.parametrize(
    "bad_url",
    ["mysql://nobody@localhost/x", "not a url", "postgresql://nobody:pw@127.0.0.1:1/none"],
    ids=["unsupported", "garbage", "no-server"],
)
def test_a_database_that_cannot_be_opened_raises_storage_error(bad_url: str) -> None:
    with pytest.raises(StorageError) as caught:
        open_store(bad_url)
    assert "pw@" not in str(caught.value)  # the password is never shown


def test_a_file_that_is_not_a_database_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "screening.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot migrate"):
        open_store(f"sqlite:///{path}")


def test_a_failed_write_raises_storage_error_without_what_the_person_typed(store: Store) -> None:
    # PostgreSQL drops the call attempts' foreign key with it only when told (0011).
    cascade = " CASCADE" if store.engine.dialect.name == "postgresql" else ""
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE contact_requests{cascade}"))
    with pytest.raises(StorageError) as caught:
        save_ana(store)
    chain = f"{caught.value!s} {caught.value.__cause__!s}"
    assert "Ana" not in chain
    assert "+1806" not in chain


# Funnel counts


def test_a_rerun_of_the_same_visit_counts_once(store: Store) -> None:
    for _ in range(3):
        count_event(store, "started", ADS, "en", session="visit-1", now=NOW)
        count_event(store, "step_reached", ADS, "en", step="history", session="visit-1", now=NOW)
    count_event(store, "started", ADS, "en", session="visit-2", now=NOW)
    count_event(store, "started", DIRECT, "es", now=NOW)
    count_event(store, "started", DIRECT, "es", now=NOW)  # no token: every call counts

    counts = {
        (r["kind"], r["step"], r["utm_source"], r["lang"]): r["count"]
        for r in store.funnel_counts(NOW.date(), NOW.date())
    }
    assert counts == {
        ("started", None, "facebook", "en"): 2,
        ("step_reached", "history", "facebook", "en"): 1,
        ("started", None, None, "es"): 2,
    }


def test_funnel_rows_carry_day_channel_and_language_but_never_the_visit_token(
    store: Store,
) -> None:
    count_event(store, "result_shown", ADS, "en", tier="consult", session="secret-token", now=NOW)
    [row] = store.funnel_counts(NOW.date(), NOW.date())
    assert row == {
        "day": date(2025, 3, 14),
        "kind": "result_shown",
        "step": None,
        "tier": "consult",
        "lang": "en",
        **ADS.as_dict(),
        "count": 1,
    }
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT * FROM events")).mappings().one()
    assert "secret-token" not in {str(v) for v in stored.values()}
    assert "created_at" not in stored  # a day, never a time


def test_funnel_counts_keep_to_the_day_range(store: Store) -> None:
    for days_ago in (0, 1, 10):
        count_event(store, "started", DIRECT, "en", now=NOW - timedelta(days=days_ago))
    rows = store.funnel_counts(NOW.date() - timedelta(days=1), NOW.date())
    assert sorted(r["day"] for r in rows) == [date(2025, 3, 13), date(2025, 3, 14)]


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("clicked", {}),
        ("step_reached", {}),
        ("started", {"step": "history"}),
        ("result_shown", {}),
        ("started", {"lang": "fr"}),
        ("started", {"now": datetime(2025, 1, 1)}),  # no time zone
    ],
    ids=["unknown-kind", "step-missing", "step-not-expected", "tier-missing", "language", "naive"],
)
def test_a_malformed_event_is_refused(store: Store, kind: str, extra: dict[str, Any]) -> None:
    extra = dict(extra)  # the table is shared by both backends
    lang = extra.pop("lang", "en")
    with pytest.raises(ValueError):
        count_event(store, kind, DIRECT, lang, **extra)
    assert count(store, "events") == 0


# Screenings


def test_a_screening_is_kept_with_its_result_channel_and_language(store: Store) -> None:
    screening_id = store.save_screening(RESULT, ADS, "es", now=NOW)
    [row] = store.screening_rows()
    assert row == {
        "id": screening_id,
        "created_at": NOW,
        "questionnaire_version": "abc123def456",
        "lang": "es",
        **ADS.as_dict(),
        "tier": "consult",
        "reasons": ["linked_movements", "early"],
        "score": 42,
        "answers": {"hx_palsy": "yes", "hx_onset": "3w_3m", "hx_treatment": ["therapy", "botox"]},
    }


def test_the_same_screening_key_saves_once(store: Store) -> None:
    first = store.save_screening(RESULT, ADS, "en", idempotency_key="visit-1")
    again = store.save_screening(RESULT, ADS, "en", idempotency_key="visit-1")
    other = store.save_screening(RESULT, ADS, "en", idempotency_key="visit-2")
    assert first == again != other
    assert count(store, "screenings") == 2


def test_screening_rows_since_a_time(store: Store) -> None:
    store.save_screening(RESULT, DIRECT, "en", now=NOW - timedelta(days=2))
    store.save_screening(RESULT, DIRECT, "en", now=NOW)
    assert [r["created_at"] for r in store.screening_rows(since=NOW - timedelta(days=1))] == [NOW]


# Contact requests


def test_a_contact_request_is_kept_with_consent_channel_and_its_screening(store: Store) -> None:
    screening_id = store.save_screening(RESULT, ADS, "es", now=NOW)
    contact_id = save_ana(store, screening_id=screening_id)
    [row] = store.contact_rows()
    assert row == {
        "id": contact_id,
        "created_at": NOW,
        "name": "Ana Díaz",
        "phone": "+18065032090",
        "email": None,
        "preferred_way": "call",
        "preferred_time": "morning",
        "note": "Hola",
        "lang": "es",
        **ADS.as_dict(),
        "tier": "consult",
        "reasons": ["linked_movements", "early"],
        "screening_id": screening_id,
        "consent_version": consent_version("I agree that the clinic may contact me."),
        "consent_at": NOW,
        "handled_at": None,
        "phone_measurements": None,
    }
    with store.engine.connect() as conn:
        text = conn.execute(sa.text("SELECT text FROM consent_texts")).scalar_one()
    assert text == "I agree that the clinic may contact me."


def test_a_double_submit_stores_and_counts_one_request(store: Store) -> None:
    first = save_ana(store, key="form-1")
    assert save_ana(store, key="form-1") == first
    assert count(store, "contact_requests") == 1
    counted = [r for r in store.funnel_counts(NOW.date(), NOW.date())]
    assert [(r["kind"], r["count"]) for r in counted] == [("contact_requested", 1)]


def test_simultaneous_double_submits_store_one_request(store: Store) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(lambda _: save_ana(store, key="same-form"), range(12)))
    assert len(ids) == 1
    assert count(store, "contact_requests") == 1


def test_a_contact_for_a_missing_screening_is_refused(store: Store) -> None:
    with pytest.raises(StorageError):
        save_ana(store, screening_id=999)
    assert count(store, "contact_requests") == 0


def test_marking_a_request_handled(store: Store) -> None:
    contact_id = save_ana(store)
    assert store.mark_handled(contact_id, now=NOW + timedelta(hours=2))
    assert not store.mark_handled(contact_id + 100)
    assert store.contact_rows()[0]["handled_at"] == NOW + timedelta(hours=2)


# Purge and forget


def test_purge_deletes_what_is_older_and_nothing_else(store: Store) -> None:
    old = NOW - timedelta(days=40)
    old_screening = store.save_screening(RESULT, DIRECT, "en", now=old)
    save_ana(store, key="old", screening_id=old_screening, now=old)
    store.save_screening(RESULT, DIRECT, "en", now=old)
    new_screening = store.save_screening(RESULT, DIRECT, "en", now=NOW)
    save_ana(store, key="new", screening_id=new_screening, now=NOW)
    count_event(store, "started", DIRECT, "en", now=old)

    purged = store.purge(timedelta(days=30), now=NOW)

    assert (purged.screenings, purged.contact_requests) == (2, 1)
    assert [r["id"] for r in store.screening_rows()] == [new_screening]
    assert [r["screening_id"] for r in store.contact_rows()] == [new_screening]
    assert count(store, "events") == 3  # counts are not personal: they stay
    assert store.purge(timedelta(days=30), now=NOW) == type(purged)(0, 0)


def test_purge_keeps_an_old_screening_while_a_kept_request_points_to_it(store: Store) -> None:
    screening_id = store.save_screening(RESULT, DIRECT, "en", now=NOW - timedelta(days=31))
    save_ana(store, screening_id=screening_id, now=NOW - timedelta(days=29))
    purged = store.purge(timedelta(days=30), now=NOW)
    assert (purged.screenings, purged.contact_requests) == (0, 0)
    assert store.purge(timedelta(days=28), now=NOW) == type(purged)(1, 1)


def test_forget_deletes_the_person_and_their_screening_only(store: Store) -> None:
    theirs = store.save_screening(RESULT, DIRECT, "en", now=NOW)
    contact_id = save_ana(store, key="a", screening_id=theirs)
    save_ana(store, key="b", screening_id=theirs)  # a second request from the same visit
    others = store.save_screening(RESULT, DIRECT, "en", now=NOW)
    other_contact = save_ana(store, key="c", screening_id=others)

    assert store.forget_contact(contact_id)

    assert [r["id"] for r in store.contact_rows()] == [other_contact]
    assert [r["id"] for r in store.screening_rows()] == [others]
    assert not store.forget_contact(contact_id)


def test_forget_a_request_without_a_screening(store: Store) -> None:
    contact_id = save_ana(store)
    assert store.forget_contact(contact_id)
    assert store.contact_rows() == []


# What is never stored


def test_no_column_could_hold_an_address_a_browser_or_a_cookie(store: Store) -> None:
    inspector = sa.inspect(store.engine)
    # The one exception: the audit trail keeps the client address of staff actions (who did
    # what from where, SECURITY.md "Staff access"); nothing of the public's.
    columns = {
        (t, c["name"]) for t in inspector.get_table_names() for c in inspector.get_columns(t)
    }
    forbidden = ("ip", "agent", "cookie", "referrer", "referer", "session", "address", "user")
    found = [(t, c) for t, c in columns if any(word in c.split("_") for word in forbidden)]
    assert found == [("audit_trail", "address")]


def test_sqlite_commits_before_returning(tmp_path: Path) -> None:
    path = tmp_path / "screening.db"
    store = open_store(f"sqlite:///{path}")
    try:
        contact_id = save_ana(store)
        with sqlite3.connect(path) as other:  # another connection sees it at once
            names = other.execute("SELECT name FROM contact_requests WHERE id = ?", (contact_id,))
            assert names.fetchall() == [("Ana Díaz",)]
        other.close()
    finally:
        store.close()
