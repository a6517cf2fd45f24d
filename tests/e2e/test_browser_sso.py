"""Single sign-on in a real browser: st.login against a local OpenID Connect provider started by
the test (oidc-provider-mock, pinned), never a real one. The provider's e-mail must name an
enabled staff account; an e-mail without one is refused; signing out ends the provider's cookie
too, so the next person at that computer must sign in afresh.
"""

from __future__ import annotations

import secrets
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import oidc_provider_mock
import pytest
from driver import VIEWPORTS, App, key_class
from playwright.sync_api import Page
from server_process import NO_NETWORK, Server, free_port
from staff_support import ADMIN, add_account, audit_rows

from screening.questionnaire.models import Questionnaire

STRANGER = "stranger@elsewhere.example"
# The mock provider runs in this process and uses Authlib interfaces that Authlib now calls
# deprecated; pytest's "error" filter would turn those warnings into its 500 answers. Only
# Authlib's and the mock's own deprecation warnings are let through.
pytestmark = [
    pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:oidc_provider_mock.*"),
]


@dataclass
class Setup:
    base: str
    provider: str
    database: str


def add_user(provider: str, email: str) -> None:
    """Tell the provider who `email` is (its claims), as the mock's documentation shows."""
    body = f'{{"email": "{email}", "email_verified": true}}'.encode()
    request = urllib.request.Request(
        f"{provider}/users/{quote(email)}", data=body, method="PUT",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        assert response.status == 204


@pytest.fixture(scope="module")
def setup(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("e2e-sso")
    database = f"sqlite:///{folder / 'screening.db'}"
    add_account(database, ADMIN, "admin")
    with oidc_provider_mock.run_server_in_thread() as provider_server:
        provider = f"http://localhost:{provider_server.server_port}"
        add_user(provider, ADMIN)
        add_user(provider, STRANGER)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{base}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "screening-staff"\n'
            'client_secret = "not-a-real-secret"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {
            **NO_NETWORK,
            "NO_PROXY": "localhost,127.0.0.1",  # the provider is on this machine
            "no_proxy": "localhost,127.0.0.1",
            "SCREENING_DATABASE_URL": database,
        }
        server = Server("asgi.py", env=env, log=folder / "server.log", port=port,
                        options={"secrets.files": str(secrets_file)})  # fmt: skip
        server.start(wait=90)
        try:
            yield Setup(base, provider, database)
        finally:
            server.stop()
    log = (folder / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def tab(new_context: Any, setup: Setup, questionnaire: Questionnaire) -> App:
    context = new_context(**VIEWPORTS["desktop"])
    return App(context.new_page(), setup.base, questionnaire, touch=False)


def through_provider(app: App, setup: Setup, email: str) -> None:
    """From the sign-in page to the provider's form and back, signed in there as `email`."""
    page: Page = app.page
    page.locator(f".{key_class('staff.sso_login')} button").click()
    page.wait_for_url(f"{setup.provider}/**")
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{setup.base}/**")
    app.open(path="/staff")


def heading(app: App) -> str:
    return app.page.locator("h1").first.inner_text()


def test_single_sign_on_opens_the_dashboard_for_an_account_and_only_on_a_click(
    new_context: Any, setup: Setup, questionnaire: Questionnaire
) -> None:
    app = tab(new_context, setup, questionnaire).open(path="/staff")
    assert "Staff sign-in" in heading(app)
    through_provider(app, setup, ADMIN)
    assert "Staff sign-in" in heading(app)  # the provider's cookie alone opens nothing
    assert f"Your organisation says you are {ADMIN}." in app.page.locator("body").inner_text()
    app.press("staff.sso_continue")
    assert "Staff dashboard" in heading(app)
    assert f"Signed in as {ADMIN} (admin)" in app.page.locator("body").inner_text()
    signed = [r for r in audit_rows(setup.database) if r["action"] == "sign_in"]
    assert [r["actor"] for r in signed] == [ADMIN]

    # Signing out ends the app's identity cookie and the provider's session too (its own
    # "end session" page): back on /staff there is nobody to continue as.
    app.page.locator(f".{key_class('staff.logout')} button").click()
    app.page.wait_for_url(f"{setup.provider}/**")
    app.page.get_by_role("button", name="End session").click()
    app.page.wait_for_url(f"{setup.base}/**")
    app.open(path="/staff")
    assert app.page.locator(f".{key_class('staff.sso_login')} button").count() == 1
    assert app.page.locator(f".{key_class('staff.sso_continue')} button").count() == 0
    assert [r["action"] for r in audit_rows(setup.database) if r["actor"] == ADMIN][-1] == (
        "sign_out")


def test_an_e_mail_without_an_account_is_refused(
    new_context: Any, setup: Setup, questionnaire: Questionnaire
) -> None:
    app = tab(new_context, setup, questionnaire).open(path="/staff")
    through_provider(app, setup, STRANGER)
    app.press("staff.sso_continue")
    assert "Staff sign-in" in heading(app)
    assert "has no staff account here" in app.page.locator("body").inner_text()
    failed = [r for r in audit_rows(setup.database) if r["action"] == "sign_in_failed"]
    assert [(r["actor"], r["detail"]) for r in failed][-1] == (
        STRANGER, "single sign-on: no enabled account")  # fmt: skip
