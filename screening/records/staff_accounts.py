"""Staff accounts: who may do what, what counts as an account's name, and which passwords are
refused. Pure apart from argon2 (hashing) and zxcvbn's list of common passwords, a data file
shipped inside that pinned package (nothing is downloaded).

Two roles. A `viewer` sees the contact requests and the statistics and records call attempts; an
`admin` may also download exports, forget a person and manage accounts. The page hides what a
role may not do, and every such action checks `may` again on the server when it runs, so a
widget forged over the WebSocket does nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from argon2 import PasswordHasher

Role = Literal["viewer", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "admin")
Action = Literal["view", "call", "export", "forget", "accounts"]
RIGHTS: dict[Role, frozenset[Action]] = {
    "viewer": frozenset({"view", "call"}),
    "admin": frozenset({"view", "call", "export", "forget", "accounts"}),
}
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # longer input counts as a wrong password (argon2 would hash it all)
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A common word dressed up: the list's entry with digits or symbols after it ("password2024!").
_TAIL = re.compile(r"[\d\W_]+$")


@dataclass(frozen=True)
class Account:
    """One staff account as stored; `password_hash` None: single sign-on only."""

    id: int
    email: str
    role: Role
    password_hash: str | None
    enabled: bool
    generation: int
    totp_secret: str | None = None  # set: a second factor is needed after the password
    totp_last_step: int | None = None


def may(role: str, action: Action) -> bool:
    """Whether `role` may do `action`; an unknown role may do nothing."""
    return action in RIGHTS.get(role, frozenset())  # type: ignore[call-overload]


def email(text: str) -> str | None:
    """The account name for typed text: trimmed, lower case; None when not an e-mail address."""
    value = text.strip().lower()
    if len(value) > MAX_EMAIL or not _EMAIL.fullmatch(value):
        return None
    return value


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of the 30,000 most common passwords, lower case."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    listed = FREQUENCY_LISTS["passwords"]  # a list once the module is imported
    words = listed.split(",") if isinstance(listed, str) else listed
    return frozenset(str(word).lower() for word in words)


def password_problem(password: str, account: str = "") -> str | None:
    """Why a new password is refused (plain words), or None when it may be used."""
    if len(password) < MIN_PASSWORD:
        return f"use at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"use at most {MAX_PASSWORD} characters"
    lowered = password.lower()
    words = {lowered, _TAIL.sub("", lowered), lowered.replace(" ", "")}
    if words & common_passwords():
        return "that is one of the most common passwords; choose another"
    if len(set(lowered)) < 4:
        return "use more different characters"
    name = account.split("@")[0].lower()
    if name and len(name) >= 4 and name in lowered:
        return "do not use the account's name in its password"
    return None


def hasher() -> PasswordHasher:
    # Imported here: the command line reads the roles without loading argon2.
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def matches(hashed: str, password: str) -> bool:
    """argon2's verify; a wrong password, an over-long one or a damaged hash is False."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    if len(password) > MAX_PASSWORD:
        return False
    try:
        return hasher().verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def decoy_hash() -> str:
    """A hash checked when the account does not exist, so an unknown e-mail takes as long to
    refuse as a wrong password (the timing tells no one which accounts exist)."""
    return hasher().hash("no account has this password")
