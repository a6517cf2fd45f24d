"""The staff pages under AppTest: the password, a clock the tests move, opening /staff and
signing in."""

from __future__ import annotations

from typing import Any

from apptest_support import APP
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from screening.records.staff_accounts import Role

PASSWORD = "correct horse battery staple"
# Cheap parameters: verify reads them from the hash, so each check takes milliseconds.
HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def open_staff(secrets: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    # Always some secrets, so a developer's own .streamlit/secrets.toml is never read.
    at.secrets.update({"unrelated": "x", **({"staff_password_hash": HASH} | (secrets or {}))})
    at.run()
    at.switch_page("app_pages/staff_login.py").run()
    assert not at.exception
    return at


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="staff.password").set_value(password)
    at.button(key="staff.login").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def everything(at: AppTest) -> str:
    """Every element's content, dataframes included (their Arrow bytes hold the cell text)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return "\n".join(found)


# --- named accounts ----------------------------------------------------------------------------

ADMIN = "admin@clinic.example"
VIEWER = "frontdesk@clinic.example"
ACCOUNT_PASSWORD = "Lantern-Quorum-Thistle-58"


def add_account(
    url: str, email: str, role: Role = "viewer", password: str = ACCOUNT_PASSWORD
) -> int:
    """An enabled account with a cheap hash, as `python -m screening staff add` would make."""
    from screening.records.storage import COMMAND_LINE, Entry, StoredAccounts, open_store

    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(password)
    store = open_store(url)
    try:
        account = StoredAccounts(store.engine).add(
            email, role, hashed, Entry(COMMAND_LINE, "account")
        )
        return account.id
    finally:
        store.close()


def sign_in_as(at: AppTest, email: str, password: str = ACCOUNT_PASSWORD) -> AppTest:
    at.text_input(key="staff.email").set_value(email)
    at.text_input(key="staff.password").set_value(password)
    at.button(key="staff.login").click().run()
    assert not at.exception
    return at


def audit_rows(url: str) -> list[dict[str, Any]]:
    """The audit trail, oldest first."""
    from screening.records.storage import AuditTrail, open_store

    store = open_store(url)
    try:
        return list(reversed(AuditTrail(store.engine).rows()))
    finally:
        store.close()
