"""Answers and walks through the questionnaire, by question and option ids (any language).

Questionnaire contract 2: emergency, about_you, recent (a palsy under 3 months old), safety,
history (a palsy), no_palsy (no palsy), then the three movement steps (a palsy 3 weeks old or
more)."""

from __future__ import annotations

import core_spec
import pytest
from core_spec import NO_EMERGENCY, NO_RECENT_SIGNS, NO_SAFETY_SIGNS, SIGNS
from driver import App
from playwright.sync_api import expect

# The answers of a person with nothing notable, step by step (core_spec writes them once).
FIRST: dict[str, str] = NO_EMERGENCY  # the emergency step: nothing that needs help now
ABOUT: dict[str, str] = core_spec.ABOUT  # an adult with a palsy years ago, seen by a doctor
# About you: never a palsy (no onset or doctor question is asked).
ABOUT_NO_PALSY = {"hx_age": "40_64", "hx_palsy": "no"}
RECENT: dict[str, str] = NO_RECENT_SIGNS  # the recent step (a palsy under 3 months old)
SAFE: dict[str, str] = NO_SAFETY_SIGNS  # the safety step everyone answers
# The eye closes and all movement came back: only the movements can suggest a visit.
HISTORY: dict[str, str] = core_spec.HISTORY
NONE_EYE = dict.fromkeys(SIGNS[:5], "never")
NONE_MOUTH = dict.fromkeys(SIGNS[5:9], "never")
NONE_FEEL = dict.fromkeys(SIGNS[9:], "never")
MOVEMENTS = {**NONE_EYE, **NONE_MOUTH, **NONE_FEEL}
# A key sign often: a consultation is suggested.
CONSULT_EYE = {**NONE_EYE, "eye_narrows_smile": "often"}

# What each step is answered with on the way to the consult result, in screen order.
TO_CONSULT = {
    "emergency": FIRST,
    "about_you": ABOUT,
    "safety": SAFE,
    "history": HISTORY,
    "movements_eye": CONSULT_EYE,
    "movements_mouth": NONE_MOUTH,
    "movements_feel": NONE_FEEL,
}
# Someone who never had a facial palsy: the twitching question, never a movement step.
TO_NO_PALSY = {
    "emergency": FIRST,
    "about_you": ABOUT_NO_PALSY,
    "safety": SAFE,
    "no_palsy": {"nh_twitching": "no"},
}


def on_step(app: App, step_id: str) -> None:
    """Wait until the step is drawn (its first question is there)."""
    step = next(s for s in app.q.steps if s.id == step_id)
    app.question(step.questions[0].id).wait_for()


def on_result(app: App) -> None:
    app.button("nav.restart").wait_for()
    assert app.visible_questions() == []


def start(app: App) -> None:
    app.press("nav.start")
    on_step(app, app.q.steps[0].id)


def next_step(app: App, step_id: str | None) -> None:
    """Press Next (or See my result) and wait for the step `step_id`, or for the result."""
    app.press("nav.next")
    if step_id is None:
        on_result(app)
    else:
        on_step(app, step_id)


def answer_through(app: App, plan: dict[str, dict[str, str]]) -> None:
    """From step 1, answer each step of `plan` and go on; ends on the result."""
    ids = list(plan)
    for i, step_id in enumerate(ids):
        on_step(app, step_id)
        app.answer(plan[step_id])
        next_step(app, ids[i + 1] if i + 1 < len(ids) else None)


def pdf_download_is_a_real_pdf(app: App) -> None:
    download = app.button("result.pdf")
    with app.page.expect_download() as info:
        download.click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    assert b"%%EOF" in data[-1024:]
    assert info.value.suggested_filename.endswith(".pdf")


def contact_form_rejects_a_bad_phone_number(app: App) -> None:
    submit = app.button("contact.submit")
    if submit.count() == 0:
        pytest.skip("no contact form on the result yet (no button with key contact.submit)")
    form = app.page.locator("[data-testid=stForm]").filter(has=submit)
    form.locator(".st-key-contact-name input").fill("Ana Test")
    form.locator(".st-key-contact-phone input").fill("123")
    consent = form.locator(".st-key-contact-consent label")
    if consent.count():  # inside a form: no script run until Send
        consent.tap() if app.touch else consent.click()
    app.tap(submit)
    phone = form.locator(".st-key-contact-phone")
    # The problem is said right under the phone field.
    below = phone.locator("xpath=following-sibling::*[1]")
    expect(below.locator("[data-testid=stAlertContentError]")).to_be_visible()
    expect(phone.locator("input")).to_have_value("123")  # kept, to be corrected
    expect(form.locator("[data-testid=stAlertContentSuccess]")).to_have_count(0)


def back(app: App, step_id: str, steps: list[str]) -> None:
    """Press Back until the step `step_id` is shown (from a result: the last step reached)."""
    for _ in steps:
        app.press("nav.back")
        if app.question(next_question(app, step_id)).count():
            return
    raise AssertionError(f"Back never reached {step_id}")


def forward(app: App, steps: list[str]) -> None:
    """Press Next through the (answered) steps this path shows, to the result."""
    for _ in steps:
        app.press("nav.next")
        if app.button("nav.restart").count():
            on_result(app)
            return
    raise AssertionError("Next never reached the result")


def next_question(app: App, step_id: str) -> str:
    return next(s for s in app.q.steps if s.id == step_id).questions[0].id
