"""Every screen in both languages: zero axe-core WCAG 2.0/2.1/2.2 A and AA violations (on the
phone; on the desktop in English too) and the page language in <html lang>; on the phone, a
layout without sideways scrolling at 390 px (nor at 320 px), 24 px targets, 16 px questions and
answers, and a screenshot (the README's come from here: make screenshots).

One walk per language visits every screen (welcome, each step, each result tier, the contact
form, the staff login); each check on each screen is a subtest, so a failure names its screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from audit import axe_violations, describe, layout_problems, reflow_problems
from driver import App
from journeys import (
    CONSULT_EYE,
    HISTORY,
    NONE_EYE,
    NONE_FEEL,
    NONE_MOUTH,
    SAFE,
    next_step,
    on_result,
    start,
)
from playwright.sync_api import Locator

STAFF_PATH = "/staff"


@dataclass(frozen=True)
class Screen:
    name: str
    lang: str  # what <html lang> must say
    part: Locator | None = None  # photograph this part (else the top of the screen)


def tour(app: App, lang: str) -> Iterator[Screen]:
    """Walk the app and yield each screen once it is drawn."""
    steps = [s.id for s in app.q.steps]
    app.open(lang)
    yield Screen("welcome", lang)
    start(app)
    yield Screen("step-safety", lang)
    app.press("nav.next")
    yield Screen("step-safety-unanswered", lang)
    app.answer(SAFE)
    next_step(app, "history")
    app.answer(HISTORY)
    yield Screen("step-history", lang)
    next_step(app, "movements_eye")
    app.answer(CONSULT_EYE)
    yield Screen("step-movements_eye", lang)
    next_step(app, "movements_mouth")
    app.answer(NONE_MOUTH)
    yield Screen("step-movements_mouth", lang)
    next_step(app, "movements_feel")
    app.answer(NONE_FEEL)
    yield Screen("step-movements_feel", lang)
    next_step(app, None)
    yield Screen("result-consult", lang)
    submit = app.button("contact.submit")
    if submit.count():
        form = app.page.locator("[data-testid=stForm]").filter(has=submit)
        yield Screen("contact-form", lang, form)
        form.locator(".st-key-contact-phone input").fill("123")
        app.tap(submit)
        yield Screen("contact-form-error", lang, form)

    back(app, "movements_eye", steps)
    app.answer({"eye_narrows_smile": NONE_EYE["eye_narrows_smile"]})
    forward(app, "movements_eye", steps)
    yield Screen("result-info", lang)

    back(app, "safety", steps)
    app.answer({"rf_worsening": "yes"})
    forward(app, "safety", steps)
    yield Screen("result-soon", lang)

    back(app, "safety", steps)
    app.answer({"rf_ear_signs": "yes"})
    next_step(app, None)
    yield Screen("result-urgent", lang)

    back(app, "safety", steps)
    app.choose("rf_stroke_signs", "yes")
    on_result(app)
    yield Screen("result-emergency", lang)

    app.open(lang, STAFF_PATH)
    if app.page.locator("input[type=password]").count():
        yield Screen("staff-login", "en")  # staff pages are in English only


def photograph(app: App, screen: Screen, path: Path) -> None:
    if screen.part is not None:
        screen.part.screenshot(path=str(path))
        return
    app.page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    app.page.screenshot(path=str(path))


def back(app: App, step_id: str, steps: list[str]) -> None:
    """Press Back until the step `step_id` is shown (from a result: the last step reached)."""
    for _ in steps:
        app.press("nav.back")
        if app.question(next_question(app, step_id)).count():
            return
    raise AssertionError(f"Back never reached {step_id}")


def forward(app: App, step_id: str, steps: list[str]) -> None:
    """Press Next from `step_id` through the (answered) steps to the result."""
    later = steps[steps.index(step_id) + 1 :]
    for following in [*later, None]:
        next_step(app, following)


def next_question(app: App, step_id: str) -> str:
    return next(s for s in app.q.steps if s.id == step_id).questions[0].id


# Sharp pictures for the README; axe on the desktop once (the layout is the same in Spanish).
@pytest.mark.browser_context_args(device_scale_factor=2)
@pytest.mark.parametrize(
    ("viewport_name", "lang"), [("phone", "en"), ("phone", "es"), ("desktop", "en")]
)
def test_every_screen(
    app: App, viewport_name: str, lang: str, screenshots: Path, subtests: pytest.Subtests
) -> None:
    phone = viewport_name == "phone"
    seen = []
    for screen in tour(app, lang):
        seen.append(screen.name)
        app.wait_html_lang(screen.lang)
        if phone:
            photograph(app, screen, screenshots / f"{screen.name}-{lang}.png")
        with subtests.test(f"{screen.name} axe"):
            violations = axe_violations(app.page)
            assert not violations, describe(violations)
        if phone:
            with subtests.test(f"{screen.name} layout"):
                problems = layout_problems(app.page)
                assert not problems, "\n".join(problems)
            with subtests.test(f"{screen.name} reflow at 320 px"):
                problems = reflow_problems(app.page)
                assert not problems, "\n".join(problems)
    assert "result-emergency" in seen
    for missing, why in [
        ("contact-form", "no contact form on the result yet (no key contact.submit)"),
        ("staff-login", f"no staff sign-in at {STAFF_PATH} yet (no password field)"),
    ]:
        with subtests.test(missing):
            if missing not in seen:
                pytest.skip(why)


@pytest.mark.parametrize("viewport_name", ["phone"])
def test_the_checks_catch_planted_problems(app: App) -> None:
    """A check that finds nothing must be able to find something: plant known failures."""
    app.open("en")
    app.page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid=stMainBlockContainer]');
            main.insertAdjacentHTML('beforeend',
                '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                + '<p style="color:#bbb;font-size:12px">faint small text</p>'
                + '<div style="display:flex"><button style="all:unset;width:10px;height:10px"'
                + ' aria-label="a"></button><button style="all:unset;width:10px;height:10px"'
                + ' aria-label="b"></button></div>'
                + '<div style="width:900px">too wide</div>');
        }"""
    )
    found = {v["id"] for v in axe_violations(app.page)}
    assert {"image-alt", "color-contrast", "target-size"} <= found, found
    problems = "\n".join(layout_problems(app.page))
    assert "scrolls sideways" in problems
    assert "target 10x10 px" in problems
