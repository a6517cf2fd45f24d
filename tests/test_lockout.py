"""The sign-in lock-out: counted under a lock, growing, and blind to passwords while locked."""

from __future__ import annotations

import threading

import pytest

from screening.lockout import Lockout


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(lock: Lockout, times: int) -> None:
    for _ in range(times):
        lock.attempt(lambda: False)


@pytest.mark.parametrize(
    ("failures", "locked", "wait"),
    [
        pytest.param(0, False, 0.0, id="fresh"),
        pytest.param(4, False, 0.0, id="four-wrong-still-open"),
        pytest.param(5, True, 30.0, id="fifth-wrong-locks-30s"),
    ],
)
def test_five_wrong_passwords_lock(failures: int, locked: bool, wait: float) -> None:
    lock = Lockout(Clock())
    fail(lock, failures)
    assert (lock.wait() > 0) is locked
    assert lock.wait() == wait


def test_a_locked_sign_in_does_not_even_check_a_correct_password() -> None:
    clock = Clock()
    lock = Lockout(clock)
    fail(lock, 5)
    checked: list[bool] = []
    outcome = lock.attempt(lambda: checked.append(True) or True)
    assert outcome.locked and not outcome.ok and checked == []
    clock.now += 29.9
    assert lock.attempt(lambda: True).locked
    clock.now += 0.2
    assert lock.attempt(lambda: True).ok


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
    clock = Clock()
    lock = Lockout(clock)
    for _ in range(locks - 1):
        fail(lock, 5)
        clock.now += lock.wait()
    fail(lock, 5)
    assert lock.wait() == length


def test_a_correct_password_resets_the_count_and_the_growth() -> None:
    clock = Clock()
    lock = Lockout(clock)
    fail(lock, 5)
    clock.now += 30
    fail(lock, 4)
    assert lock.attempt(lambda: True).ok
    fail(lock, 4)
    assert lock.wait() == 0
    fail(lock, 1)
    assert lock.wait() == 30.0


def test_attempts_from_many_threads_cannot_slip_past_the_limit() -> None:
    lock = Lockout(Clock())
    checks: list[int] = []
    guard = threading.Lock()

    def wrong() -> bool:
        with guard:
            checks.append(1)
        return False

    threads = [threading.Thread(target=lock.attempt, args=(wrong,)) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == 5
    assert lock.wait() == 30.0
