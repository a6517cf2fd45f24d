"""The staff sign-in lock-out policy, per client address. Pure: the state and the clock are
passed in.

Every LIMIT wrong passwords in a row from one client address lock the sign-in *for that address*
for a while: FIRST seconds, then twice as long each time, up to LONGEST. While an address is
locked nothing it sends is checked, so a correct password from it waits too; other addresses are
not affected, so a stranger's guesses never keep the clinic's own network out. A correct password
ends its address's run of failures.

A global ceiling slows a guesser who spreads over many addresses, without blocking anyone: while
more than CROWD addresses have unresolved wrong passwords within RECENT seconds, every address
locks after a single wrong password (instead of LIMIT). A correct password is still accepted at
once from any address that is not locked; the price is that a member of staff who mistypes
during such an attack waits FIRST seconds. A ceiling that refused every attempt would instead
hand the attacker the very lock-out this design avoids.

An attempt is counted as wrong *before* its password is checked (admit), and a correct password
then clears the count (CLEARED). So attempts that arrive together can never get more than LIMIT
passwords checked per lock, even though the check itself runs outside any lock. The states are
kept in the database (storage/lockouts.py), shared by every session, process and replica,
keyed by a keyed hash of the address, never the address itself.
"""

from __future__ import annotations

from dataclasses import dataclass

LIMIT = 5
FIRST = 30.0
LONGEST = 15 * 60.0
CROWD = 20  # addresses with recent wrong passwords; a clinic has a handful
RECENT = 3600.0
FORGET = 24 * 3600.0  # an address quiet this long (and not locked) starts afresh


@dataclass(frozen=True)
class State:
    """One address's lock-out; `until` is in seconds since 1970 (locked while now < until)."""

    failures: int = 0  # attempts counted since the last lock or correct password
    locks: int = 0  # locks since the last correct password: the next one lasts longer
    until: float = 0.0


CLEARED = State()  # after a correct password, and for an address never seen


@dataclass(frozen=True)
class Attempt:
    """What one sign-in attempt came to; `wait` is the seconds left of a lock (0 when open)."""

    ok: bool
    locked: bool
    wait: float


@dataclass(frozen=True)
class Policy:
    """How many wrong passwords lock an address, for how long, and when the ceiling applies."""

    limit: int = LIMIT
    first: float = FIRST
    longest: float = LONGEST
    crowd: int = CROWD
    recent: float = RECENT
    forget: float = FORGET

    def length(self, locks: int) -> float:
        """Seconds of the lock that follows `locks` earlier ones."""
        return float(min(self.first * 2.0**locks, self.longest))

    def allowed(self, crowded: int) -> int:
        """Wrong passwords an address may send before it locks, given how many other
        addresses failed recently."""
        return 1 if crowded > self.crowd else self.limit


POLICY = Policy()
# Per account and address (storage/lockouts.py, AccountLockout): fewer wrong passwords than the
# address's own limit, so a mistyping member of staff locks their own account from their desk
# for FIRST seconds before the whole address is locked for everybody; CROWD other addresses
# failing on one account within RECENT make each of them lock after one wrong password.
ACCOUNT_POLICY = Policy(limit=3, crowd=5)


def wait(state: State, now: float) -> float:
    """Seconds until the address may sign in again; 0 when it is open."""
    return max(0.0, state.until - now)


def admit(
    state: State, now: float, policy: Policy = POLICY, crowded: int = 0
) -> tuple[bool, State]:
    """Whether a password may be checked now, and the state that counts this attempt as wrong.

    `crowded` is how many other addresses have unresolved wrong passwords within policy.recent.
    Locked: (False, state unchanged), and the password must not be checked. Otherwise (True,
    the next state), where reaching the limit already starts the next, longer lock."""
    if now < state.until:
        return False, state
    failures = state.failures + 1
    if failures < policy.allowed(crowded):
        return True, State(failures, state.locks, state.until)
    return True, State(0, state.locks + 1, now + policy.length(state.locks))


def outcome(ok: bool, counted: State, now: float) -> Attempt:
    """The Attempt of a password that was admitted and checked (`counted`: admit's state)."""
    if ok:
        return Attempt(ok=True, locked=False, wait=0.0)
    left = wait(counted, now)
    return Attempt(ok=False, locked=left > 0, wait=left)


def refused(state: State, now: float) -> Attempt:
    """The Attempt of a password that was not even checked because the address is locked."""
    return Attempt(ok=False, locked=True, wait=wait(state, now))
