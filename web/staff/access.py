"""Who may see the staff dashboard: named accounts, signing in and out, roles, the lock-outs, the
idle sign-out, and the audit rows of all of it.

Each member of staff has an account in the database (`python -m screening staff add`): an
e-mail, a role (screening/records/staff_accounts.py) and an argon2 hash. A password is compared
only through argon2's verify. Until the first account exists, the shared password of old
(SCREENING_STAFF_PASSWORD_HASH or staff_password_hash in secrets) still signs in, as an admin
named "shared password" in the audit trail, so a deployment keeps working across the upgrade;
once any account exists the shared password is refused. app.py registers the dashboard page only
when signed_in() is true; hiding a page is not access control, so every action checks the role
again when it runs (`allowed`), and the account is read from the database on every run: a
disabled account, a new password or a new role ends the sign-ins made before it.

Two lock-outs (screening/records/lockout_policy.py), both kept in the database and shared by
every session, process and replica: per client address (known only by its keyed hash), and per
account at that address, so a stranger's guesses at someone's account never lock that person
out at their own desk, and one account's lock-out leaves the others working. Both fail closed:
while the database cannot count an attempt, no password is checked at all.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import streamlit as st
from argon2 import extract_parameters
from argon2.exceptions import InvalidHashError

from screening.errors import StorageError
from screening.records import second_factor, staff_accounts
from screening.records.lockout_policy import Attempt
from screening.records.staff_accounts import Action, Role
from screening.records.storage import (
    SHARED,
    AccountLockout,
    AuditTrail,
    Entry,
    StoredAccounts,
    StoredLockout,
    account_key,
    sender,
)

from ..common import client_address, settings
from ..common.database import store
from ..site.export_grants import BROWSER_COOKIE, grants

log = logging.getLogger("screening.app")
ENV_HASH = "SCREENING_STAFF_PASSWORD_HASH"
SECRET_HASH = "staff_password_hash"
SESSION_SECONDS = 12 * 3600  # a sign-in lasts a working day at most
DAY_OVER = "after 12 hours, the longest a sign-in lasts"  # the audit row's detail
PASSWORD_MAX = staff_accounts.MAX_PASSWORD  # longer input counts as a wrong password
UNKNOWN = "unknown account"  # the actor of a failed sign-in that named no account

# Session-state keys of the staff pages (widget keys are the automation contract).
EMAIL = "staff.email"
PASSWORD = "staff.password"
LOGIN = "staff.login"
LOGOUT = "staff.logout"
SIGNED_IN = "staff.signed_in"  # (account id or 0 for the shared password, fingerprint, since)
LAST_SEEN = "staff.last_seen"  # clock time of the sign-in's last run (the idle sign-out)
MESSAGE = "staff.message"  # the outcome of the last sign-in attempt
CODE = "staff.code"
VERIFY = "staff.verify"
CANCEL = "staff.cancel"
# (account id, generation, clock time) of a password accepted, waiting for the second factor
PENDING = "staff.pending"
SSO_LOGIN = "staff.sso_login"
SSO_CONTINUE = "staff.sso_continue"
SSO_OTHER = "staff.sso_other"
SSO = "single sign-on"
SETUP_SECRET = "staff.setup_secret"  # a new secret shown as a QR code, until its first code
PENDING_SECONDS = 300  # the second factor must follow the password within this
GRANT = "staff.grant"  # this sign-in's grant for exports (web/site/export_grants.py)

# The form `python -m screening staff-password` prints (PHC string, base64 without padding).
# argon2's own parser reads only the parameters; a cut or damaged salt or tag would pass it and
# then refuse every password, so the whole line is checked here.
_PHC = re.compile(
    r"\$argon2(id|i|d)(\$v=\d+)?\$m=\d+,t=\d+,p=\d+"
    r"\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{22,}"
)
clock = time.time  # seconds since 1970; tests replace it to move time


@dataclass(frozen=True)
class Staff:
    """Who is signed in: an account (id > 0) or the shared password (id 0)."""

    account_id: int
    email: str
    role: Role

    def may(self, action: Action) -> bool:
        return staff_accounts.may(self.role, action)


@dataclass(frozen=True)
class HashSetting:
    """The configured hash: missing, malformed, or ready; `where` names its place for messages."""

    state: Literal["missing", "malformed", "ready"]
    value: str = ""
    where: str = ""


def _lockout() -> StoredLockout | None:
    db = store()
    return None if db is None else StoredLockout(db.engine)


def _who() -> str:
    return sender(client_address.address(), client_address.key())


def address() -> str:
    """The client address for the audit trail, as the server saw it."""
    return client_address.address() or "this machine"


def idle_seconds() -> float:
    return settings.current().staff_idle_seconds


def accounts() -> StoredAccounts | None:
    db = store()
    return None if db is None else StoredAccounts(db.engine)


def trail() -> AuditTrail | None:
    db = store()
    return None if db is None else AuditTrail(db.engine)


def account_count() -> int | None:
    """How many accounts exist; None while the database cannot tell."""
    found = accounts()
    if found is None:
        return None
    try:
        return found.count()
    except StorageError:
        return None


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
    """Read the shared hash from the environment, else from secrets, and check its form."""
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


def _resolve(account_id: int, fingerprint: str) -> Staff | None:
    """The Staff of a stored sign-in, if it still holds (raises StorageError)."""
    if account_id == 0:
        current = setting()
        found = accounts()
        if found is None or found.count() > 0:  # accounts exist: the shared password is over
            return None
        if current.state == "ready" and fingerprint == _fingerprint(current.value):
            return Staff(0, SHARED, "admin")
        return None
    found = accounts()
    account = None if found is None else found.get(account_id)
    if account is None or not account.enabled or str(account.generation) != fingerprint:
        return None
    return Staff(account.id, account.email, account.role)


def current(*, touch: bool = True) -> Staff | None:
    """Who this session is signed in as, or None: the sign-in must still hold (account enabled
    and unchanged), be younger than SESSION_SECONDS and have been used within the idle time.
    `touch` counts this run as activity."""
    entry = st.session_state.get(SIGNED_IN)
    if not isinstance(entry, tuple) or len(entry) != 3:
        return None
    account_id, fingerprint, since = entry
    now = clock()
    last = st.session_state.get(LAST_SEEN, since)
    try:
        staff = _resolve(int(account_id), str(fingerprint))
    except StorageError:
        staff = None  # fail closed: the dashboard needs the database anyway
    if staff is None or not 0 <= now - since < SESSION_SECONDS:
        if staff is not None and now - since >= SESSION_SECONDS:  # the working day is over
            _record(Entry(staff.email, "sign_out", detail=DAY_OVER, address=address()))
            st.session_state[MESSAGE] = "day_over"
        _end()
        return None
    if now - float(last) >= idle_seconds():
        _record(Entry(staff.email, "idle_sign_out", address=address()))
        _end()
        st.session_state[MESSAGE] = "idle"
        return None
    if touch:
        st.session_state[LAST_SEEN] = now
    return staff


def signed_in() -> bool:
    """True while this session's sign-in holds (see `current`)."""
    return current() is not None


def idle_left() -> float | None:
    """Seconds until the idle sign-out, without counting as activity; None when signed out."""
    entry = st.session_state.get(SIGNED_IN)
    if not isinstance(entry, tuple) or len(entry) != 3:
        return None
    last = float(st.session_state.get(LAST_SEEN, entry[2]))
    return max(0.0, idle_seconds() - (clock() - last))


def allowed(action: Action) -> Staff | None:
    """The signed-in Staff when their role may do `action` now, else None (checked on the
    server each time an action runs, whatever the page showed)."""
    staff = current(touch=False)
    return staff if staff is not None and staff.may(action) else None


def _end() -> None:
    st.session_state.pop(SIGNED_IN, None)
    st.session_state.pop(LAST_SEEN, None)
    grant = st.session_state.pop(GRANT, None)
    if isinstance(grant, str):
        grants.revoke(grant)  # its downloads stop being served at once


def _record(entry: Entry) -> bool:
    """Append one audit row; False (and a log line without the row) when it cannot be kept."""
    found = trail()
    try:
        if found is None:
            raise StorageError("the database cannot be reached")
        found.record(entry)
    except StorageError as exc:
        log.error("an audit row could not be written: %s", exc)
        return False
    return True


def record(staff: Staff, action: str, **fields: object) -> bool:
    """Append an audit row of `staff` doing `action` from this session's address."""
    return _record(Entry(staff.email, action, address=address(), **fields))  # type: ignore[arg-type]


def export(
    staff: Staff, what: str, make: Callable[[], tuple[bytes, int]], action: Action = "export"
) -> Callable[[], bytes]:
    """A download's data callable that builds only while this sign-in lasts (Streamlit would
    run it for any session that names its id), binds the file to this browser, checks the role
    again, and writes one audit row (what, how many rows) per file built."""
    grant = st.session_state.get(GRANT)
    token = grant if isinstance(grant, str) else ""
    entry = Entry(staff.email, "export", target=what, address=address())

    def build() -> bytes:
        if not _still_may(staff, action):
            raise PermissionError("this account may not download this")
        data, rows = make()
        found = trail()
        if found is None:
            raise StorageError("the database cannot be reached")
        found.record(replace(entry, row_count=rows))  # no row, no file
        return data

    return lambda: grants.build(token, build)


def _still_may(staff: Staff, action: Action) -> bool:
    """Whether `staff` may still do `action`, read afresh (a download runs outside the page's
    run, in the media request)."""
    if staff.account_id == 0:
        return staff.may(action)
    found = accounts()
    account = None if found is None else found.get(staff.account_id)
    return account is not None and account.enabled and staff_accounts.may(account.role, action)


def sign_in() -> None:
    """Form callback: check the typed e-mail and password (through the lock-outs) and forget
    the password at once."""
    password = str(st.session_state.get(PASSWORD) or "")
    typed = str(st.session_state.get(EMAIL) or "")
    st.session_state[PASSWORD] = ""
    count = account_count()
    if count is None:
        st.session_state[MESSAGE] = "unavailable"
        return
    if count == 0:
        _shared_sign_in(password)
        return
    if not password or not typed.strip():
        st.session_state[MESSAGE] = "empty"
        return
    _account_sign_in(typed, password)


def _shared_sign_in(password: str) -> None:
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
        outcome = gate.attempt(_who(), lambda: _matches(current.value, password), clock())
    except StorageError:  # fail closed: no count, no check
        st.session_state[MESSAGE] = "unavailable"
        return
    _finish(outcome, Staff(0, SHARED, "admin"), _fingerprint(current.value), SHARED, "")


def _account_sign_in(typed: str, password: str) -> None:
    name = staff_accounts.email(typed)
    found = accounts()
    db = store()
    gate = _lockout()
    if found is None or db is None or gate is None:
        st.session_state[MESSAGE] = "unavailable"
        return
    per_account = AccountLockout(db.engine)
    who = _who()
    seen: dict[str, object] = {}

    def check() -> bool:
        account = None if name is None else found.find(name)
        if account is None or not account.enabled or not account.password_hash:
            staff_accounts.matches(staff_accounts.decoy_hash(), password)  # the same time
            return False
        hashed = account.password_hash
        inner = per_account.attempt(
            account_key(account.id, who), lambda: _matches(hashed, password), clock()
        )
        seen["account"] = account
        seen["inner"] = inner
        return inner.ok

    try:
        outcome = gate.attempt(who, check, clock())
    except StorageError:  # fail closed: no count, no check
        st.session_state[MESSAGE] = "unavailable"
        return
    account = seen.get("account")
    inner = seen.get("inner")
    if isinstance(inner, Attempt) and not inner.ok and inner.locked:
        outcome = Attempt(ok=False, locked=False, wait=0.0)
        st.session_state[MESSAGE] = "account_locked"
        actor = account.email if isinstance(account, staff_accounts.Account) else UNKNOWN
        _record(Entry(actor, "sign_in_failed", detail="account locked", address=address()))
        return
    if isinstance(account, staff_accounts.Account):
        if outcome.ok and _needs_second_factor(found, account):
            _await_second_factor(account)
            return
        staff = Staff(account.id, account.email, account.role)
        _finish(outcome, staff, str(account.generation), account.email, "")
    else:
        _finish(outcome, None, "", UNKNOWN, "no such enabled account")


def _needs_second_factor(found: StoredAccounts, account: staff_accounts.Account) -> bool:
    return bool(account.totp_secret) or found.second_factor_required()


def _await_second_factor(account: staff_accounts.Account) -> None:
    """The password was right: ask for a code (or set a second factor up first)."""
    st.session_state[PENDING] = (account.id, account.generation, clock())
    if account.totp_secret:
        st.session_state.pop(SETUP_SECRET, None)
        st.session_state[MESSAGE] = "second_factor"
    else:
        st.session_state[SETUP_SECRET] = second_factor.new_secret()
        st.session_state[MESSAGE] = "setup_second_factor"


def pending() -> tuple[staff_accounts.Account, str | None] | None:
    """The account whose password was accepted and which now owes a code, with the new secret
    to set up (None: it has one); None when nothing is pending (or it has expired)."""
    entry = st.session_state.get(PENDING)
    if not isinstance(entry, tuple) or len(entry) != 3:
        return None
    account_id, generation, since = entry
    found = accounts()
    try:
        account = None if found is None else found.get(int(account_id))
    except StorageError:
        account = None
    fresh = 0 <= clock() - float(since) < PENDING_SECONDS
    if account is None or not account.enabled or account.generation != generation or not fresh:
        cancel_second_factor()
        return None
    setup = st.session_state.get(SETUP_SECRET)
    return account, (str(setup) if setup and not account.totp_secret else None)


def cancel_second_factor() -> None:
    st.session_state.pop(PENDING, None)
    st.session_state.pop(SETUP_SECRET, None)


def verify_code() -> None:
    """Form callback: check the second factor's code (through the account's lock-out)."""
    typed = str(st.session_state.get(CODE) or "")
    st.session_state[CODE] = ""
    waiting = pending()
    found = accounts()
    db = store()
    if waiting is None or found is None or db is None:
        st.session_state[MESSAGE] = "expired"
        return
    account, new_secret = waiting
    secret = new_secret or account.totp_secret
    if not secret:
        cancel_second_factor()
        return
    now = clock()

    def check() -> bool:
        step = second_factor.accepted_step(secret, typed, now, account.totp_last_step)
        return step is not None and found.use_step(account.id, step)

    # Wrong codes count apart from wrong passwords, so the right password (which clears the
    # password count) never resets them: whoever has the password still meets growing delays.
    code_key = account_key(account.id, _who()) + "#code"
    accepted: dict[str, int] = {}

    def first() -> bool:
        step = second_factor.accepted_step(secret, typed, now, None)
        if step is not None:
            accepted["step"] = step
        return step is not None

    try:
        if new_secret:  # the first code proves the app holds the secret: keep it
            outcome = AccountLockout(db.engine).attempt(code_key, first, now)
            if outcome.ok:
                by = Entry(account.email, "account", address=address())
                account = found.change(account.email, by, totp_secret=new_secret)
                found.use_step(account.id, accepted["step"])
        else:
            outcome = AccountLockout(db.engine).attempt(
                code_key, check, now
            )
    except StorageError:
        st.session_state[MESSAGE] = "unavailable"
        return
    if outcome.locked and not outcome.ok:
        cancel_second_factor()
        _record(Entry(account.email, "sign_in_failed", detail="account locked", address=address()))
        st.session_state[MESSAGE] = "account_locked"
        return
    if not outcome.ok:
        _record(Entry(account.email, "sign_in_failed", detail="wrong second-factor code",
                      address=address()))  # fmt: skip
        st.session_state[MESSAGE] = "wrong_code"
        return
    cancel_second_factor()
    staff = Staff(account.id, account.email, account.role)
    _finish(outcome, staff, str(account.generation), account.email, "")


def sso_configured() -> bool:
    """Whether secrets.toml configures an OpenID Connect provider for st.login ([auth])."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    return isinstance(section, Mapping) and bool(section.get("redirect_uri"))


def sso_identity() -> str | None:
    """The e-mail the provider vouches for in this browser (st.user), or None: not signed in
    with it, no e-mail, or one the provider says is not verified."""
    try:
        user = st.user
        if not user.get("is_logged_in"):
            return None
        email = user.get("email")
        verified = user.get("email_verified", True)
    except Exception:  # no script context
        return None
    if not isinstance(email, str) or verified is False or verified == "false":
        return None
    return staff_accounts.email(email)


def sso_sign_in() -> None:
    """Button callback ("Continue as ..."): the provider's e-mail must name an enabled account.
    The provider checked the person (and its own second factor); no password here. A click is
    needed each time: the provider's cookie alone never opens the dashboard."""
    email = sso_identity()
    found = accounts()
    try:
        account = None if email is None or found is None else found.find(email)
    except StorageError:
        st.session_state[MESSAGE] = "unavailable"
        return
    if account is None or not account.enabled:
        actor = email or UNKNOWN  # vouched for by the provider: never a typed password
        _record(Entry(actor, "sign_in_failed", detail="single sign-on: no enabled account",
                      address=address()))  # fmt: skip
        st.session_state[MESSAGE] = "sso_no_account"
        return
    staff = Staff(account.id, account.email, account.role)
    _finish(Attempt(ok=True, locked=False, wait=0.0), staff, str(account.generation),
            account.email, "")  # fmt: skip


def _finish(outcome: Attempt, staff: Staff | None, fingerprint: str, actor: str, why: str) -> None:
    """Record the attempt's outcome: the session, the message and one audit row."""
    if outcome.ok and staff is not None:
        if not _record(Entry(staff.email, "sign_in", address=address())):
            st.session_state[MESSAGE] = "unavailable"  # no row, no sign-in
            return
        now = clock()
        st.session_state[SIGNED_IN] = (staff.account_id, fingerprint, now)
        st.session_state[LAST_SEEN] = now
        if staff.may("export"):  # a viewer's session can never build an export
            st.session_state[GRANT] = grants.grant(_browser())
        st.session_state[MESSAGE] = "signed_in"
        return
    detail = why or ("locked" if outcome.locked else "wrong password")
    _record(Entry(actor, "sign_in_failed", detail=detail, address=address()))
    st.session_state[MESSAGE] = _message_code(outcome)


def _browser() -> str | None:
    try:
        value = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:  # no request context (AppTest)
        return None
    return value if isinstance(value, str) and value else None


def _matches(hashed: str, password: str) -> bool:
    return staff_accounts.matches(hashed, password)


def _message_code(outcome: Attempt) -> str:
    if outcome.ok:
        return "signed_in"
    return "locked" if outcome.locked else "wrong"


def sign_out() -> None:
    """Button callback: end this session's sign-in; its downloads are refused from now on."""
    staff = current(touch=False)
    if staff is not None:
        _record(Entry(staff.email, "sign_out", address=address()))
    _end()
    st.session_state[MESSAGE] = "signed_out"
