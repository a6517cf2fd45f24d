"""The staff second factor (TOTP) with a fixed clock: the codes themselves (RFC 6238's own test
vector), setting one up at sign-in when an admin requires it, a code signing in once, wrong
codes, the lock-out, and an admin removing a lost one."""

from __future__ import annotations

import os

import pytest
from apptest_support import app_env, texts  # noqa: F401  (app_env is an autouse fixture)
from staff_support import ADMIN, VIEWER, Clock, add_account, audit_rows, open_staff, sign_in_as
from streamlit.testing.v1 import AppTest

from screening.records.second_factor import accepted_step, code_at, setup_uri
from screening.records.storage import COMMAND_LINE, Entry, StoredAccounts, open_store
from web.staff import access

pytestmark = pytest.mark.usefixtures("clock")
# RFC 6238, appendix B: the SHA-1 key "12345678901234567890"; at T = 59 s the 8-digit code is
# 94287082, so the 6-digit one is 287082.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def test_the_codes_are_rfc_6238s() -> None:
    assert code_at(RFC_SECRET, 59) == "287082"
    assert accepted_step(RFC_SECRET, "287082", 59, None) == 1
    assert accepted_step(RFC_SECRET, " 287 082 ", 59, None) == 1  # spaces as apps show them


@pytest.mark.parametrize(
    ("offset_steps", "last_step", "accepted"),
    [(0, None, True), (-1, None, True), (1, None, True), (-2, None, False), (2, None, False),
     (0, 1000, False), (0, 999, True)],
    ids=["now", "a-step-late", "a-step-early", "too-late", "too-early", "used", "after-last"],
)
def test_drift_and_replay(offset_steps: int, last_step: int | None, accepted: bool) -> None:
    now = 1000 * 30 + 5.0  # step 1000
    code = code_at(RFC_SECRET, now + offset_steps * 30)
    assert (accepted_step(RFC_SECRET, code, now, last_step) is not None) is accepted


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "２８７０８２"])
def test_anything_but_six_digits_is_refused(typed: str) -> None:
    assert accepted_step(RFC_SECRET, typed, 59, None) is None


def test_the_setup_address_names_the_account() -> None:
    uri = setup_uri(RFC_SECRET, "desk@clinic.example")
    assert uri.startswith("otpauth://totp/") and "desk%40clinic.example" in uri
    assert f"secret={RFC_SECRET}" in uri


# --- on the sign-in page -------------------------------------------------------------------------


def url() -> str:
    return os.environ["SCREENING_DATABASE_URL"]


def accounts_store() -> StoredAccounts:
    return StoredAccounts(open_store(url()).engine)


def require() -> None:
    add_account(url(), ADMIN, "admin")
    add_account(url(), VIEWER, "viewer")
    accounts_store().require_second_factor(True, Entry(COMMAND_LINE, "account"))


def on_dashboard(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Staff dashboard"]


def code(at: AppTest, typed: str) -> AppTest:
    at.text_input(key=access.CODE).set_value(typed)
    at.button(key=access.VERIFY).click().run()
    assert not at.exception
    return at


def set_up(clock: Clock, email: str = VIEWER) -> str:
    """Sign in for the first time under the requirement; returns the secret now kept."""
    at = sign_in_as(open_staff(), email)
    assert not on_dashboard(at) and "Set up your second factor" in texts(at)
    assert len(at.get("image")) == 1  # the QR code
    secret = str(at.session_state[access.SETUP_SECRET])
    assert f"Or type this key into the app: {secret}" in texts(at)
    assert on_dashboard(code(at, code_at(secret, clock.now)))
    stored = accounts_store().find(email)
    assert stored is not None and stored.totp_secret == secret
    return secret


def test_an_admin_requires_it_from_the_accounts_tab_and_it_is_audited() -> None:
    add_account(url(), ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    at.checkbox(key="staff.require_second_factor").check()
    at.button(key="staff.save_policy").click().run()
    assert "A second factor is now required of everybody." in texts(at)
    assert accounts_store().second_factor_required()
    rows = [r for r in audit_rows(url()) if r["target"] == "everybody"]
    assert [(r["actor"], r["detail"]) for r in rows] == [
        (ADMIN, "second factor required of everybody")]  # fmt: skip


def test_without_the_requirement_a_password_is_enough() -> None:
    add_account(url(), VIEWER, "viewer")
    assert on_dashboard(sign_in_as(open_staff(), VIEWER))


def test_setting_it_up_at_the_first_sign_in_then_a_code_each_time(clock: Clock) -> None:
    require()
    secret = set_up(clock)
    at = sign_in_as(open_staff(), VIEWER)
    assert "Type the 6-digit code" in texts(at) and not on_dashboard(at)
    assert "Or type this key" not in texts(at)  # the secret is never shown again
    clock.now += 30
    assert on_dashboard(code(at, code_at(secret, clock.now)))
    assert [r["action"] for r in audit_rows(url()) if r["actor"] == VIEWER][-2:] == [
        "sign_in", "view_requests"]  # fmt: skip


def test_a_code_signs_in_once(clock: Clock) -> None:
    require()
    secret = set_up(clock)
    used = code_at(secret, clock.now)
    at = code(sign_in_as(open_staff(), VIEWER), used)  # the same code, the same 30 s
    assert not on_dashboard(at) and "That code is not right" in texts(at)


def test_a_wrong_code_is_refused_and_audited(clock: Clock) -> None:
    require()
    set_up(clock)
    clock.now += 60
    at = code(sign_in_as(open_staff(), VIEWER), "000000")
    assert not on_dashboard(at) and "That code is not right" in texts(at)
    failed = [r for r in audit_rows(url()) if r["action"] == "sign_in_failed"]
    assert [(r["actor"], r["detail"]) for r in failed] == [(VIEWER, "wrong second-factor code")]


def test_wrong_codes_lock_the_account_from_here(clock: Clock) -> None:
    require()
    secret = set_up(clock)
    clock.now += 60
    at = sign_in_as(open_staff(), VIEWER)
    for _ in range(3):
        code(at, "000000")
    assert "locked for a while" in texts(at)
    # The right password does not reset the count of wrong codes; the right code waits too.
    at = code(sign_in_as(open_staff(), VIEWER), code_at(secret, clock.now))
    assert not on_dashboard(at) and "locked for a while" in texts(at)
    clock.now += 31
    assert on_dashboard(code(sign_in_as(open_staff(), VIEWER), code_at(secret, clock.now)))


def test_the_code_must_follow_the_password_within_five_minutes(clock: Clock) -> None:
    require()
    secret = set_up(clock)
    at = sign_in_as(open_staff(), VIEWER)
    clock.now += access.PENDING_SECONDS + 1
    at = code(at, code_at(secret, clock.now))
    assert not on_dashboard(at) and "That took too long" in texts(at)


def test_an_admin_removes_a_lost_second_factor(clock: Clock) -> None:
    require()
    set_up(clock, VIEWER)
    admin = set_up(clock, ADMIN)
    assert admin
    clock.now += 30
    at = sign_in_as(open_staff(), ADMIN)
    at = code(at, code_at(admin, clock.now))
    before = len(audit_rows(url()))
    at.selectbox(key="staff.remove_factor_of").set_value(VIEWER)
    at.button(key="staff.remove_factor").click().run()
    assert f"The second factor of {VIEWER} is removed." in texts(at)
    changes = [(r["actor"], r["action"], r["target"]) for r in audit_rows(url())[before:]]
    assert changes == [(ADMIN, "account", VIEWER)]  # one row, by the admin, of that account
    stored = accounts_store().find(VIEWER)
    assert stored is not None and stored.totp_secret is None
    again = sign_in_as(open_staff(), VIEWER)
    assert "Set up your second factor" in texts(again)  # still required: a new one


def test_the_qr_code_holds_the_setup_address_of_the_secret_kept(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import segno

    drawn: list[str] = []
    real = segno.make

    def make(content: str, **kw: object) -> segno.QRCode:
        drawn.append(content)
        return real(content, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(segno, "make", make)
    require()
    at = sign_in_as(open_staff(), VIEWER)
    secret = str(at.session_state[access.SETUP_SECRET])
    assert drawn == [setup_uri(secret, VIEWER)]
    assert drawn[0].startswith("otpauth://totp/") and f"secret={secret}" in drawn[0]
    assert on_dashboard(code(at, code_at(secret, clock.now)))
    stored = accounts_store().find(VIEWER)
    assert stored is not None and stored.totp_secret == secret  # the one the QR code gave
