"""The background batch writer shared by the funnel counts and the places in the check
(screening/records/storage/batch_writer.py): what gathers is written in one batch per target,
`flush` waits for it, a failing target costs only its own items, and a stop writes what the
process-wide writers hold. Real threads, no database: the targets here are plain lists."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from screening.errors import StorageError
from screening.records.channel import DIRECT
from screening.records.storage import ResumeStore, event_row, event_writer, open_store, resume
from screening.records.storage.batch_writer import BatchWriter, flush_all

NOW = datetime(2025, 3, 14, 15, 9, 26, tzinfo=UTC)
LONG = 60.0  # an interval no test waits out: only `flush` ends it


class Target:
    """Where one write call goes: it keeps each batch it was given, or fails as told."""

    def __init__(self, fail: Exception | None = None, gate: threading.Event | None = None) -> None:
        self.batches: list[list[str]] = []
        self.fail = fail
        self.gate = gate
        self.written = threading.Event()

    def write(self, items: list[str]) -> None:
        if self.gate is not None:
            self.gate.wait(30)
        if self.fail is not None:
            raise self.fail
        self.batches.append(items)
        self.written.set()


class ListWriter(BatchWriter[Target, str]):
    """The smallest writer: a first-in first-out list, taken whole."""

    failure = "could not write %d test items"

    def __init__(self, interval: float) -> None:
        super().__init__(interval=interval, name="test-batch-writer")
        self._items: list[tuple[Target, str]] = []

    def put(self, target: Target, item: str) -> None:
        with self._lock:
            self._items.append((target, item))
            self._added()

    def _pending(self) -> int:
        return len(self._items)

    def _take(self) -> list[tuple[Target, str]]:
        taken, self._items = self._items, []
        return taken

    def _write_to(self, target: Target, items: list[str]) -> None:
        target.write(items)


def test_what_gathers_is_written_in_one_batch_per_target_in_order() -> None:
    writer = ListWriter(interval=LONG)
    a, b = Target(), Target()
    for n in range(5):
        writer.put(a, f"a{n}")
        writer.put(b, f"b{n}")
    time.sleep(0.2)  # the later items do not wake the thread: it is waiting out its interval
    assert a.batches == [] and b.batches == []
    assert writer.flush()
    assert a.batches == [["a0", "a1", "a2", "a3", "a4"]]
    assert b.batches == [["b0", "b1", "b2", "b3", "b4"]]
    assert writer.dropped == 0


def test_the_thread_writes_on_its_own_after_the_interval_and_again_after_idling() -> None:
    writer = ListWriter(interval=0.01)
    target = Target()
    writer.put(target, "first")
    assert target.written.wait(30), "the writer did not write on its own"
    target.written.clear()
    writer.put(target, "second")  # the thread now sleeps until something is pending
    assert target.written.wait(30), "the idle writer was not woken"
    assert target.batches == [["first"], ["second"]]


def test_a_flush_right_after_the_first_item_does_not_wait_out_the_interval() -> None:
    """Even when the thread has not yet begun to wait (a notify alone would be lost then)."""
    for _ in range(20):
        writer = ListWriter(interval=LONG)
        target = Target()
        writer.put(target, "now")
        assert writer.flush(timeout=30)
        assert target.batches == [["now"]]


def test_flush_with_nothing_pending_returns_at_once() -> None:
    assert ListWriter(interval=LONG).flush(timeout=0)


@pytest.mark.parametrize("error", [StorageError("the database cannot be reached"), KeyError("x")])
def test_a_failing_target_drops_only_its_items_logs_how_many_and_writing_goes_on(
    caplog: pytest.LogCaptureFixture, error: Exception
) -> None:
    writer = ListWriter(interval=LONG)
    bad, good = Target(fail=error), Target()
    with caplog.at_level(logging.ERROR, logger="screening.storage"):
        for n in range(3):
            writer.put(bad, f"secret{n}")
        writer.put(good, "kept")
        assert writer.flush()
    assert writer.dropped == 3
    assert good.batches == [["kept"]]
    assert "could not write 3 test items" in caplog.text
    assert "secret" not in caplog.text  # the number, never the items
    writer.put(good, "later")
    assert writer.flush()  # the thread is still there to write it
    assert good.batches == [["kept"], ["later"]]


def test_flush_says_false_while_a_write_hangs_and_true_once_it_is_done() -> None:
    gate = threading.Event()
    writer = ListWriter(interval=0.0)
    target = Target(gate=gate)
    writer.put(target, "held")
    assert not writer.flush(timeout=0.3)
    gate.set()
    assert writer.flush()
    assert target.batches == [["held"]]


def test_a_stop_writes_what_the_process_wide_writers_hold(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'stop.db'}")
    try:
        places = ResumeStore(store.engine)
        rid = resume.new_id()
        resume.writer.put(places, rid, {"screen": 3})
        row = event_row("started", DIRECT, "en", session="stop", now=NOW)
        event_writer.writer.put(store, row)
        assert flush_all()
        assert places.load(rid, time.time()) == {"screen": 3}
        assert [r["count"] for r in store.funnel_counts(NOW.date(), NOW.date())] == [1]
    finally:
        store.close()
