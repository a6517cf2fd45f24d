"""AppTest flows of the staff dashboard at /staff: sign-in, lock-out, requests, statistics,
downloads and outreach links. Each test has its own database (apptest_support.app_env)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_support import APP, app_env, texts  # noqa: F401  (app_env is an autouse fixture)
from argon2 import PasswordHasher
from backends import count_event
from staff_support import (
    HASH,
    PASSWORD,
    Clock,
    everything,
    open_staff,
    sign_in,
)
from streamlit.testing.v1 import AppTest

from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store
from web.staff import access as staff_access
from web.staff import requests as dashboard_requests

pytestmark = pytest.mark.usefixtures("clock")  # the sign-in's clock (tests/conftest.py)

ROOT = Path(__file__).resolve().parent.parent
NAME = "Zelda Quintanilla"
NOTE = "Call after 5 ![x](http://tracker.example/p.png)"


def seed(name: str = NAME, note: str = NOTE) -> int:
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    fall = Channel(utm_source="instagram", utm_medium="social", utm_campaign="fall")
    try:
        for visit in ("a", "b", "c", "d"):
            count_event(store, "started", fall, "en", session=visit)
        count_event(store, "result_shown", fall, "en", tier="consult", session="a")
        request = ContactRequest(name=name, phone="+18065550199", email="zq@example.org",
                                 way="call", time="morning", note=note)  # fmt: skip
        return store.save_contact(request, consent_text="I agree", lang="en", channel=fall,
                                  screening_id=None, idempotency_key=f"key-{name}")  # fmt: skip
    finally:
        store.close()


def stored_contacts() -> list[dict[str, Any]]:
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    try:
        return store.contact_rows()
    finally:
        store.close()


def on_dashboard(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Staff dashboard"]


def test_before_sign_in_staff_shows_only_the_form() -> None:
    seed()
    at = open_staff()
    assert [t.value for t in at.title] == ["Staff sign-in"]
    assert [str(w.key) for w in at.text_input] == ["staff.password"]
    field = at.text_input(key="staff.password").proto
    assert field.type == field.PASSWORD
    assert len(at.dataframe) == 0 and len(at.get("vega_lite_chart")) == 0
    shown = everything(at)
    assert "Zelda" not in shown and "806" not in shown and "instagram" not in shown


def test_the_dashboard_page_is_not_registered_before_sign_in() -> None:
    at = open_staff()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/staff.py")
    sign_in(at)
    at.switch_page("app_pages/staff.py").run()  # now it is
    assert on_dashboard(at)


def test_a_wrong_password_is_refused_and_forgotten() -> None:
    at = sign_in(open_staff(), "not the password")
    assert "That password is not right." in texts(at)
    assert at.text_input(key="staff.password").value == ""
    assert not on_dashboard(at)


def test_five_wrong_passwords_lock_sign_in_for_every_session_at_that_address(
    clock: Clock,
) -> None:
    at = open_staff()
    for _ in range(5):
        sign_in(at, "guess")
    assert "Sign-in from here is locked for 30 more seconds" in texts(at)
    # Another browser at the same address, with the right password: it waits too.
    other = sign_in(open_staff(), PASSWORD)
    assert "Sign-in from here is locked" in texts(other)
    assert not on_dashboard(other)
    clock.now += 29
    assert "locked for 1 more seconds" in texts(sign_in(other))
    clock.now += 2
    assert on_dashboard(sign_in(other))


def test_a_strangers_guesses_never_lock_out_the_clinics_address(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.common import client_address

    where = {"address": "203.0.113.9"}
    monkeypatch.setattr(client_address, "address", lambda: where["address"])
    stranger = open_staff()
    for _ in range(12):
        sign_in(stranger, "guess")
    assert "Sign-in from here is locked" in texts(stranger)
    where["address"] = "198.51.100.7"  # the clinic's own network
    clinic = open_staff()
    assert "locked" not in texts(clinic)
    assert on_dashboard(sign_in(clinic))


def test_the_right_password_shows_requests_and_statistics_and_sign_out_hides_them() -> None:
    seed()
    at = sign_in(open_staff())
    assert on_dashboard(at)
    table = at.dataframe[0].value
    assert list(table["name"]) == [NAME]
    row = table.iloc[0]
    assert (row["phone"], row["e-mail"], row["prefers"], row["status"]) == (
        "(806) 555-0199", "zq@example.org", "a call in the morning", "open")  # fmt: skip
    assert row["result"] == "no result kept" and row["waiting"].endswith("min")
    assert f"Their note: {NOTE}" in [t.value for t in at.text]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Started"] == "4" and metrics["Completed"] == "1"
    assert metrics["Completion rate"] == "25%" and metrics["Contact requests"] == "1"
    assert len(at.get("vega_lite_chart")) == 4  # per day, the funnel, tiers, per week

    at.button(key="staff.logout").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Staff sign-in"]
    assert "You are signed out." in texts(at)
    assert len(at.dataframe) == 0 and "Zelda" not in everything(at)
    with pytest.raises(ValueError):
        at.switch_page("app_pages/staff.py")


def test_untrusted_text_never_reaches_markdown() -> None:
    seed(name="**Bold** [link](http://evil.example)", note="![x](http://tracker.example/p.png)")
    at = sign_in(open_staff())
    markdown = "\n".join(str(m.value) for m in at.markdown)
    assert "evil.example" not in markdown and "tracker.example" not in markdown
    assert "evil.example" in "".join(at.dataframe[0].value["name"])


def test_requests_are_longest_waiting_first_and_can_be_marked_handled() -> None:
    first = seed(name="Older Person")
    second = seed(name="Newer Person")
    at = sign_in(open_staff())
    assert list(at.dataframe[0].value["request"]) == [first, second]  # the longest waiting first
    at.selectbox(key="staff.handle_id").set_value(first)
    at.run()
    at.button(key="staff.mark_handled").click().run()
    assert not at.exception
    assert f"Request #{first} is marked as handled." in texts(at)
    assert list(at.dataframe[0].value["request"]) == [second]
    handled = {r["id"]: r["handled_at"] for r in stored_contacts()}
    assert handled[first] is not None and handled[second] is None
    at.checkbox(key="staff.show_handled").check().run()
    statuses = list(at.dataframe[0].value["status"])
    assert statuses[0] == "open" and statuses[1].startswith("handled ")


def test_the_hash_may_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(staff_access.ENV_HASH, HASH)
    at = open_staff({"staff_password_hash": ""})
    assert on_dashboard(sign_in(at))


def test_without_a_hash_the_page_says_how_to_set_one_and_shows_no_form() -> None:
    seed()
    at = open_staff({"staff_password_hash": ""})
    shown = texts(at)
    assert "No staff account exists yet" in shown
    assert "python -m screening staff add" in shown
    assert len(at.text_input) == 0 and len(at.dataframe) == 0
    assert "Zelda" not in everything(at)


@pytest.mark.parametrize(
    ("secrets", "env", "where"),
    [
        pytest.param({"staff_password_hash": "hunter2"}, None, "secrets.toml", id="plain-text"),
        pytest.param({"staff_password_hash": HASH[:60]}, None, "secrets.toml", id="cut-short"),
        pytest.param({"staff_password_hash": HASH[:-1] + "!"}, None, "secrets.toml", id="damaged"),
        pytest.param({"staff_password_hash": 12345}, None, "secrets.toml", id="a-number"),
        pytest.param({}, "$argon2id$v=19$nonsense", staff_access.ENV_HASH, id="environment"),
    ],
)
def test_a_malformed_hash_is_refused_with_a_clear_message(
    secrets: dict[str, Any], env: str | None, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is not None:
        monkeypatch.setenv(staff_access.ENV_HASH, env)
    at = open_staff(secrets)
    shown = texts(at)
    assert "is not a valid argon2 hash" in shown and where in shown
    assert "python -m screening staff-password" in shown
    assert len(at.text_input) == 0


def test_a_new_password_hash_signs_everybody_out() -> None:
    at = sign_in(open_staff())
    assert on_dashboard(at)
    at.secrets["staff_password_hash"] = PasswordHasher(time_cost=1, memory_cost=1024).hash("x" * 12)
    at.run()
    assert [t.value for t in at.title] == ["Staff sign-in"]


def test_a_sign_in_ends_after_a_working_day(clock: Clock) -> None:
    at = sign_in(open_staff({"staff_idle_minutes": 720}))  # the idle sign-out out of the way
    clock.now += staff_access.SESSION_SECONDS - 1
    assert on_dashboard(at.run())
    clock.now += 2
    assert [t.value for t in at.run().title] == ["Staff sign-in"]


def test_csv_downloads_neutralise_formulas() -> None:
    seed(name='=HYPERLINK("http://evil.example")', note="+1 call me")
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    try:
        contacts, count = dashboard_requests.contacts_csv(store)
        screenings, _ = dashboard_requests.screenings_csv(store)
    finally:
        store.close()
    assert contacts.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    assert count == 1
    rows = list(csv.DictReader(io.StringIO(contacts.decode("utf-8-sig"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["note"] == "'+1 call me"
    assert screenings.decode("utf-8-sig").startswith("id,created_at,")


def test_the_downloads_are_built_only_when_clicked() -> None:
    at = sign_in(open_staff())
    buttons = {str(b.key): b for b in at.get("download_button")}
    assert set(buttons) >= {"staff.download_contacts", "staff.download_screenings"}
    for key in ("staff.download_contacts", "staff.download_screenings"):
        proto = buttons[key].proto
        assert proto.deferred_file_id and not proto.url


def with_public_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "clinic.yaml"
    text = (ROOT / "clinic.yaml").read_text(encoding="utf-8")
    path.write_text(text + "\npublic_url: https://selfcheck.example.org/\n", encoding="utf-8")
    monkeypatch.setenv("SCREENING_CLINIC", str(path))


def test_outreach_link_has_the_utm_values_and_a_qr_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_public_url(tmp_path, monkeypatch)
    at = sign_in(open_staff())
    at.selectbox(key="staff.outreach_source").set_value("flyer")
    at.text_input(key="staff.outreach_campaign").set_value("spring<b>2026&x=1")
    at.run()
    assert not at.exception
    link = at.code[0].value
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "selfcheck.example.org", "/")
    assert parse_qs(parts.query) == {
        "utm_source": ["flyer"],
        "utm_medium": ["print"],
        "utm_campaign": ["springb2026x1"],
    }
    files = {str(b.key): b.proto.url for b in at.get("download_button")}
    assert files["staff.qr_png"].endswith(".png") and files["staff.qr_svg"].endswith(".svg")
    assert len(at.get("image")) == 1


def test_the_lock_out_is_kept_in_the_database_not_in_the_process(clock: Clock) -> None:
    import streamlit as st

    at = open_staff()
    for _ in range(5):
        sign_in(at, "guess")
    st.cache_resource.clear()  # any browser can ask for this; it must not reopen the sign-in
    other = sign_in(open_staff(), PASSWORD)
    assert "Sign-in from here is locked" in texts(other) and not on_dashboard(other)
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    try:
        with store.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT locks, locked_until FROM sign_in_lockout").one()
    finally:
        store.close()
    assert row == (1, clock.now + 30)


def test_without_a_database_no_password_is_checked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the database folder should be")
    monkeypatch.setenv("SCREENING_DATABASE_URL", f"sqlite:///{blocked / 'x.db'}")
    checked: list[str] = []
    monkeypatch.setattr(staff_access, "_matches", lambda *args: checked.append("x") or True)
    at = open_staff()
    assert "Sign-in is not possible right now" in texts(at)
    at = sign_in(at)
    assert "Sign-in is not possible right now" in texts(at)
    assert not on_dashboard(at) and checked == []


def test_sign_out_revokes_the_downloads_of_the_sign_in_at_once() -> None:
    from web.site.export_grants import Revoked, grants

    at = sign_in(open_staff())
    token = at.session_state[staff_access.GRANT]
    assert grants.build(token, lambda: b"export") == b"export"  # while signed in
    at.button(key=staff_access.LOGOUT).click().run()
    assert staff_access.GRANT not in at.session_state
    with pytest.raises(Revoked):  # a deferred download asked for later builds nothing
        grants.build(token, lambda: b"export")
