"""Funnel counts written in the background (screening/records/storage/event_writer.py), against a
real SQLite file and a real PostgreSQL server: many at once, once per visit, to the right database,
and a database failure costs only the counts that were in flight."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from screening.errors import StorageError
from screening.records.channel import DIRECT, Channel
from screening.records.storage import Store, event_row, open_store
from screening.records.storage.event_writer import EventWriter

NOW = datetime(2025, 3, 14, 15, 9, 26, tzinfo=UTC)
ADS = Channel(utm_source="tiktok", utm_medium="social", utm_campaign="fall", utm_content=None)


def counts(store: Store) -> dict[tuple[str, str | None, str | None], int]:
    return {
        (r["kind"], r["step"], r["utm_source"]): r["count"]
        for r in store.funnel_counts(NOW.date(), NOW.date())
    }


def test_many_pages_counting_at_once_are_all_counted_once_per_visit(store: Store) -> None:
    writer = EventWriter(interval=0.05, max_batch=37)  # several batches, some split mid-visit
    visits = 60

    def page(n: int) -> None:
        channel = ADS if n % 2 else DIRECT
        for _ in range(2):  # a rerun of the same screen counts nothing new
            writer.put(store, event_row("started", channel, "en", session=f"v{n}", now=NOW))
            for step in ("safety", "history"):
                row = event_row("step_reached", channel, "es", step=step, session=f"v{n}", now=NOW)
                writer.put(store, row)

    threads = [threading.Thread(target=page, args=(n,)) for n in range(visits)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert writer.flush(timeout=30)
    assert counts(store) == {
        ("started", None, "tiktok"): 30,
        ("started", None, None): 30,
        ("step_reached", "safety", "tiktok"): 30,
        ("step_reached", "safety", None): 30,
        ("step_reached", "history", "tiktok"): 30,
        ("step_reached", "history", None): 30,
    }
    assert writer.dropped == 0


def test_one_batch_holding_the_same_visit_twice_counts_it_once(store: Store) -> None:
    row = event_row("result_shown", ADS, "en", tier="consult", session="v1", now=NOW)
    assert store.record_events([row, row, dict(row)]) == 1
    assert store.record_events([row]) == 0
    assert counts(store) == {("result_shown", None, "tiktok"): 1}


def test_each_count_goes_to_the_database_it_was_made_for(tmp_path: Path) -> None:
    first = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    second = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        writer = EventWriter(interval=0.2)
        for n in range(5):
            writer.put(first, event_row("started", ADS, "en", session=f"a{n}", now=NOW))
        for n in range(3):
            writer.put(second, event_row("started", ADS, "en", session=f"b{n}", now=NOW))
        assert writer.flush()
        assert counts(first) == {("started", None, "tiktok"): 5}
        assert counts(second) == {("started", None, "tiktok"): 3}
    finally:
        first.close()
        second.close()


class Failing(Store):
    """A store whose database refuses every write (the engine is never used)."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def record_events(self, rows: object) -> int:
        raise self.error


@pytest.mark.parametrize("error", [StorageError("the database cannot be reached"), KeyError("x")])
def test_a_failing_database_drops_its_counts_logs_it_and_counting_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, error: Exception
) -> None:
    good = open_store(f"sqlite:///{tmp_path / 'good.db'}")
    try:
        writer = EventWriter(interval=0.2)  # the four gather into one batch
        failing = Failing(error)
        with caplog.at_level(logging.ERROR, logger="screening.storage"):
            for n in range(4):
                writer.put(failing, event_row("started", ADS, "en", session=f"x{n}"))
            assert writer.flush()
        assert writer.dropped == 4
        assert "could not count 4 funnel events" in caplog.text
        assert "x0" not in caplog.text  # no visit token in the log
        writer.put(good, event_row("started", ADS, "en", session="later", now=NOW))
        assert writer.flush()  # the thread is still there to write it
        assert counts(good) == {("started", None, "tiktok"): 1}
    finally:
        good.close()


def test_a_full_queue_drops_new_counts_instead_of_growing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'slow.db'}")
    gate = threading.Event()

    class Slow(Store):
        def record_events(self, rows: object) -> int:
            gate.wait(10)
            return 0

    try:
        writer = EventWriter(interval=0.0, limit=10)
        slow = Slow(store.engine)
        with caplog.at_level(logging.ERROR, logger="screening.storage"):
            writer.put(slow, event_row("started", ADS, "en"))  # taken by the writer, then held
            assert not writer.flush(timeout=0.3)  # still being written: flush says so
            for _ in range(15):
                writer.put(slow, event_row("started", ADS, "en"))
        assert writer.dropped == 5
        assert "funnel counts are not being written" in caplog.text
        gate.set()
        assert writer.flush()
    finally:
        store.close()


def test_a_bad_event_is_refused_where_it_happens() -> None:
    with pytest.raises(ValueError, match="unknown event kind"):
        event_row("clicked", ADS, "en")
    with pytest.raises(ValueError, match="result_shown needs the tier"):
        event_row("result_shown", ADS, "en")
