"""The page's own words before JavaScript (web/page_shell.py) in Chromium: with Streamlit's
scripts held back the shell is what a person sees, emergency link included; once the app has
drawn its welcome screen the shell is gone. No Content-Security-Policy violation either way."""

from __future__ import annotations

from typing import Any

import pytest
from audit import LISTEN
from driver import VIEWPORTS, App
from playwright.sync_api import ConsoleMessage, Page, expect

from screening.questionnaire.loader import load_clinic
from screening.questionnaire.models import Questionnaire


def watch_csp(page: Page) -> list[str]:
    violations: list[str] = []
    page.expose_function("__cspViolation", lambda v: violations.append(f"event {v}"))
    page.add_init_script(f"({LISTEN})()")

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    return violations


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_shell_shows_before_the_scripts(
    new_context: Any, app_url: str, questionnaire: Questionnaire, lang: str
) -> None:
    page = new_context(**VIEWPORTS["phone"]).new_page()
    violations = watch_csp(page)
    page.route("**/static/js/**", lambda route: route.abort())  # the bundle never comes
    page.goto(f"{app_url}/?lang={lang}")
    shell = page.locator("main.first-load")
    expect(shell).to_be_visible()
    ui, clinic = questionnaire.ui, load_clinic()
    expect(page.get_by_role("heading", level=1)).to_have_text(ui.page_title.get(lang))
    expect(page.get_by_role("status")).to_have_text(ui.loading.get(lang))
    expect(shell).to_contain_text(clinic.name)
    call = page.get_by_role("link", name=ui.call_emergency.get(lang).split("{")[0].strip())
    expect(call).to_have_attribute("href", f"tel:{clinic.emergency_number}")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 48  # a finger-sized target
    assert page.evaluate("document.documentElement.lang") == lang
    assert violations == []


def test_the_shell_is_gone_once_the_app_has_drawn(
    new_context: Any, app_url: str, questionnaire: Questionnaire
) -> None:
    page = new_context(**VIEWPORTS["phone"]).new_page()
    violations = watch_csp(page)
    app = App(page, app_url, questionnaire, touch=True)
    app.open("es")
    expect(page.locator(".first-load")).to_have_count(0)
    title = questionnaire.ui.welcome_title.get("es")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # The clinic's icon (web/site_files.py), as Streamlit's scripts set it.
    icon = page.locator("link[rel~=icon]").first.get_attribute("href") or ""
    assert icon.endswith("favicon.png"), icon
    assert violations == []
