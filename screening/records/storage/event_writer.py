"""Funnel counts written by one background thread, many to a transaction.

A page that counts "step reached" should not wait for a commit (a disk flush on SQLite, a round
trip on PostgreSQL) while the person waits for the next step: the profile of a rerun put 7% of
the server's time there (bench/RESULTS.md). Rows go into a bounded queue and the writer commits
whatever has gathered, at most `interval` seconds after the first. Screenings and contact
requests are not written this way: the person is told when those are saved.

What this trades: counts still queued when the process is killed outright (SIGKILL, power cut)
are lost, at most `interval` seconds' worth; a normal stop writes them (the server's lifespan,
web/site/shutdown.py; atexit elsewhere). While the
database is down a batch is logged and dropped, as a failed count was before.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

from ...errors import StorageError
from .store import Store

log = logging.getLogger("screening.storage")

Row = Mapping[str, Any]


class EventWriter:
    """Queue funnel-event rows for a Store; one daemon thread writes them in batches."""

    def __init__(self, *, interval: float = 0.25, max_batch: int = 500, limit: int = 50_000):
        self.interval = interval
        self.max_batch = max_batch  # rows per statement (SQLite caps bound parameters)
        self.limit = limit  # queued rows kept at most while the database is slow or down
        self._queue: deque[tuple[Store, Row]] = deque()
        self._lock = threading.Condition()
        self._busy = 0  # rows taken from the queue and not yet written (or dropped)
        self._thread: threading.Thread | None = None
        self.dropped = 0  # rows given up on: queue full or the database failed

    def put(self, store: Store, row: Row) -> None:
        """Queue one row (from `event_row`, already checked); returns at once."""
        with self._lock:
            if len(self._queue) >= self.limit:
                self.dropped += 1
                if self.dropped % 1000 == 1:
                    log.error("funnel counts are not being written; %d dropped", self.dropped)
                return
            self._queue.append((store, row))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="funnel-count-writer", daemon=True
                )
                self._thread.start()
            if len(self._queue) == 1:
                self._lock.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is written or dropped; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._lock.notify_all()  # the writer need not wait out its interval
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue:
                    self._lock.wait()
            # Let rows gather for a moment: one commit for many pages' counts.
            with self._lock:
                self._lock.wait(self.interval)
                take = min(len(self._queue), self.max_batch)
                batch = [self._queue.popleft() for _ in range(take)]
                self._busy = len(batch)
            try:
                self._write(batch)
            finally:
                with self._lock:
                    self._busy = 0
                    self._lock.notify_all()

    def _write(self, batch: list[tuple[Store, Row]]) -> None:
        by_store: dict[int, tuple[Store, list[Row]]] = {}
        for store, row in batch:
            by_store.setdefault(id(store), (store, []))[1].append(row)
        for store, rows in by_store.values():
            try:
                store.record_events(rows)
            except StorageError as exc:
                self.dropped += len(rows)
                log.error("could not count %d funnel events: %s", len(rows), exc)
            except Exception:  # a bug must not end the thread and silently stop all counting
                self.dropped += len(rows)
                log.exception("could not count %d funnel events", len(rows))


writer = EventWriter()
atexit.register(writer.flush, 5.0)  # a normal stop writes what is queued
