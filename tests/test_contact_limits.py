"""Contact requests per tab and per client address per hour (screening/records/storage/quotas.py),
in the database, and through a real server: "Start over" and fresh tabs no longer let one visitor
fill the clinic's list, the person is told to call, and nothing already saved is lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from server_process import Server, running
from streamlit_client import CONSULT, send_contact, session, to_result

from screening.errors import LimitReached
from screening.questionnaire.loader import load_clinic, load_questionnaire
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import Quota, Store, open_store

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
KEY = b"k" * 32


def save(store: Store, name: str, quota: Quota, now: datetime = NOW) -> int:
    return store.save_contact(
        ContactRequest(name=name, phone="+18065550100", email=None, way=None, time=None, note=""),
        consent_text="I agree",
        lang="en",
        channel=Channel(),
        screening_id=None,
        idempotency_key=name,
        now=now,
        quota=quota,
    )


def test_a_tab_may_send_three_per_hour(store: Store) -> None:
    tab = Quota.of("tab-1", "203.0.113.7", KEY)
    for n in range(3):
        save(store, f"ok {n}", tab)
    with pytest.raises(LimitReached):
        save(store, "too many", tab)
    assert save(store, "ok 0", tab) > 0  # a retry of a saved request is not a new one
    assert len(store.contact_rows()) == 3  # the refused one left nothing behind
    later = NOW + timedelta(hours=1, seconds=1)
    save(store, "an hour later", tab, now=later)
    assert len(store.contact_rows()) == 4


def test_an_address_may_send_ten_per_hour_whatever_the_tabs(store: Store) -> None:
    refused = 0
    for n in range(15):
        try:
            save(store, f"tab {n}", Quota.of(f"tab-{n}", "203.0.113.7", KEY))
        except LimitReached:
            refused += 1
    assert (len(store.contact_rows()), refused) == (10, 5)
    save(store, "someone else", Quota.of("tab-x", "198.51.100.4", KEY))  # not affected
    save(store, "on this machine", Quota.of("tab-y", None, KEY))  # loopback: per tab only


def test_only_keyed_hashes_are_stored(store: Store) -> None:
    save(store, "Ana", Quota.of("tab-secret-token", "203.0.113.77", KEY))
    with store.engine.connect() as conn:
        rows = [tuple(map(str, r)) for r in conn.exec_driver_sql("SELECT * FROM contact_quota")]
    flat = " ".join(" ".join(r) for r in rows)
    assert "203.0.113.77" not in flat and "tab-secret-token" not in flat
    other_key = Quota.of("t", "203.0.113.77", b"x" * 32).sender_digest
    assert other_key not in flat  # the hash depends on the key


# --- through a real server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("limits")
    url = f"sqlite:///{folder / 'screening.db'}"
    with running(folder / "server.log", {"SCREENING_DATABASE_URL": url}) as started:
        yield started, url


def options() -> dict[str, list[str]]:
    q = load_questionnaire()
    return {x.id: list(x.option_ids) for step in q.steps for x in step.questions}


def test_a_flood_of_requests_stops_at_the_limit_and_loses_nothing(
    server: tuple[Server, str],
) -> None:
    app, url = server
    phone = load_clinic().phone
    ask = options()
    outcomes: list[str] = []

    def attempt(tab: object, name: str) -> None:
        send_contact(tab, name=name, phone="806-555-0142")  # type: ignore[arg-type]
        shown = tab.shown()  # type: ignore[attr-defined]
        outcomes.append("limited" if phone in shown and "already have" in shown else "other")

    # One tab, "Start over" after each request (a new idempotency key each time): 5 attempts.
    with session(app.base, **{"X-Forwarded-For": "203.0.113.7"}) as tab:
        for n in range(5):
            to_result(tab, ask, CONSULT)
            attempt(tab, f"Floodtab {n}")
            tab.press("nav.restart")
    # Fresh tabs from the same address: 8 attempts.
    for n in range(8):
        with session(app.base, **{"X-Forwarded-For": "203.0.113.7"}) as other:
            attempt(to_result(other, ask, CONSULT), f"Floodaddr {n}")
    # Somebody else is not affected.
    with session(app.base, **{"X-Forwarded-For": "198.51.100.4"}) as elsewhere:
        attempt(to_result(elsewhere, ask, CONSULT), "Neighbour")

    store = open_store(url)
    try:
        names = [str(r["name"]) for r in store.contact_rows()]
        day = datetime.now(UTC).date()
        started = sum(
            int(r["count"]) for r in store.funnel_counts(day, day) if r["kind"] == "started"
        )
    finally:
        store.close()
    # The tab: 3 saved, 2 refused. The address: 10 in all, so 7 of the 8 fresh tabs.
    assert sorted(n for n in names if n.startswith("Floodtab")) == [
        f"Floodtab {n}" for n in range(3)
    ]
    assert len([n for n in names if n.startswith("Floodaddr")]) == 7
    assert "Neighbour" in names
    assert outcomes.count("limited") == 3 and len(outcomes) == 14
    # "Start over" five times in one tab counted one start: 1 + 8 fresh tabs + 1 neighbour.
    assert started == 10
    print(
        f"\n[hostile input] contact flood: {len(outcomes) - 1} attempts from one address, "
        f"{len(names)} stored (3 per tab, 10 per address), {outcomes.count('limited')} told to call"
    )
