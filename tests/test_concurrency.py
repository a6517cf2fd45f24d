"""Nothing lost, nothing doubled: 500 contact requests sent at once, from threads and from
several processes, against SQLite and PostgreSQL. Every request is also sent a second time (a
double click, or a retry after a slow answer): exactly 500 are stored, each intact.

Requests are saved the way web/selfcheck/contact_form.py and web/selfcheck/records.py save them:
validate the form, keep the screening under the visit's key, then the contact request under the
form's key.
"""

from __future__ import annotations

import multiprocessing
import random
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
import workers
from workers import PROCESSES, REQUESTS, THREADS, form, result, submit

from screening.records.contact import validate_contact
from screening.records.storage import Store, open_store


def presses() -> list[int]:
    """Every request twice, in a shuffled order (a seeded one, so a failure can be replayed)."""
    order = [*range(REQUESTS), *range(REQUESTS)]
    random.Random(20260101).shuffle(order)
    return order


def check_stored(store: Store, ids: dict[int, set[int]]) -> tuple[int, int, int]:
    """Assert exactly one intact row per request; (stored, duplicated, corrupted)."""
    rows = store.contact_rows()
    screenings = {row["id"]: row for row in store.screening_rows()}
    with store.engine.connect() as conn:
        keys = list(conn.execute(sa.text("SELECT idempotency_key FROM contact_requests")).scalars())
        counted = conn.execute(
            sa.text("SELECT COUNT(*) FROM events WHERE kind = 'contact_requested'")
        ).scalar_one()
    duplicated = len(keys) - len(set(keys))
    by_name = {row["name"]: row for row in rows}
    corrupted = 0
    for i in range(REQUESTS):
        expected = validate_contact(form(i))
        row = by_name.get(expected.name)
        kept = screenings.get(row["screening_id"]) if row else None
        intact = (
            row is not None
            and kept is not None
            and row["id"] in ids[i]
            and (row["phone"], row["email"], row["note"])
            == (expected.phone, expected.email, expected.note)
            and (row["preferred_way"], row["preferred_time"]) == (expected.way, expected.time)
            and (row["utm_campaign"], row["tier"]) == (f"c{i % 7}", "consult")
            and (kept["score"], kept["answers"]) == (i % 101, result(i).answers)
        )
        corrupted += not intact
    # Both presses of one request got the id of the one row stored.
    assert all(len(found) == 1 for found in ids.values()), "a second press got another id"
    assert sorted(keys) == [f"form-{i:04d}" for i in range(REQUESTS)]
    assert (len(rows), duplicated, corrupted) == (REQUESTS, 0, 0)
    assert len(screenings) == REQUESTS and counted == REQUESTS
    return len(rows), duplicated, corrupted


def test_500_requests_from_threads(url: str) -> None:
    store = open_store(url)
    ids: dict[int, set[int]] = {}
    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            order = presses()
            for i, got in zip(order, pool.map(lambda i: submit(store, i), order), strict=True):
                ids.setdefault(i, set()).add(got)
        stored, duplicated, corrupted = check_stored(store, ids)
    finally:
        store.close()
    print(
        f"\n[concurrency {store.engine.dialect.name}] {len(order)} presses of Send "
        f"({REQUESTS} requests, each twice) from {THREADS} threads: "
        f"{stored} stored, {duplicated} duplicated, {corrupted} corrupted"
    )


def test_500_requests_from_several_processes(url: str) -> None:
    open_store(url).close()  # migrated once, as a deployment does before the replicas start
    spawn = multiprocessing.get_context("spawn")
    order = presses()
    shares = [order[k::PROCESSES] for k in range(PROCESSES)]
    start, out = spawn.Barrier(PROCESSES), spawn.Queue()
    procs = [spawn.Process(target=workers.submit_share, args=(url, s, start, out)) for s in shares]
    for p in procs:
        p.start()
    ids: dict[int, set[int]] = {}
    for share in workers.collect(procs, out, len(procs)):
        for i, got in share:
            ids.setdefault(i, set()).add(got)
    for p in procs:
        p.join(timeout=workers.HANG_GUARD)
        assert p.exitcode == 0
    store = open_store(url)
    try:
        stored, duplicated, corrupted = check_stored(store, ids)
    finally:
        store.close()
    print(
        f"\n[concurrency {store.engine.dialect.name}] {len(order)} presses of Send "
        f"({REQUESTS} requests, each twice) from {PROCESSES} processes x 4 threads: "
        f"{stored} stored, {duplicated} duplicated, {corrupted} corrupted"
    )
