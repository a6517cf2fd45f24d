"""On a 390x844 phone: the way on is on the first screen, of the welcome screen (Start) and of
every result.

For each tier and language, the result's main action is inside the first viewport, before any
scrolling: Call 911 (emergency), what to do today (urgent), the clinic's tap-to-call (soon,
consult, info; the contact form for a call back follows it)."""

from __future__ import annotations

import pytest
from driver import App
from journeys import (
    ABOUT,
    CONSULT_EYE,
    FIRST,
    HISTORY,
    NONE_EYE,
    NONE_FEEL,
    NONE_MOUTH,
    SAFE,
    back,
    forward,
    next_step,
    on_result,
    start,
)
from playwright.sync_api import Locator, expect

from screening.outputs.summary import tel_link
from screening.questionnaire.models import Clinic

LANGS = ["en", "es"]


def first_action(app: App, tier: str, clinic: Clinic) -> Locator:
    """What a person on this result should do first, as an element on the page."""
    if tier == "emergency":
        return app.page.locator(f"a[href='{tel_link(clinic.emergency_number)}']")
    if tier == "urgent":  # go today: the first thing to do, said under the headline
        return app.page.locator("[data-testid=stMarkdownContainer] li").first
    return app.page.locator(f"a[href='{tel_link(clinic.phone)}']")


@pytest.mark.parametrize("viewport_name", ["phone"])
@pytest.mark.parametrize("lang", LANGS)
def test_start_is_on_the_first_screen_with_the_privacy_note_below_it(
    app: App, lang: str, clinic: Clinic
) -> None:
    app.open(lang)
    start_button = app.button("nav.start")
    expect(start_button).to_be_in_viewport(ratio=1)
    ui = app.q.ui
    privacy = ui.privacy_note_kept if clinic.store_anonymous_screenings else ui.privacy_note
    note = app.page.get_by_text(privacy.get(lang), exact=True)
    expect(note).to_be_visible()  # still on the welcome screen, below Start
    start_box, note_box = start_button.bounding_box(), note.bounding_box()
    assert start_box is not None and note_box is not None
    assert note_box["y"] > start_box["y"] + start_box["height"]


@pytest.mark.parametrize("viewport_name", ["phone"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_results_first_action_is_on_the_first_screen(
    app: App, lang: str, clinic: Clinic, subtests: pytest.Subtests
) -> None:
    steps = [s.id for s in app.q.steps]

    def check(tier: str) -> None:
        with subtests.test(tier):
            # The screen opens at its top (web/common/browser.py scrolls a new screen up).
            expect(first_action(app, tier, clinic)).to_be_in_viewport(ratio=1)

    app.open(lang)
    start(app)
    app.answer(FIRST)
    next_step(app, "about_you")
    app.answer(ABOUT)
    next_step(app, "safety")
    app.answer(SAFE)
    next_step(app, "history")
    app.answer(HISTORY)
    next_step(app, "movements_eye")
    app.answer(CONSULT_EYE)
    next_step(app, "movements_mouth")
    app.answer(NONE_MOUTH)
    next_step(app, "movements_feel")
    app.answer(NONE_FEEL)
    next_step(app, None)
    check("consult")

    back(app, "movements_eye", steps)
    app.answer({"eye_narrows_smile": NONE_EYE["eye_narrows_smile"]})
    forward(app, steps)
    check("info")

    back(app, "safety", steps)
    app.answer({"rf_worsening": "yes"})
    forward(app, steps)
    check("soon")

    back(app, "safety", steps)
    app.answer({"rf_eye_danger": "yes"})
    next_step(app, None)  # urgent: the check ends after this step
    check("urgent")

    back(app, "emergency", steps)
    app.choose("rf_stroke_signs", "now")
    on_result(app)
    check("emergency")

