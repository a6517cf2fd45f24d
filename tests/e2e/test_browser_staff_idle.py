"""The idle sign-out on an unattended computer, in a real browser: nobody clicks, and the
dashboard still leaves the screen once staff_idle_minutes have passed (here 1, the least), by
the page's own timer (web/staff/idle.py), with one audit row. Waits about a minute and a half."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from driver import VIEWPORTS, App, key_class
from server_process import running
from staff_support import ACCOUNT_PASSWORD, VIEWER, add_account, audit_rows

from screening.questionnaire.models import Questionnaire
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store

NAME = "Perpetua Idlewild"


@pytest.fixture(scope="module")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("e2e-idle")
    url = f"sqlite:///{folder / 'screening.db'}"
    store = open_store(url)
    try:
        request = ContactRequest(NAME, "+18065550175", None, "call", "morning", "")
        store.save_contact(request, consent_text="I agree", lang="en", channel=Channel(),
                           screening_id=None, idempotency_key="idle")  # fmt: skip
    finally:
        store.close()
    add_account(url, VIEWER, "viewer")
    env = {"SCREENING_DATABASE_URL": url, "SCREENING_STAFF_IDLE_MINUTES": "1"}
    with running(folder / "server.log", env) as started:
        yield started.base, url


def test_an_unattended_dashboard_signs_itself_out(
    new_context: Any, server: tuple[str, str], questionnaire: Questionnaire
) -> None:
    base, url = server
    page = new_context(**VIEWPORTS["desktop"]).new_page()
    app = App(page, base, questionnaire, touch=False).open(path="/staff")
    page.locator(f".{key_class('staff.email')} input").fill(VIEWER)
    page.locator(f".{key_class('staff.password')} input").fill(ACCOUNT_PASSWORD)
    app.press("staff.login")
    assert "Staff dashboard" in page.locator("h1").first.inner_text()
    assert NAME in page.locator("body").inner_text()

    # No click from here on: the page's timer (every 30 s) notices the idle minute.
    page.get_by_text("signed out after a while without activity").wait_for(timeout=180_000)
    assert "Staff sign-in" in page.locator("h1").first.inner_text()
    assert NAME not in page.locator("body").inner_text()
    actions = [(r["actor"], r["action"]) for r in audit_rows(url)]
    assert actions.count((VIEWER, "idle_sign_out")) == 1
    assert actions[-1] == (VIEWER, "idle_sign_out")
