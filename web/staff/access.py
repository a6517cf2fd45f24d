"""Who may see the staff dashboard: the password hash, signing in and out, the lock-out.

The hash is an argon2 hash made by `python -m screening staff-password`, taken from the
environment (SCREENING_STAFF_PASSWORD_HASH) or else from secrets (staff_password_hash). A
password is compared only through argon2's verify. app.py registers the dashboard page only when
signed_in() is true; hiding a page is not access control.

The lock-out (screening/records/lockout_policy.py) counts per client address, known only by its
keyed hash (web/common/client_address.py): strangers never lock the clinic's network out. It is
kept in the database, shared by every session, process and replica; neither a restart nor a
cleared cache (any browser can ask for one) resets it. It fails closed: while the database cannot
count an attempt, no password is checked at all (the dashboard could show nothing without the
database anyway).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import streamlit as st
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from screening.errors import StorageError
from screening.records.lockout_policy import Attempt
from screening.records.storage import StoredLockout, sender

from ..common import client_address, settings
from ..common.database import store
from ..site.export_grants import BROWSER_COOKIE, grants

ENV_HASH = "SCREENING_STAFF_PASSWORD_HASH"
SECRET_HASH = "staff_password_hash"
SESSION_SECONDS = 12 * 3600  # a sign-in lasts a working day at most
PASSWORD_MAX = 1024  # longer input counts as a wrong password

# Session-state keys of the staff pages (widget keys are the automation contract).
PASSWORD = "staff.password"
LOGIN = "staff.login"
LOGOUT = "staff.logout"
SIGNED_IN = "staff.signed_in"  # (fingerprint of the hash signed in with, clock time)
MESSAGE = "staff.message"  # the outcome of the last sign-in attempt
GRANT = "staff.grant"  # this sign-in's grant for exports (web/site/export_grants.py)

# The form `python -m screening staff-password` prints (PHC string, base64 without padding).
# argon2's own parser reads only the parameters; a cut or damaged salt or tag would pass it and
# then refuse every password, so the whole line is checked here.
_PHC = re.compile(
    r"\$argon2(id|i|d)(\$v=\d+)?\$m=\d+,t=\d+,p=\d+"
    r"\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{22,}"
)
clock = time.time  # seconds since 1970; tests replace it to move time


def _lockout() -> StoredLockout | None:
    db = store()
    return None if db is None else StoredLockout(db.engine)


@dataclass(frozen=True)
class HashSetting:
    """The configured hash: missing, malformed, or ready; `where` names its place for messages."""

    state: Literal["missing", "malformed", "ready"]
    value: str = ""
    where: str = ""


def _who() -> str:
    return sender(client_address.address(), client_address.key())


def lock_wait() -> float | None:
    """Seconds the sign-in stays locked for this client address (0 when open); None while the
    database cannot tell."""
    gate = _lockout()
    if gate is None:
        return None
    try:
        return gate.wait(_who(), clock())
    except StorageError:
        return None


def setting() -> HashSetting:
    """Read the hash from the environment, else from secrets, and check its form."""
    found = settings.current().get("staff_password_hash")
    raw: object = found.value
    where = found.where
    if raw is None or raw == "":
        return HashSetting("missing")
    if not isinstance(raw, str):
        return HashSetting("malformed", where=where)
    value = raw.strip()
    try:
        extract_parameters(value)
    except InvalidHashError:
        return HashSetting("malformed", where=where)
    if not _PHC.fullmatch(value) or any(len(part) % 4 == 1 for part in value.split("$")[-2:]):
        return HashSetting("malformed", where=where)
    return HashSetting("ready", value, where)


def _fingerprint(value: str) -> str:
    # A new hash (a changed password) signs everybody out.
    return hashlib.sha256(value.encode()).hexdigest()


def signed_in() -> bool:
    """True while this session signed in with the hash configured now, within SESSION_SECONDS."""
    entry = st.session_state.get(SIGNED_IN)
    if not isinstance(entry, tuple):
        return False
    current = setting()
    fingerprint, since = entry
    fresh = 0 <= clock() - since < SESSION_SECONDS
    if current.state == "ready" and fingerprint == _fingerprint(current.value) and fresh:
        return True
    _end()
    return False


def _end() -> None:
    st.session_state.pop(SIGNED_IN, None)
    grant = st.session_state.pop(GRANT, None)
    if isinstance(grant, str):
        grants.revoke(grant)  # its downloads stop being served at once


def export(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download's data callable that builds only while this sign-in lasts (Streamlit would
    run it for any session that names its id) and binds the file to this browser."""
    grant = st.session_state.get(GRANT)
    token = grant if isinstance(grant, str) else ""
    return lambda: grants.build(token, make)


def sign_in() -> None:
    """Form callback: check the typed password (through the lock-out) and forget it at once."""
    password = st.session_state.get(PASSWORD) or ""
    st.session_state[PASSWORD] = ""
    current = setting()
    if current.state != "ready":
        st.session_state[MESSAGE] = "not_configured"
        return
    if not password:
        st.session_state[MESSAGE] = "empty"
        return
    gate = _lockout()
    try:
        if gate is None:
            raise StorageError("the database cannot be reached")
        outcome = gate.attempt(_who(), lambda: _matches(current.value, str(password)), clock())
    except StorageError:  # fail closed: no count, no check
        st.session_state[MESSAGE] = "unavailable"
        return
    st.session_state[MESSAGE] = _message_code(outcome)
    if outcome.ok:
        st.session_state[SIGNED_IN] = (_fingerprint(current.value), clock())
        st.session_state[GRANT] = grants.grant(_browser())


def _browser() -> str | None:
    try:
        value = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:  # no request context (AppTest)
        return None
    return value if isinstance(value, str) and value else None


def _matches(hashed: str, password: str) -> bool:
    if len(password) > PASSWORD_MAX:
        return False
    try:
        return PasswordHasher().verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False  # a wrong password, or a damaged hash: nobody gets in


def _message_code(outcome: Attempt) -> str:
    if outcome.ok:
        return "signed_in"
    return "locked" if outcome.locked else "wrong"


def sign_out() -> None:
    """Button callback: end this session's sign-in; its downloads are refused from now on."""
    _end()
    st.session_state[MESSAGE] = "signed_out"
