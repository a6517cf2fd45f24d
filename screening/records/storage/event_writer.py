"""Funnel counts written by one background thread, many to a transaction.

A page that counts "step reached" should not wait for a commit (a disk flush on SQLite, a round
trip on PostgreSQL) while the person waits for the next step: the profile of a rerun put 7% of
the server's time there (bench/RESULTS.md). Rows go into a bounded queue and the writer commits
whatever has gathered, at most `interval` seconds after the first. Screenings and contact
requests are not written this way: the person is told when those are saved.

What this trades: counts still queued when the process is killed outright (SIGKILL, power cut)
are lost, at most `interval` seconds' worth; a normal stop writes them (batch_writer.flush_all:
the server's lifespan, web/site/shutdown.py; atexit elsewhere). While the database is down a
batch is logged and dropped, as a failed count was before.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping
from typing import Any

from .batch_writer import BatchWriter, flushed_at_stop
from .store import Store

log = logging.getLogger("screening.storage")

Row = Mapping[str, Any]


class EventWriter(BatchWriter[Store, Row]):
    """Queue funnel-event rows for a Store; one daemon thread writes them in batches."""

    failure = "could not count %d funnel events"

    def __init__(self, *, interval: float = 0.25, max_batch: int = 500, limit: int = 50_000):
        super().__init__(interval=interval, name="funnel-count-writer")
        self.max_batch = max_batch  # rows per statement (SQLite caps bound parameters)
        self.limit = limit  # queued rows kept at most while the database is slow or down
        self._queue: deque[tuple[Store, Row]] = deque()

    def put(self, store: Store, row: Row) -> None:
        """Queue one row (from `event_row`, already checked); returns at once."""
        with self._lock:
            if len(self._queue) >= self.limit:
                self.dropped += 1
                if self.dropped % 1000 == 1:
                    log.error("funnel counts are not being written; %d dropped", self.dropped)
                return
            self._queue.append((store, row))
            self._added()

    def _pending(self) -> int:
        return len(self._queue)

    def _take(self) -> list[tuple[Store, Row]]:
        take = min(len(self._queue), self.max_batch)
        return [self._queue.popleft() for _ in range(take)]

    def _write_to(self, target: Store, items: list[Row]) -> None:
        target.record_events(items)


writer = flushed_at_stop(EventWriter())
