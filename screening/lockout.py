"""The staff sign-in lock-out policy. Pure: the state and the clock are passed in.

Every LIMIT wrong passwords in a row lock the sign-in for a while: FIRST seconds, then twice as
long each time, up to LONGEST. While locked, nothing is checked at all, so a correct password
waits too. A correct password ends the run of failures. There is no per-person counter: the app
keeps no IP address, so one lock covers everybody (someone guessing can lock staff out for a
while; that is the price of not tracking visitors).

An attempt is counted as wrong *before* its password is checked (admit), and a correct password
then clears the count (CLEARED). So attempts that arrive together can never get more than LIMIT
passwords checked per lock, even though the check itself runs outside any lock. The state is
kept in the database (screening.storage.lockouts), shared by every session, process and replica.
"""

from __future__ import annotations

from dataclasses import dataclass

LIMIT = 5
FIRST = 30.0
LONGEST = 15 * 60.0


@dataclass(frozen=True)
class State:
    """The lock-out's state; `until` is in seconds since 1970 (locked while now < until)."""

    failures: int = 0  # attempts counted since the last lock or correct password
    locks: int = 0  # locks since the last correct password: the next one lasts longer
    until: float = 0.0


CLEARED = State()  # after a correct password


@dataclass(frozen=True)
class Attempt:
    """What one sign-in attempt came to; `wait` is the seconds left of a lock (0 when open)."""

    ok: bool
    locked: bool
    wait: float


@dataclass(frozen=True)
class Policy:
    """How many wrong passwords lock, and for how long."""

    limit: int = LIMIT
    first: float = FIRST
    longest: float = LONGEST

    def length(self, locks: int) -> float:
        """Seconds of the lock that follows `locks` earlier ones."""
        return float(min(self.first * 2.0**locks, self.longest))


POLICY = Policy()


def wait(state: State, now: float) -> float:
    """Seconds until the sign-in opens again; 0 when it is open."""
    return max(0.0, state.until - now)


def admit(state: State, now: float, policy: Policy = POLICY) -> tuple[bool, State]:
    """Whether a password may be checked now, and the state that counts this attempt as wrong.

    Locked: (False, state unchanged), and the password must not be checked. Otherwise (True,
    the next state), where reaching the limit already starts the next, longer lock."""
    if now < state.until:
        return False, state
    failures = state.failures + 1
    if failures < policy.limit:
        return True, State(failures, state.locks, state.until)
    return True, State(0, state.locks + 1, now + policy.length(state.locks))


def outcome(ok: bool, counted: State, now: float) -> Attempt:
    """The Attempt of a password that was admitted and checked (`counted`: admit's state)."""
    if ok:
        return Attempt(ok=True, locked=False, wait=0.0)
    left = wait(counted, now)
    return Attempt(ok=False, locked=left > 0, wait=left)


def refused(state: State, now: float) -> Attempt:
    """The Attempt of a password that was not even checked because the sign-in is locked."""
    return Attempt(ok=False, locked=True, wait=wait(state, now))
