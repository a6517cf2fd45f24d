"""One background thread that writes what gathers, many to a transaction: the mechanics that the
funnel counts (event_writer) and the places in the check (resume) share.

A caller adds to the writer's pending items and returns at once. The thread sleeps until there
is something to write, lets more gather for `interval` seconds (one commit for many pages'
changes), takes a batch and writes it outside the lock, one call per database. A database that
fails costs only that database's part of the batch: it is logged (the message says how many,
never what) and counted in `dropped`, and the thread goes on.

The writers a process keeps for its whole life are `flushed_at_stop`: a normal stop writes what
they hold. atexit alone is not enough for the server: uvicorn, after its graceful shutdown,
raises the SIGTERM it caught again with the default handler, which ends the process without
running atexit; web/site/shutdown.py calls `flush_all` at the end of the ASGI lifespan.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from ...errors import StorageError

log = logging.getLogger("screening.storage")

STOP_WAIT = 5.0  # seconds each writer may take at a stop (a database that hangs must not hold it)

Target = TypeVar("Target")  # what one write call goes to (a Store, a ResumeStore)
Item = TypeVar("Item")  # one pending thing for it (a row, a change)


class BatchWriter(ABC, Generic[Target, Item]):
    """Pending items written by one daemon thread, in batches. A subclass keeps the pending items
    (adding them under `_lock`, then calling `_added`) and says how to take and write them."""

    failure = "could not write %d items"  # logged with the number of items dropped

    def __init__(self, *, interval: float, name: str) -> None:
        self.interval = interval
        self.name = name  # the thread's
        self.dropped = 0  # items given up on (a subclass may drop more, such as a full queue)
        self._lock = threading.Condition()
        self._idle = False  # the thread sleeps until something is pending
        self._busy = False  # a batch is taken and not yet written (or dropped)
        self._flushing = 0  # flush calls waiting: batches are written without gathering
        self._thread: threading.Thread | None = None

    @abstractmethod
    def _pending(self) -> int:
        """How many items wait (called with `_lock` held)."""

    @abstractmethod
    def _take(self) -> list[tuple[Target, Item]]:
        """Remove the next batch from the pending items (called with `_lock` held)."""

    @abstractmethod
    def _write_to(self, target: Target, items: list[Item]) -> None:
        """Write one target's part of a batch; raises on failure (called without the lock)."""

    def _key(self, target: Target) -> int:
        """Targets with the same key are written in one call."""
        return id(target)

    def _added(self) -> None:
        """Call with `_lock` held, after adding: the thread runs, and wakes if it was idle.
        It is not woken otherwise, so what is added within `interval` gathers into one batch."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        elif self._idle:
            self._lock.notify_all()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything pending so far is written or dropped; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._flushing += 1  # the thread need not wait out its interval
            self._lock.notify_all()
            try:
                while self._pending() or self._busy:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._lock.wait(left)
            finally:
                self._flushing -= 1
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._pending():
                    self._idle = True
                    self._lock.wait()
                self._idle = False
                # Let more gather. A flush cuts this short, also one that began before this wait
                # (a counter, not only a notify, which would be lost then).
                gathered = time.monotonic() + self.interval
                while not self._flushing and (left := gathered - time.monotonic()) > 0:
                    self._lock.wait(left)
                batch = self._take()
                self._busy = True
            try:
                self._write(batch)
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()

    def _write(self, batch: list[tuple[Target, Item]]) -> None:
        by_target: dict[int, tuple[Target, list[Item]]] = {}
        for target, item in batch:
            by_target.setdefault(self._key(target), (target, []))[1].append(item)
        for target, items in by_target.values():
            try:
                self._write_to(target, items)
            except StorageError as exc:
                self.dropped += len(items)
                log.error(self.failure + ": %s", len(items), exc)
            except Exception:  # a bug must not end the thread and silently stop all writing
                self.dropped += len(items)
                log.exception(self.failure, len(items))


_AT_STOP: list[BatchWriter[Any, Any]] = []

Writer = TypeVar("Writer", bound=BatchWriter[Any, Any])


def flushed_at_stop(writer: Writer) -> Writer:
    """Register a writer that lives as long as the process: `flush_all` writes what it holds."""
    _AT_STOP.append(writer)
    return writer


def flush_all(timeout: float = STOP_WAIT) -> bool:
    """Write what every registered writer holds, each within `timeout`; False if one could not."""
    done = [writer.flush(timeout) for writer in list(_AT_STOP)]
    return all(done)


atexit.register(flush_all)  # a normal stop writes what is pending (the server: shutdown.py)
