"""The stored lock-out per staff account and address (storage/lockouts.py, AccountLockout): one
address's wrong passwords lock that account there only; guesses at one account from many
addresses meet the ceiling, counted among that account's rows only; unlock by account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.records.lockout_policy import ACCOUNT_POLICY
from screening.records.storage import AccountLockout, Store, account_key, open_store

NOW = 1_000_000.0


@pytest.fixture
def gate(tmp_path: Path) -> Iterator[AccountLockout]:
    store: Store = open_store(f"sqlite:///{tmp_path / 'lock.db'}")
    yield AccountLockout(store.engine)
    store.close()


def wrong(gate: AccountLockout, account: int, address: str, now: float = NOW) -> bool:
    """One wrong password; True when it was checked (not refused by a lock)."""
    checked: list[bool] = []
    gate.attempt(account_key(account, address), lambda: checked.append(True) or False, now)
    return bool(checked)


def right(gate: AccountLockout, account: int, address: str, now: float = NOW) -> bool:
    return gate.attempt(account_key(account, address), lambda: True, now).ok


def test_three_wrong_lock_the_account_at_that_address_only(gate: AccountLockout) -> None:
    for _ in range(ACCOUNT_POLICY.limit):
        assert wrong(gate, 1, "stranger")
    assert not right(gate, 1, "stranger")  # locked there, even with the right password
    assert right(gate, 1, "desk")  # the owner's own desk
    assert right(gate, 2, "stranger")  # another account, even from the stranger's address
    assert right(gate, 1, "stranger", NOW + ACCOUNT_POLICY.first)  # after the first lock


def test_the_ceiling_counts_one_accounts_addresses_only(gate: AccountLockout) -> None:
    for n in range(ACCOUNT_POLICY.crowd + 1):
        assert wrong(gate, 1, f"bot-{n}")
    assert wrong(gate, 1, "bot-new")  # one guess from a new address, then it is locked
    assert not wrong(gate, 1, "bot-new")
    # Another account's sign-in is not crowded by the guesses at account 1.
    for _ in range(ACCOUNT_POLICY.limit - 1):
        assert wrong(gate, 2, "desk")
    assert right(gate, 2, "desk")


def test_unlock_one_account_everywhere(gate: AccountLockout) -> None:
    for address in ("a", "b"):
        for _ in range(ACCOUNT_POLICY.limit):
            wrong(gate, 7, address)
    for _ in range(ACCOUNT_POLICY.limit):
        wrong(gate, 70, "a")  # an id that starts with the same digit is another account
    assert gate.clear_account(7) == 2
    assert right(gate, 7, "a") and right(gate, 7, "b")
    assert not right(gate, 70, "a")
