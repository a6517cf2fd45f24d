"""AppTest flows of named staff accounts: signing in by e-mail, roles, the lock-out per account,
the audit trail (one row per audited action, never a patient's details) and the idle sign-out.
Each test has its own database (apptest_support.app_env)."""

from __future__ import annotations

import csv
import io
import os
import re
from typing import Any

import pytest
from apptest_support import app_env, texts  # noqa: F401  (app_env is an autouse fixture)
from staff_support import (
    ACCOUNT_PASSWORD,
    ADMIN,
    PASSWORD,
    VIEWER,
    Clock,
    add_account,
    audit_rows,
    everything,
    open_staff,
    sign_in,
    sign_in_as,
)
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import COMMAND_LINE, Entry, StoredAccounts, open_store
from web.staff import access

pytestmark = pytest.mark.usefixtures("clock", "downloads")
CALLABLES: dict[str, Any] = {}  # deferred file id -> the data callable a click would run


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each download button's data callable (AppTest's media manager lives one run)."""
    real = MediaFileManager.add_deferred

    def add_deferred(self: MediaFileManager, data_callable: Any, *args: Any, **kw: Any) -> str:
        file_id = real(self, data_callable, *args, **kw)
        CALLABLES[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)

NAME = "Philippa Ravensworth"
PHONE = "+18065550142"
EMAIL = "pravens@example.org"
NOTE = "Mornings please Quincunx"


def url() -> str:
    return os.environ["SCREENING_DATABASE_URL"]


def seed(name: str = NAME) -> int:
    store = open_store(url())
    try:
        request = ContactRequest(name=name, phone=PHONE, email=EMAIL, way="call",
                                 time="morning", note=NOTE)  # fmt: skip
        return store.save_contact(request, consent_text="I agree", lang="en",
                                  channel=Channel(utm_source="flyer"), screening_id=None,
                                  idempotency_key=f"key-{name}")  # fmt: skip
    finally:
        store.close()


def accounts() -> None:
    add_account(url(), ADMIN, "admin")
    add_account(url(), VIEWER, "viewer")


def on_dashboard(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Staff dashboard"]


def actions(since: int = 0) -> list[tuple[str, str]]:
    return [(r["actor"], r["action"]) for r in audit_rows(url())[since:]]


def tab_names(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


def deferred(at: AppTest, key: str) -> Any:
    """The data callable behind a download button, as the media request would run it."""
    button = next(b for b in at.get("download_button") if str(b.key) == key)
    return CALLABLES[button.proto.deferred_file_id]


# --- signing in ----------------------------------------------------------------------------------


def test_with_accounts_the_form_asks_for_an_e_mail_and_the_shared_password_is_over() -> None:
    accounts()
    at = open_staff()
    assert [str(w.key) for w in at.text_input] == ["staff.email", "staff.password"]
    at.text_input(key="staff.email").set_value("anyone@clinic.example")
    at = sign_in(at, PASSWORD)  # the shared password of old: refused now
    assert not on_dashboard(at)
    assert "do not match an account" in texts(at)


def test_an_account_signs_in_by_e_mail_in_any_case_and_the_page_names_it() -> None:
    accounts()
    at = sign_in_as(open_staff(), "  Admin@Clinic.Example ")
    assert on_dashboard(at)
    assert f"Signed in as {ADMIN} (admin)" in texts(at)


def test_the_signed_in_e_mail_is_shown_literally_never_as_markdown() -> None:
    """An address may hold Markdown's characters (`_`, `*`, `[`...): the page shows it as typed."""
    odd = "front_desk*one*@clinic.example"
    add_account(url(), odd, "viewer")
    at = sign_in_as(open_staff(), odd)
    assert on_dashboard(at)
    [caption] = [c.value for c in at.caption if "Signed in as" in c.value]
    assert "\\_" in caption and "\\*" in caption  # escaped: no italics, no emphasis
    assert f"Signed in as {odd} (viewer)" in texts(at)


@pytest.mark.parametrize(
    ("email", "password"),
    [(ADMIN, "Wrong-Password-Hazelnut"), ("nobody@clinic.example", ACCOUNT_PASSWORD)],
    ids=["wrong-password", "unknown-account"],
)
def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(
    email: str, password: str
) -> None:
    accounts()
    at = sign_in_as(open_staff(), email, password)
    assert not on_dashboard(at)
    assert "That e-mail and password do not match an account that may sign in." in texts(at)
    assert at.text_input(key="staff.password").value == ""


def test_a_disabled_account_cannot_sign_in_and_its_open_sign_in_ends() -> None:
    accounts()
    at = sign_in_as(open_staff(), VIEWER)
    assert on_dashboard(at)
    store = open_store(url())
    try:
        StoredAccounts(store.engine).change(VIEWER, Entry(COMMAND_LINE, "account"), enabled=False)
    finally:
        store.close()
    assert not on_dashboard(at.run())
    assert not on_dashboard(sign_in_as(open_staff(), VIEWER))


def test_a_new_role_ends_the_sign_ins_made_before_it() -> None:
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    store = open_store(url())
    try:
        StoredAccounts(store.engine).change(ADMIN, Entry(COMMAND_LINE, "account"), role="viewer")
    finally:
        store.close()
    assert not on_dashboard(at.run())
    again = sign_in_as(open_staff(), ADMIN)
    assert "Downloads" not in tab_names(again)


# --- roles ---------------------------------------------------------------------------------------


def test_a_viewer_sees_requests_and_statistics_but_no_export_forget_or_audit() -> None:
    seed()
    accounts()
    at = sign_in_as(open_staff(), VIEWER)
    assert tab_names(at) == ["Contact requests", "Statistics", "Outreach links"]
    assert list(at.dataframe[0].value["name"]) == [NAME]
    keys = {str(b.key) for b in at.get("download_button")}
    assert not keys & {"staff.download_contacts", "staff.download_screenings", "staff.fhir_bundle",
                       "staff.download_audit"}  # fmt: skip
    assert not [b for b in at.button if str(b.key) == "staff.forget"]
    assert access.GRANT not in at.session_state  # no grant: no export can be built at all


def test_an_admin_sees_downloads_forget_and_the_audit_trail() -> None:
    seed()
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    assert tab_names(at) == [
        "Contact requests", "Statistics", "Downloads", "Outreach links", "Audit trail",
        "Accounts"]  # fmt: skip
    keys = {str(b.key) for b in at.get("download_button")}
    assert {"staff.download_contacts", "staff.download_audit"} <= keys
    assert [b for b in at.button if str(b.key) == "staff.forget"]


def test_an_admin_turned_viewer_cannot_build_a_download_of_the_page_already_shown() -> None:
    seed()
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    build = deferred(at, "staff.download_contacts")
    store = open_store(url())
    try:
        StoredAccounts(store.engine).change(ADMIN, Entry(COMMAND_LINE, "account"), role="viewer")
    finally:
        store.close()
    with pytest.raises(PermissionError):
        build()
    assert "export" not in [a for _, a in actions()]


def test_forgetting_needs_the_tick_and_deletes_the_person() -> None:
    request = seed()
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    at.button(key="staff.forget").click().run()
    assert "Tick" in texts(at) and len(at.dataframe[0].value) == 1
    at.checkbox(key="staff.forget_sure").check().run()
    at.button(key="staff.forget").click().run()
    assert not at.exception
    assert f"Request #{request} and its screening are deleted." in texts(at)
    store = open_store(url())
    try:
        assert store.contact_rows() == []
    finally:
        store.close()


# --- the lock-out per account ------------------------------------------------------------------


def test_one_accounts_lock_out_leaves_the_others_working(clock: Clock) -> None:
    accounts()
    at = open_staff()
    for _ in range(3):
        sign_in_as(at, ADMIN, "Wrong-Guess-Porcupine")
    assert "locked for a while" in texts(at)
    # The right password for the locked account waits too; another account signs in at once.
    assert not on_dashboard(sign_in_as(open_staff(), ADMIN))
    assert on_dashboard(sign_in_as(open_staff(), VIEWER))
    clock.now += 31
    assert on_dashboard(sign_in_as(open_staff(), ADMIN))


def test_a_strangers_guesses_at_an_account_never_lock_its_owner_out(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.common import client_address

    accounts()
    where = {"address": "203.0.113.9"}
    monkeypatch.setattr(client_address, "address", lambda: where["address"])
    stranger = open_staff()
    for _ in range(4):
        sign_in_as(stranger, ADMIN, "Wrong-Guess-Porcupine")
    assert not on_dashboard(sign_in_as(stranger, ADMIN))  # locked from there
    where["address"] = "198.51.100.7"  # the admin's own desk
    assert on_dashboard(sign_in_as(open_staff(), ADMIN))


def test_unlock_account_from_the_command_line(clock: Clock) -> None:
    from screening.cli import main

    accounts()
    at = open_staff()
    for _ in range(3):
        sign_in_as(at, ADMIN, "Wrong-Guess-Porcupine")
    assert not on_dashboard(sign_in_as(open_staff(), ADMIN))
    assert main(["unlock", "--account", ADMIN]) == 0
    assert on_dashboard(sign_in_as(open_staff(), ADMIN))
    assert (COMMAND_LINE, "unlock") in actions()


# --- the audit trail -----------------------------------------------------------------------------


def test_every_audited_action_leaves_exactly_one_row() -> None:
    first = seed()
    second = seed("Second Person")
    accounts()
    at = open_staff()
    start = len(audit_rows(url()))  # the two account additions

    sign_in_as(at, ADMIN, "Wrong-Password-Hazelnut")
    assert actions(start) == [(ADMIN, "sign_in_failed")]
    sign_in_as(at, "nobody@clinic.example")
    assert actions(start)[-1] == ("unknown account", "sign_in_failed")
    start = len(audit_rows(url()))

    sign_in_as(at, ADMIN)
    assert actions(start) == [(ADMIN, "sign_in"), (ADMIN, "view_requests")]
    at.run()
    at.run()  # rerunning shows the same list: no new row
    assert len(actions(start)) == 2

    at.selectbox(key="staff.handle_id").set_value(first)
    at.button(key="staff.mark_handled").click().run()
    assert actions(start)[2:] == [(ADMIN, "mark_handled"), (ADMIN, "view_requests")]
    start = len(audit_rows(url()))

    data = deferred(at, "staff.download_contacts")()
    rows = audit_rows(url())[start:]
    assert [(r["action"], r["target"], r["row_count"]) for r in rows] == [
        ("export", "contact requests (CSV)", 2)]  # fmt: skip
    assert data.decode("utf-8-sig").count("\n") == 3  # a header and two rows
    deferred(at, "staff.download_screenings")()
    deferred(at, "staff.download_audit")()
    assert [a for _, a in actions(start)] == ["export", "export", "export"]
    start = len(audit_rows(url()))

    at.checkbox(key="staff.forget_sure").check().run()
    at.selectbox(key="staff.forget_id").set_value(second)
    at.button(key="staff.forget").click().run()
    assert [a for _, a in actions(start)] == ["forget", "view_requests"]
    assert audit_rows(url())[-2]["target"] == f"contact request {second}"
    start = len(audit_rows(url()))

    at.button(key="staff.logout").click().run()
    assert actions(start) == [(ADMIN, "sign_out")]


def test_every_download_leaves_one_row_naming_what_and_how_many() -> None:
    from core_spec import build

    from screening.questionnaire.loader import load_questionnaire
    from screening.questionnaire.rules import evaluate

    store = open_store(url())
    try:
        result = evaluate(load_questionnaire(), build(hx_onset="3w_3m", eye_narrows_smile="often"))
        kept = [store.save_screening(result, Channel(), "en") for _ in range(3)]
    finally:
        store.close()
    seed()
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    expected = {
        "staff.download_contacts": ("contact requests (CSV)", 1),
        "staff.download_screenings": ("anonymous screenings (CSV)", 3),
        "staff.fhir_one": (f"screening {max(kept)} (FHIR)", 1),
    }
    for key, (what, rows) in expected.items():
        start = len(audit_rows(url()))
        assert deferred(at, key)()
        assert [(r["actor"], r["action"], r["target"], r["row_count"])
                for r in audit_rows(url())[start:]] == [(ADMIN, "export", what, rows)]  # fmt: skip
    start = len(audit_rows(url()))
    assert deferred(at, "staff.fhir_bundle")()
    [bundle] = audit_rows(url())[start:]
    assert (bundle["action"], bundle["row_count"]) == ("export", 3)
    assert re.fullmatch(r"screenings \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(FHIR\)", bundle["target"])
    start = len(audit_rows(url()))
    assert deferred(at, "staff.download_audit")()
    [trail] = audit_rows(url())[start:]
    assert (trail["action"], trail["target"], trail["row_count"]) == (
        "export", "audit trail (CSV)", start)  # fmt: skip


def test_no_audit_row_holds_a_patients_answers_or_contact_details() -> None:
    seed()
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    at.checkbox(key="staff.forget_sure").check().run()
    deferred(at, "staff.download_contacts")()
    at.button(key="staff.forget").click().run()
    at.button(key="staff.logout").click().run()
    trail = str(audit_rows(url()))
    for secret in (NAME, PHONE, "5550142", EMAIL, NOTE, "Quincunx", "flyer", ACCOUNT_PASSWORD):
        assert secret not in trail


def test_a_password_typed_in_the_e_mail_field_never_reaches_the_trail() -> None:
    accounts()
    sign_in_as(open_staff(), ACCOUNT_PASSWORD, ACCOUNT_PASSWORD)
    assert ACCOUNT_PASSWORD not in str(audit_rows(url()))


def test_the_audit_tab_shows_the_trail_and_its_csv_has_every_row() -> None:
    accounts()
    at = sign_in_as(open_staff(), ADMIN)
    at.run()
    [table] = [d.value for d in at.dataframe if list(d.value.columns)[:2] == ["when", "who"]]
    assert list(table.columns) == ["when", "who", "what", "record", "rows", "detail", "from"]
    assert "signed in" in list(table["what"]) and ADMIN in list(table["who"])
    data = deferred(at, "staff.download_audit")().decode("utf-8-sig")
    found = list(csv.DictReader(io.StringIO(data)))
    assert [r["action"] for r in found][:3] == ["account", "account", "sign_in"]


def test_the_audit_trail_cannot_be_changed_from_the_app() -> None:
    """The only statements on the trail are inserts and selects (append-only from the app)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in [*root.glob("screening/**/*.py"), *root.glob("web/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "audit_trail.update" not in text and "audit_trail.delete" not in text, path
        assert "UPDATE audit_trail" not in text and "DELETE FROM audit_trail" not in text, path


# --- the idle sign-out ---------------------------------------------------------------------------


def test_idle_sign_out_after_the_configured_minutes(clock: Clock) -> None:
    accounts()
    at = sign_in_as(open_staff({"staff_idle_minutes": 2}), VIEWER)
    clock.now += 119
    assert on_dashboard(at.run())  # activity: the idle time starts again
    clock.now += 119
    assert on_dashboard(at.run())
    clock.now += 120
    at.run()
    assert not on_dashboard(at)
    assert "signed out after a while without activity" in texts(at)
    assert actions()[-1] == (VIEWER, "idle_sign_out")
    assert "Philippa" not in everything(at)


def test_the_idle_time_defaults_to_15_minutes(clock: Clock) -> None:
    accounts()
    at = sign_in_as(open_staff(), VIEWER)
    assert access.idle_seconds() == 15 * 60
    clock.now += 15 * 60 - 1
    assert on_dashboard(at.run())
    clock.now += 15 * 60
    assert not on_dashboard(at.run())


def test_the_end_of_a_working_day_signs_out_with_one_row_and_says_why(clock: Clock) -> None:
    accounts()
    at = sign_in_as(open_staff({"staff_idle_minutes": 720}), VIEWER)  # idle sign-out far off
    clock.now += access.SESSION_SECONDS - 1
    assert on_dashboard(at.run())
    clock.now += 2
    at.run()
    assert not on_dashboard(at)
    assert "lasted 12 hours" in texts(at) and "Philippa" not in everything(at)
    at.run()
    ends = [r for r in audit_rows(url()) if r["actor"] == VIEWER and r["action"] == "sign_out"]
    assert [r["detail"] for r in ends] == ["after 12 hours, the longest a sign-in lasts"]
