"""What the processes that the concurrency and lock-out tests start run. Only the project is
imported here (no pytest), so that a spawned process starts quickly."""

from __future__ import annotations

import queue
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from screening.questionnaire.rules import Result
from screening.records.channel import Channel
from screening.records.contact import validate_contact
from screening.records.storage import Store, StoredLockout, open_store

# Seconds a test waits for a process or a thread before it calls it hung. Only a guard against a
# hang: a 2-core machine under heavy load took over a minute to start eight spawned processes
# (each imports the project afresh), so nothing here is a deadline.
HANG_GUARD = 900.0
REQUESTS = 500
THREADS = 16
PROCESSES = 4
CONSENT = "I agree that the clinic may contact me about this check."


def form(i: int) -> dict[str, Any]:
    """A distinct, valid form for request i (the stored row must give back exactly these)."""
    return {
        "name": f"Concurrent Person {i:04d} Ñandú",
        "phone": f"+1806555{i:04d}",
        "email": f"person{i:04d}@example.org",
        "way": ("call", "text", "email")[i % 3],
        "time": ("morning", "afternoon", "evening", "any")[i % 4],
        "note": f"Request {i:04d}: line one\nline two «{i}»",
        "consent": True,
    }


def result(i: int) -> Result:
    return Result(
        tier="consult",
        reasons=("linked_movements",),
        score=i % 101,
        evidence=("eye_narrows_smile",),
        steps_reached=("safety", "history"),
        questionnaire_version="abc123def456",
        answers={"hx_palsy": "yes", "eye_narrows_smile": "always"},
    )


def submit(store: Store, i: int) -> int:
    """One press of Send, as the page does it; returns the stored request's id."""
    request = validate_contact(form(i))
    channel = Channel(utm_source="flyer", utm_campaign=f"c{i % 7}")
    screening_id = store.save_screening(result(i), channel, "en", idempotency_key=f"visit-{i}")
    return store.save_contact(
        request,
        consent_text=CONSENT,
        lang="en",
        channel=channel,
        screening_id=screening_id,
        idempotency_key=f"form-{i:04d}",
    )


def submit_share(url: str, share: list[int], start: Any, out: Any) -> None:
    store = open_store(url)  # each process its own engine, as each replica has
    try:
        start.wait()
        with ThreadPoolExecutor(max_workers=4) as pool:
            out.put(list(zip(share, pool.map(lambda i: submit(store, i), share), strict=True)))
    finally:
        store.close()


def guess(url: str, who: str, now: float, ready: Any, out: Any) -> None:
    opened = open_store(url)
    try:
        ready.wait()
        result = StoredLockout(opened.engine).attempt(who, lambda: False, now)
        out.put(result.locked)
    finally:
        opened.close()


def collect(procs: Sequence[Any], out: Any, expected: int) -> list[Any]:
    """The `expected` results the processes put on `out`, waiting as long as one of them is
    alive: a slow machine only makes this slower, and a worker that died says so at once (with
    the exit codes) instead of after a timeout."""
    got: list[Any] = []
    while len(got) < expected:
        try:
            got.append(out.get(timeout=1))
        except queue.Empty:
            if any(p.is_alive() for p in procs):
                continue
            try:  # every worker has ended; what they put is in the pipe already
                got.append(out.get(timeout=5))
            except queue.Empty:
                codes = [p.exitcode for p in procs]
                raise AssertionError(
                    f"workers ended with {len(got)} of {expected} results; exit codes {codes}"
                ) from None
    return got
