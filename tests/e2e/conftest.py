"""Browser tests: one app server per session, a fresh browser context per test.

Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); nothing is downloaded. Without it these
tests are skipped with a one-line hint, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from driver import CHROMIUM, LAUNCH_ARGS, ROOT, VIEWPORTS, App
from playwright.sync_api import BrowserContext
from server_process import running

from screening.questionnaire.models import Questionnaire

STAFF_HASH_ENV = "SCREENING_STAFF_PASSWORD_HASH"  # web/staff/access.py reads it
# Phone screenshots of every screen land here; `make screenshots` copies the README's set.
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "build" / "screenshots"))


HINT = f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium chromium-driver"
HERE = Path(__file__).resolve().parent


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """No Chromium outside CI: one skipped test carries the hint, the others are deselected."""
    if CHROMIUM.is_file() or in_ci():
        return
    browser = [item for item in items if HERE in item.path.parents]
    if not browser:
        return
    browser[0].add_marker(pytest.mark.skip(reason=HINT))
    items[:] = [item for item in items if item not in browser[1:]]
    config.hook.pytest_deselected(items=browser[1:])


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.is_file():  # only under CI=true: collection deselected them otherwise
        pytest.fail(HINT)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium: Path
) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at the system's Chromium."""
    return {**browser_type_launch_args, "executable_path": str(chromium), "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def app_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("e2e-server")
    env = {
        # A throwaway database, and a staff password so that /staff shows its sign-in form.
        "SCREENING_DATABASE_URL": f"sqlite:///{folder / 'screening.db'}",
        STAFF_HASH_ENV: PasswordHasher().hash(secrets.token_urlsafe(16)),
    }
    with running(folder / "server.log", env) as server:  # as `make run` serves it
        yield server.base
    log = (folder / "server.log").read_text()
    assert "Traceback" not in log, f"the app raised during the browser tests:\n{log[-3000:]}"


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """Replaces pytest-playwright's own (which pytest 9 warns about): relative goto() works."""
    return app_url


@pytest.fixture(params=list(VIEWPORTS))
def viewport_name(request: pytest.FixtureRequest) -> str:
    """Each flow runs on a phone and on a desktop; a test may parametrize this to one."""
    return str(request.param)


@pytest.fixture
def browser_context(new_context: Any, viewport_name: str) -> BrowserContext:
    context: BrowserContext = new_context(**VIEWPORTS[viewport_name])
    return context


@pytest.fixture
def app(
    browser_context: BrowserContext,
    app_url: str,
    questionnaire: Questionnaire,
    viewport_name: str,
) -> App:
    touch = bool(VIEWPORTS[viewport_name].get("has_touch"))
    return App(browser_context.new_page(), app_url, questionnaire, touch)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
