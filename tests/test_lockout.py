"""The sign-in lock-out: the pure policy, and the copy in the database that every session,
process and replica shares (counted before the check, growing, blind to passwords while locked)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
import workers

from screening.errors import StorageError
from screening.lockout import CLEARED, Policy, State, admit, outcome, wait
from screening.storage import Store, StoredLockout, open_store

NOW = 1_800_000_000.0  # seconds since 1970


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
        assert not gate.attempt(lambda: False, NOW).ok
    again = open_store(url)  # another process, another replica, or a restart
    try:
        other = StoredLockout(again.engine)
        assert other.wait(NOW) == 30.0
        checked: list[bool] = []
        result = other.attempt(lambda: checked.append(True) or True, NOW + 29)
        assert result.locked and not result.ok and checked == []
        assert other.attempt(lambda: True, NOW + 31).ok
    finally:
        again.close()
    assert gate.state() == CLEARED


def test_a_deleted_row_comes_back(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM staff_lockout"))
    gate = StoredLockout(store.engine)
    assert gate.wait(NOW) == 0
    assert not gate.attempt(lambda: False, NOW).ok
    assert gate.state().failures == 1


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
        gate.attempt(wrong, NOW)

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == 5
    assert gate.wait(NOW) == 30.0
    print(f"\n[lock-out {store.engine.dialect.name}] 40 simultaneous wrong passwords: 5 checked")


def test_processes_share_one_lock(url: str, store: Store) -> None:
    spawn = multiprocessing.get_context("spawn")
    ready, out = spawn.Barrier(8), spawn.Queue()
    procs = [spawn.Process(target=workers.guess, args=(url, NOW, ready, out)) for _ in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    refused_or_locking = sum(out.get(timeout=5) for _ in procs)
    # Five passwords were checked (the fifth locked); the other three were refused unchecked.
    assert refused_or_locking == 4
    state = StoredLockout(store.engine).state()
    assert (state.failures, state.locks, state.until) == (0, 1, NOW + 30)


def test_an_unreachable_database_raises_storage_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a database")
    engine = sa.create_engine(f"sqlite:///{blocked}")
    gate = StoredLockout(engine)
    checked: list[bool] = []
    with pytest.raises(StorageError):
        gate.attempt(lambda: checked.append(True) or True, NOW)
    assert checked == []  # fails closed: nothing was checked
    with pytest.raises(StorageError):
        gate.wait(NOW)
    engine.dispose()
