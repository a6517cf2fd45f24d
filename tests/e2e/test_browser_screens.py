"""Every screen in both languages: zero axe-core WCAG 2.0/2.1/2.2 A and AA violations (on the
phone; on the desktop in English too) and the page language in <html lang>; on the phone, a
layout without sideways scrolling at 390 px (nor at 320 px), 24 px targets, 16 px questions and
answers; on the self-check's screens, every answer, button and field 44 px tall and 8 px from the
next, text and fields 16 px, notes 15 px; and a screenshot (the README's come from here: make
screenshots).

One walk per language visits every screen (welcome, each step of every path: the recent-palsy
step and the no-palsy step too, each result tier, a child's result with the guardian's contact
form, the staff login); each check on each screen is a subtest, so a failure names its screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from audit import axe_violations, describe, layout_problems, reflow_problems, touch_problems
from driver import App
from journeys import (
    ABOUT,
    ABOUT_NO_PALSY,
    CONSULT_EYE,
    FIRST,
    HISTORY,
    NONE_EYE,
    NONE_FEEL,
    NONE_MOUTH,
    RECENT,
    SAFE,
    back,
    forward,
    next_step,
    on_result,
    start,
)
from playwright.sync_api import Locator, expect

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
    yield Screen("step-emergency", lang)
    app.press("nav.next")
    yield Screen("step-emergency-unanswered", lang)
    app.answer(FIRST)
    next_step(app, "about_you")
    app.answer(ABOUT)
    yield Screen("step-about_you", lang)
    next_step(app, "safety")
    app.answer(SAFE)
    yield Screen("step-safety", lang)
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
    forward(app, steps)
    yield Screen("result-info", lang)

    back(app, "safety", steps)
    app.answer({"rf_worsening": "yes"})
    forward(app, steps)
    yield Screen("result-soon", lang)

    back(app, "safety", steps)
    app.answer({"rf_eye_danger": "yes"})
    next_step(app, None)  # urgent: the check ends after this step
    yield Screen("result-urgent", lang)

    back(app, "emergency", steps)
    app.choose("rf_stroke_signs", "now")
    on_result(app)
    yield Screen("result-emergency", lang)

    # A palsy less than 3 weeks old (a new visit): the recent step.
    app.open(lang)
    start(app)
    app.answer(FIRST)
    next_step(app, "about_you")
    app.answer({**ABOUT, "hx_onset": "lt_3w"})
    next_step(app, "recent")
    app.answer(RECENT)
    yield Screen("step-recent", lang)

    # A child who never had a palsy: the twitching step, and a result for the guardian.
    app.open(lang)
    start(app)
    app.answer(FIRST)
    next_step(app, "about_you")
    app.answer({**ABOUT_NO_PALSY, "hx_age": "lt_18"})
    next_step(app, "safety")
    app.answer(SAFE)
    next_step(app, "no_palsy")
    app.answer({"nh_twitching": "no"})
    yield Screen("step-no_palsy", lang)
    next_step(app, None)
    guardian = app.q.ui.contact_name_guardian.get(lang)
    expect(app.page.get_by_text(guardian, exact=True)).to_be_visible()
    yield Screen("result-guardian", lang)

    app.open(lang, STAFF_PATH)
    if app.page.locator("input[type=password]").count():
        yield Screen("staff-login", "en")  # staff pages are in English only


def photograph(app: App, screen: Screen, path: Path) -> None:
    if screen.part is not None:
        screen.part.screenshot(path=str(path))
        return
    app.page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    app.page.screenshot(path=str(path))


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
            if not screen.name.startswith("staff"):  # the staff pages are for desks
                with subtests.test(f"{screen.name} touch"):
                    problems = touch_problems(app.page)
                    assert not problems, "\n".join(problems)
            with subtests.test(f"{screen.name} reflow at 320 px"):
                problems = reflow_problems(app.page)
                assert not problems, "\n".join(problems)
    for required in ("result-emergency", "step-recent", "step-no_palsy", "result-guardian"):
        assert required in seen, required
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
    # At the end of the page, below the fold on a phone: the scan must see the whole page.
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
    touch = "\n".join(touch_problems(app.page))
    assert "target 10 px tall" in touch
    assert "0 px apart" in touch
