"""No staff data reaches a browser that has not signed in: not on the page, and not in any byte
the server sends it over the WebSocket (a dataframe's rows would travel there even if hidden).

A server of its own, with a known staff password and a database holding one contact request
with distinctive values. The same tab, once signed in, does receive them: the check can see
them when they are sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from driver import VIEWPORTS, App, key_class
from playwright.sync_api import Page
from server_process import running

from screening.questionnaire.models import Questionnaire
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store

PASSWORD = "Browser-Staff-Passw0rd-Quokka"
SEEDED = {"name": "Philippa Wetherspoon", "phone": "+18065550191", "email": "pw.e2e@example.org"}
NOTE = "Seeded browser note Mandragora"
CAMPAIGN = "Kestrelposter"
VALUES = [*SEEDED.values(), NOTE, CAMPAIGN, "555-0191"]  # the number as staff read it too


@pytest.fixture(scope="module")
def staff_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("e2e-staff")
    url = f"sqlite:///{folder / 'screening.db'}"
    store = open_store(url)
    try:
        request = ContactRequest(way="email", time="any", note=NOTE, **SEEDED)
        store.save_contact(request, consent_text="I agree", lang="en",
                           channel=Channel(utm_source=CAMPAIGN), screening_id=None,
                           idempotency_key="e2e-seeded")  # fmt: skip
    finally:
        store.close()
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    env = {"SCREENING_DATABASE_URL": url, "SCREENING_STAFF_PASSWORD_HASH": cheap.hash(PASSWORD)}
    with running(folder / "server.log", env) as server:  # as `make run` serves it
        yield server.base
    log = (folder / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


class Tab:
    """A browser tab on the staff page that keeps every WebSocket frame the server sent."""

    def __init__(self, page: Page, base: str, questionnaire: Questionnaire) -> None:
        self.received = bytearray()
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.app = App(page, base, questionnaire, touch=False)
        self.page = page

    def _frame(self, payload: Any) -> None:
        self.received += payload if isinstance(payload, bytes) else str(payload).encode()

    def sign_in(self, password: str) -> None:
        self.page.locator(f".{key_class('staff.password')} input").fill(password)
        self.app.press("staff.login")

    def leaked(self) -> list[str]:
        shown = self.page.content() + self.page.locator("body").inner_text()
        return [v for v in VALUES if v in shown or v.encode() in self.received]


@pytest.fixture
def new_tab(new_context: Any, staff_url: str, questionnaire: Questionnaire) -> Any:
    def opened() -> Tab:
        context = new_context(**VIEWPORTS["desktop"])
        return Tab(context.new_page(), staff_url, questionnaire)

    return opened


def test_no_staff_data_reaches_a_browser_that_has_not_signed_in(new_tab: Any) -> None:
    tab = new_tab()
    tab.app.open(path="/staff")
    assert "Staff sign-in" in tab.page.locator("h1").first.inner_text()
    assert tab.page.locator("[data-testid=stDataFrame], [data-testid=stTable]").count() == 0
    assert tab.leaked() == []

    tab.sign_in("not the password")
    assert "That password is not right." in tab.page.locator("body").inner_text()
    tab.app.open(path="/staff?page=staff&tab=requests")  # a reload, with a guessed address
    assert tab.leaked() == [], "staff data reached a browser that has not signed in"

    # Another person, while staff are signed in elsewhere: still nothing.
    staff = new_tab()
    staff.app.open(path="/staff")
    staff.sign_in(PASSWORD)
    assert "Staff dashboard" in staff.page.locator("h1").first.inner_text()
    assert SEEDED["name"].encode() in staff.received  # the check can see the data when sent
    other = new_tab()
    other.app.open(path="/staff")
    assert "Staff sign-in" in other.page.locator("h1").first.inner_text()
    assert other.leaked() == []
    print(
        f"\n[staff data] browser: {len(tab.received) + len(other.received)} bytes sent to two "
        f"tabs that had not signed in held none of {len(VALUES)} stored values; the signed-in "
        f"tab received them"
    )


def test_the_tables_offer_no_unaudited_csv_download(new_tab: Any) -> None:
    """A table's own toolbar would save what it shows as CSV in the browser, with no audit row
    and whatever the role: exports go through the audited downloads only."""
    staff = new_tab()
    staff.app.open(path="/staff")
    staff.sign_in(PASSWORD)
    assert "Staff dashboard" in staff.page.locator("h1").first.inner_text()
    table = staff.page.locator("[data-testid=stDataFrame]").first
    table.hover()
    search = staff.page.get_by_role("button", name="Search").first
    search.wait_for(state="visible")  # the toolbar is shown
    assert staff.page.get_by_role("button", name="Download as CSV").first.is_hidden()
    visible = staff.page.locator("button[aria-label='Download as CSV']:visible")
    assert visible.count() == 0
