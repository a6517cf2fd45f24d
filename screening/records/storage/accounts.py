"""Staff accounts in the database (0008); the rules for them are records/staff_accounts.py.

Every change raises the account's generation, which ends the sign-ins made before it (the
dashboard compares it on every run), and is written in the same transaction as its audit row,
so no account change goes unrecorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ...errors import StorageError
from ..staff_accounts import ROLES, Account, Role
from .audit import Entry, append
from .database import guard
from .schema import staff_accounts, staff_policy

REQUIRE_SECOND_FACTOR = "require_second_factor"


class AccountError(ValueError):
    """An account change that cannot be made (the message says why, in plain words)."""


def _account(row: Mapping[Any, Any]) -> Account:
    role: Role = "admin" if row["role"] == "admin" else "viewer"
    return Account(
        id=int(row["id"]),
        email=str(row["email"]),
        role=role,
        password_hash=row["password_hash"],
        enabled=bool(row["enabled"]),
        generation=int(row["generation"]),
        totp_secret=row.get("totp_secret"),
        totp_last_step=None if row.get("totp_last_step") is None else int(row["totp_last_step"]),
    )


class StoredAccounts:
    """Read and change staff accounts; raises StorageError when the database fails."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def count(self) -> int:
        """How many accounts exist, enabled or not (0: the shared password still applies)."""
        with guard(self.engine, "count staff accounts"), self.engine.begin() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(staff_accounts)).scalar_one()
            )

    def find(self, email: str) -> Account | None:
        return self._one(staff_accounts.c.email == email)

    def get(self, account_id: int) -> Account | None:
        return self._one(staff_accounts.c.id == account_id)

    def all(self) -> list[Account]:
        query = sa.select(staff_accounts).order_by(staff_accounts.c.email)
        with guard(self.engine, "read staff accounts"), self.engine.begin() as conn:
            return [_account(r._mapping) for r in conn.execute(query)]

    def add(self, email: str, role: Role, password_hash: str | None, by: Entry) -> Account:
        """A new enabled account; AccountError when the e-mail is taken."""
        if role not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}")
        now = datetime.now(UTC)
        with guard(self.engine, "add a staff account"), self.engine.begin() as conn:
            taken = conn.execute(
                sa.select(staff_accounts.c.id).where(staff_accounts.c.email == email)
            ).first()
            if taken is not None:
                raise AccountError(f"there is already an account {email}")
            conn.execute(
                staff_accounts.insert().values(
                    email=email,
                    role=role,
                    password_hash=password_hash,
                    enabled=True,
                    generation=1,
                    created_at=now,
                    changed_at=now,
                )
            )
            append(conn, by.about(email, f"added as {role}"), now)
        found = self.find(email)
        if found is None:  # pragma: no cover - the row was just committed
            raise StorageError("the new account cannot be read back")
        return found

    def change(self, email: str, by: Entry, **values: Any) -> Account:
        """Set `values` (role, password_hash, enabled) on one account and raise its generation;
        AccountError when there is no such account."""
        allowed = {"role", "password_hash", "enabled", "totp_secret"}
        if not values or set(values) - allowed:
            raise AccountError("nothing to change")
        if "role" in values and values["role"] not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}")
        now = datetime.now(UTC)
        c = staff_accounts.c
        stored = dict(values)
        if "totp_secret" in stored:  # a new (or no) secret starts its codes afresh
            stored["totp_last_step"] = None
        with guard(self.engine, "change a staff account"), self.engine.begin() as conn:
            done = conn.execute(
                staff_accounts.update()
                .where(c.email == email)
                .values(**stored, generation=c.generation + 1, changed_at=now)
            )
            if done.rowcount == 0:
                raise AccountError(f"there is no account {email}")
            append(conn, by.about(email, _described(values)), now)
        found = self.find(email)
        assert found is not None
        return found

    def use_step(self, account_id: int, step: int) -> bool:
        """Record that the code of time step `step` was used; False when that step (or a later
        one) already was: a code signs in once."""
        c = staff_accounts.c
        query = (
            staff_accounts.update()
            .where(c.id == account_id, sa.or_(c.totp_last_step.is_(None), c.totp_last_step < step))
            .values(totp_last_step=step)
        )
        with guard(self.engine, "record a second-factor code"), self.engine.begin() as conn:
            return bool(conn.execute(query).rowcount)

    def second_factor_required(self) -> bool:
        """Whether an admin requires a second factor of every password sign-in."""
        query = sa.select(staff_policy.c.value).where(staff_policy.c.name == REQUIRE_SECOND_FACTOR)
        with guard(self.engine, "read the staff policy"), self.engine.begin() as conn:
            return conn.execute(query).scalar_one_or_none() == "yes"

    def require_second_factor(self, on: bool, by: Entry) -> None:
        """Require (or stop requiring) a second factor of everybody; one audit row."""
        value = "yes" if on else "no"
        with guard(self.engine, "change the staff policy"), self.engine.begin() as conn:
            conn.execute(
                staff_policy.delete().where(staff_policy.c.name == REQUIRE_SECOND_FACTOR)
            )
            conn.execute(staff_policy.insert().values(name=REQUIRE_SECOND_FACTOR, value=value))
            words = "second factor required of everybody" if on else "second factor optional"
            append(conn, by.about("everybody", words))

    def _one(self, where: sa.ColumnElement[bool]) -> Account | None:
        with guard(self.engine, "read a staff account"), self.engine.begin() as conn:
            row = conn.execute(sa.select(staff_accounts).where(where)).first()
        return None if row is None else _account(row._mapping)


def _described(values: Mapping[str, Any]) -> str:
    """The audit trail's words for a change (never the hash itself)."""
    parts = []
    if "role" in values:
        parts.append(f"role set to {values['role']}")
    if "password_hash" in values:
        parts.append("password set" if values["password_hash"] else "password removed")
    if "enabled" in values:
        parts.append("enabled" if values["enabled"] else "disabled")
    if "totp_secret" in values:
        parts.append("second factor set up" if values["totp_secret"] else "second factor removed")
    return ", ".join(parts)
