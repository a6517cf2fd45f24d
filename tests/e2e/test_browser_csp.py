"""The Content-Security-Policy against what Chromium actually does: every screen of the
self-check (welcome, each step with its drawings, the result, the PDF download, the contact
form) and the staff sign-in and dashboard (every tab: tables, charts, downloads, QR code), with
zero violations. Violations are caught two ways, in every frame: the `securitypolicyviolation`
event and Chromium's console message ("Refused to ...").

A server of its own, with a known staff password. The policy itself is web/site/content_policy.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from audit import LISTEN
from driver import VIEWPORTS, App, key_class
from journeys import (
    TO_CONSULT,
    contact_form_rejects_a_bad_phone_number,
    next_step,
    on_step,
    pdf_download_is_a_real_pdf,
    start,
)
from playwright.sync_api import ConsoleMessage, Page, expect
from server_process import running

from screening.questionnaire.models import Questionnaire

PASSWORD = "Browser-Csp-Passw0rd-Pangolin"


@pytest.fixture(scope="module")
def csp_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("e2e-csp")
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    env = {
        "SCREENING_DATABASE_URL": f"sqlite:///{folder / 'screening.db'}",
        "SCREENING_STAFF_PASSWORD_HASH": cheap.hash(PASSWORD),
    }
    with running(folder / "server.log", env) as server:  # as `make run` serves it
        yield server.base
    log = (folder / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


class Watched:
    """A tab that records every CSP violation of any of its frames."""

    def __init__(self, page: Page, base: str, questionnaire: Questionnaire) -> None:
        self.violations: list[str] = []
        self.page = page
        page.expose_function("__cspViolation", lambda v: self.violations.append(f"event {v}"))
        page.add_init_script(f"({LISTEN})()")
        page.on("console", self._console)
        self.app = App(page, base, questionnaire, touch=False)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.violations.append(f"console {message.type}: {text}")


@pytest.fixture
def watched(new_context: Any, csp_url: str, questionnaire: Questionnaire) -> Watched:
    context = new_context(**VIEWPORTS["desktop"], accept_downloads=True)
    return Watched(context.new_page(), csp_url, questionnaire)


def test_the_self_check_runs_without_a_csp_violation(watched: Watched) -> None:
    app = watched.app
    response = watched.page.goto(app.base_url + "/")
    assert response is not None
    assert "script-src" in (response.headers.get("content-security-policy") or "")
    app.open("en")
    expect(app.page.get_by_role("heading", level=1)).to_be_visible()
    start(app)
    drawings = 0
    ids = list(TO_CONSULT)
    for i, step_id in enumerate(ids):
        on_step(app, step_id)
        drawings += app.page.locator("[data-testid=stImage] img").count()
        app.answer(TO_CONSULT[step_id])
        next_step(app, ids[i + 1] if i + 1 < len(ids) else None)
    assert drawings > 0, "no step with a drawing was walked"
    app.wait_html_lang("en")  # the page-settings frame's script ran
    pdf_download_is_a_real_pdf(app)
    contact_form_rejects_a_bad_phone_number(app)
    app.switch_language("es")
    app.wait_html_lang("es")
    assert watched.violations == [], "\n".join(sorted({v[:300] for v in watched.violations}))
    print(f"\n[csp] self-check: {len(ids)} steps ({drawings} drawings), result, PDF, contact form:"
          " 0 violations")  # fmt: skip


def test_the_staff_pages_run_without_a_csp_violation(watched: Watched) -> None:
    app, page = watched.app, watched.page
    app.open(path="/staff")
    page.locator(f".{key_class('staff.password')} input").fill(PASSWORD)
    app.press("staff.login")
    expect(page.locator("h1").first).to_have_text("Staff dashboard")
    for name in ("Contact requests", "Statistics", "Downloads", "Outreach links"):
        page.get_by_role("tab", name=name).click()
        app.settle()
        if name == "Statistics":
            charts = page.locator("[data-testid=stVegaLiteChart] svg, .vega-embed svg")
            expect(charts.first).to_be_visible()
    page.wait_for_timeout(500)  # late reports (fonts, images) are delivered by then
    assert watched.violations == [], "\n".join(sorted({v[:300] for v in watched.violations}))
    print("\n[csp] staff sign-in and dashboard, 4 tabs: 0 violations")
