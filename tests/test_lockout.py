"""The sign-in lock-out per client address: the pure policy, and the copy in the database that
every session, process and replica shares (counted before the check, growing, blind to passwords
while locked, one address never locking another)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
import workers

from screening.errors import StorageError
from screening.records.lockout_policy import CLEARED, Policy, State, admit, outcome, wait
from screening.records.storage import LOCAL, Store, StoredLockout, open_store, sender

NOW = 1_800_000_000.0  # seconds since 1970
KEY = b"k" * 32
STRANGER = sender("203.0.113.9", KEY)
CLINIC = sender("198.51.100.7", KEY)


class Memory:
    """The policy on a state held in a variable: what StoredLockout does, without a database."""

    def __init__(self) -> None:
        self.state = State()

    def attempt(self, ok: bool, now: float) -> bool:
        admitted, self.state = admit(self.state, now)
        if admitted and ok:
            self.state = CLEARED
        return admitted and ok


def fail(lock: Memory, times: int, now: float = NOW) -> None:
    for _ in range(times):
        lock.attempt(False, now)


@pytest.mark.parametrize(
    ("failures", "locked", "left"),
    [
        pytest.param(0, False, 0.0, id="fresh"),
        pytest.param(4, False, 0.0, id="four-wrong-still-open"),
        pytest.param(5, True, 30.0, id="fifth-wrong-locks-30s"),
    ],
)
def test_five_wrong_passwords_lock(failures: int, locked: bool, left: float) -> None:
    lock = Memory()
    fail(lock, failures)
    assert (wait(lock.state, NOW) > 0) is locked
    assert wait(lock.state, NOW) == left


def test_a_locked_sign_in_is_not_even_admitted() -> None:
    lock = Memory()
    fail(lock, 5)
    admitted, after = admit(lock.state, NOW + 29.9)
    assert not admitted and after == lock.state
    assert admit(lock.state, NOW + 30.0)[0]


@pytest.mark.parametrize(
    ("locks", "length"),
    [
        pytest.param(1, 30.0, id="first"),
        pytest.param(2, 60.0, id="doubles"),
        pytest.param(3, 120.0, id="doubles-again"),
        pytest.param(10, 900.0, id="capped-at-15-min"),
    ],
)
def test_each_lock_lasts_twice_as_long_up_to_a_cap(locks: int, length: float) -> None:
    lock, now = Memory(), NOW
    for _ in range(locks - 1):
        fail(lock, 5, now)
        now += wait(lock.state, now)
    fail(lock, 5, now)
    assert wait(lock.state, now) == length


def test_a_correct_password_resets_the_count_and_the_growth() -> None:
    lock = Memory()
    fail(lock, 5)
    fail(lock, 4, NOW + 30)
    assert lock.attempt(True, NOW + 30)
    fail(lock, 4, NOW + 30)
    assert wait(lock.state, NOW + 30) == 0
    fail(lock, 1, NOW + 30)
    assert wait(lock.state, NOW + 30) == 30.0


def test_the_fifth_attempt_may_still_be_the_right_password() -> None:
    lock = Memory()
    fail(lock, 4)
    assert lock.attempt(True, NOW)
    assert lock.state == CLEARED


def test_outcome_of_a_wrong_password_says_whether_it_locked() -> None:
    counted = State(0, 1, NOW + 30)
    assert outcome(False, counted, NOW) == outcome(False, counted, NOW)
    assert outcome(False, counted, NOW).locked and outcome(False, counted, NOW).wait == 30
    assert not outcome(False, State(3, 0, 0.0), NOW).locked
    assert outcome(True, counted, NOW).ok


def test_policy_lengths() -> None:
    assert [Policy().length(n) for n in range(7)] == [30, 60, 120, 240, 480, 900, 900]


# --- in the database -------------------------------------------------------------------------


def test_the_stored_lock_survives_a_new_connection(url: str, store: Store) -> None:
    gate = StoredLockout(store.engine)
    for _ in range(5):
        assert not gate.attempt(STRANGER, lambda: False, NOW).ok
    again = open_store(url)  # another process, another replica, or a restart
    try:
        other = StoredLockout(again.engine)
        assert other.wait(STRANGER, NOW) == 30.0
        checked: list[bool] = []
        result = other.attempt(STRANGER, lambda: checked.append(True) or True, NOW + 29)
        assert result.locked and not result.ok and checked == []
        assert other.attempt(STRANGER, lambda: True, NOW + 31).ok
    finally:
        again.close()
    assert gate.state(STRANGER) == CLEARED


def test_a_strangers_wrong_guesses_never_lock_out_another_address(store: Store) -> None:
    gate = StoredLockout(store.engine)
    for _ in range(12):  # two locks' worth, and more while locked
        gate.attempt(STRANGER, lambda: False, NOW)
    assert gate.wait(STRANGER, NOW) == 30.0
    assert gate.wait(CLINIC, NOW) == 0
    checked: list[bool] = []
    assert gate.attempt(CLINIC, lambda: checked.append(True) or True, NOW).ok
    assert checked == [True]
    assert gate.wait(STRANGER, NOW) == 30.0  # the clinic's sign-in unlocked nobody else


def test_no_address_is_stored_only_its_keyed_hash(store: Store) -> None:
    gate = StoredLockout(store.engine)
    gate.attempt(sender("203.0.113.9", KEY), lambda: False, NOW)
    gate.attempt(sender("::1", KEY), lambda: False, NOW)
    with store.engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT sender_digest FROM sign_in_lockout")).scalars())
    assert LOCAL in stored and len(stored) == 2
    assert not any("203.0.113.9" in value for value in stored)
    assert sender("203.0.113.9", b"another key") not in stored
    # One address, however it is spelt, is one key (so `unlock` finds what the app counted).
    assert sender("2001:db8::1", KEY) == sender("2001:0db8:0:0::0001", KEY)
    assert sender("127.0.0.1", KEY) == sender(None, KEY) == LOCAL


@pytest.mark.parametrize(
    ("others", "allowed"),
    [
        pytest.param(0, 5, id="quiet"),
        pytest.param(20, 5, id="at-the-ceiling"),
        pytest.param(21, 1, id="over-the-ceiling-one-guess-per-address"),
    ],
)
def test_many_failing_addresses_slow_each_address_to_one_guess(others: int, allowed: int) -> None:
    state, checked = State(), 0
    while True:
        admitted, state = admit(state, NOW, crowded=others)
        if not admitted:
            break
        checked += 1
    assert checked == allowed and wait(state, NOW) == 30.0


def test_the_ceiling_counts_other_addresses_and_never_refuses_a_right_password(
    store: Store,
) -> None:
    gate = StoredLockout(store.engine, Policy(crowd=3))
    for n in range(4):
        gate.attempt(sender(f"203.0.113.{n}", KEY), lambda: False, NOW)
    assert gate.wait(sender("203.0.113.0", KEY), NOW) == 0  # each had one guess, below the limit
    late = sender("203.0.113.200", KEY)
    assert gate.attempt(late, lambda: False, NOW).locked  # four others failed: one guess only
    assert gate.attempt(CLINIC, lambda: True, NOW).ok  # the right password still gets in
    # An hour later the crowd has gone and each address has its five guesses again.
    later = NOW + 3601
    assert not gate.attempt(sender("203.0.113.201", KEY), lambda: False, later).locked


def test_quiet_addresses_are_forgotten_after_a_day(store: Store) -> None:
    gate = StoredLockout(store.engine)
    for _ in range(5):
        gate.attempt(STRANGER, lambda: False, NOW)
    assert gate.state(STRANGER).locks == 1
    gate.attempt(CLINIC, lambda: False, NOW + 24 * 3600 + 1)  # any attempt tidies up
    assert gate.state(STRANGER) == CLEARED


def test_unlock_clears_one_address_or_all(store: Store) -> None:
    gate = StoredLockout(store.engine)
    for who in (STRANGER, CLINIC):
        for _ in range(5):
            gate.attempt(who, lambda: False, NOW)
    assert gate.clear(CLINIC) == 1
    assert gate.wait(CLINIC, NOW) == 0 and gate.wait(STRANGER, NOW) == 30.0
    assert gate.clear() == 1
    assert gate.wait(STRANGER, NOW) == 0


def test_attempts_from_many_threads_cannot_slip_past_the_limit(store: Store) -> None:
    gate = StoredLockout(store.engine)
    checks: list[int] = []
    guard = threading.Lock()
    go = threading.Barrier(40)

    def wrong() -> bool:
        with guard:
            checks.append(1)
        return False

    def attempt() -> None:
        go.wait()
        gate.attempt(STRANGER, wrong, NOW)

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == 5
    assert gate.wait(STRANGER, NOW) == 30.0
    print(f"\n[lock-out {store.engine.dialect.name}] 40 simultaneous wrong passwords: 5 checked")


def test_processes_share_one_lock(url: str, store: Store) -> None:
    spawn = multiprocessing.get_context("spawn")
    ready, out = spawn.Barrier(8), spawn.Queue()
    args = (url, STRANGER, NOW, ready, out)
    procs = [spawn.Process(target=workers.guess, args=args) for _ in range(8)]
    for p in procs:
        p.start()
    refused_or_locking = sum(workers.collect(procs, out, len(procs)))
    for p in procs:
        p.join(timeout=workers.HANG_GUARD)
        assert p.exitcode == 0
    # Five passwords were checked (the fifth locked); the other three were refused unchecked.
    assert refused_or_locking == 4
    state = StoredLockout(store.engine).state(STRANGER)
    assert (state.failures, state.locks, state.until) == (0, 1, NOW + 30)


def test_an_unreachable_database_raises_storage_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a database")
    engine = sa.create_engine(f"sqlite:///{blocked}")
    gate = StoredLockout(engine)
    checked: list[bool] = []
    with pytest.raises(StorageError):
        gate.attempt(CLINIC, lambda: checked.append(True) or True, NOW)
    assert checked == []  # fails closed: nothing was checked
    with pytest.raises(StorageError):
        gate.wait(CLINIC, NOW)
    engine.dispose()
