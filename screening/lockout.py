"""A sign-in lock-out shared by every session of the process. Pure apart from the clock.

Every LIMIT wrong passwords in a row lock the sign-in for a while: FIRST seconds, then twice as
long each time, up to LONGEST. While locked, nothing is checked at all, so a correct password
waits too. A correct password ends the run of failures. There is no per-person counter: the app
keeps no IP address, so one lock covers everybody (someone guessing can lock staff out for a
while; that is the price of not tracking visitors).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

LIMIT = 5
FIRST = 30.0
LONGEST = 15 * 60.0


@dataclass(frozen=True)
class Attempt:
    """What one sign-in attempt came to; `wait` is the seconds left of a lock (0 when open)."""

    ok: bool
    locked: bool
    wait: float


class Lockout:
    """Counts wrong passwords under a lock; `clock` is injectable so tests can move time."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        limit: int = LIMIT,
        first: float = FIRST,
        longest: float = LONGEST,
    ) -> None:
        self.clock = clock
        self.limit = limit
        self.first = first
        self.longest = longest
        self._guard = threading.Lock()
        self._failures = 0
        self._locks = 0  # locks since the last correct password: the next one lasts longer
        self._until = 0.0

    def wait(self) -> float:
        """Seconds until the sign-in opens again; 0 when it is open."""
        with self._guard:
            return max(0.0, self._until - self.clock())

    def attempt(self, check: Callable[[], bool]) -> Attempt:
        """Run `check` (the password comparison) unless locked, and count its outcome.

        The check runs under the lock, so attempts from many sessions are taken one at a time
        and none can slip past the limit."""
        with self._guard:
            now = self.clock()
            if now < self._until:
                return Attempt(ok=False, locked=True, wait=self._until - now)
            if check():
                self._failures = 0
                self._locks = 0
                return Attempt(ok=True, locked=False, wait=0.0)
            self._failures += 1
            if self._failures < self.limit:
                return Attempt(ok=False, locked=False, wait=0.0)
            length = min(self.first * 2**self._locks, self.longest)
            self._failures = 0
            self._locks += 1
            self._until = now + length
            return Attempt(ok=False, locked=True, wait=length)
