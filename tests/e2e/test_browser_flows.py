"""What a person does, in Chromium, on a phone (touch) and on a desktop, in English and Spanish."""

from __future__ import annotations

import pytest
from driver import App
from journeys import (
    ABOUT,
    FIRST,
    MOVEMENTS,
    TO_CONSULT,
    TO_NO_PALSY,
    answer_through,
    contact_form_rejects_a_bad_phone_number,
    next_step,
    on_result,
    on_step,
    pdf_download_is_a_real_pdf,
    start,
)
from playwright.sync_api import expect

from screening.outputs.summary import fill
from screening.questionnaire.models import Clinic

LANGS = ["en", "es"]


@pytest.mark.parametrize("lang", LANGS)
def test_welcome_to_consult_result(
    app: App, clinic: Clinic, lang: str, subtests: pytest.Subtests
) -> None:
    """The main journey; the PDF and the contact form are checked on the result it reaches."""
    q = app.q
    app.open(lang)
    expect(app.page.get_by_role("heading", level=1)).to_have_text(q.ui.welcome_title.get(lang))
    start(app)
    answer_through(app, TO_CONSULT)
    headline = fill(q, clinic, q.tier("consult").headline, lang)
    expect(app.page.get_by_role("heading", name=headline)).to_be_visible()
    expect(app.page.locator("a[href^='tel:']").first).to_be_visible()
    app.wait_html_lang(lang)
    with subtests.test("PDF download is a real PDF"):
        pdf_download_is_a_real_pdf(app)
    with subtests.test("contact form rejects a bad phone number"):
        contact_form_rejects_a_bad_phone_number(app)


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_answer_stops_at_once_with_a_call_link(app: App, lang: str) -> None:
    app.open(lang)
    start(app)
    app.choose("rf_stroke_signs", "now")
    on_result(app)
    call = app.page.locator("a[href='tel:911']")
    expect(call).to_have_count(1)
    expect(call).to_be_visible()
    expect(call).to_contain_text("911")
    # On the first screen, without scrolling: nobody should have to look for it.
    box = call.bounding_box()
    viewport = app.page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert app.page.locator(".st-key-nav-next").count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_back_keeps_answers(app: App, lang: str) -> None:
    app.open(lang)
    start(app)
    app.answer(FIRST)
    next_step(app, "about_you")
    app.answer({"hx_age": "18_39", "hx_palsy": "yes", "hx_onset": "1_5y"})
    app.press("nav.back")
    on_step(app, "emergency")
    assert {qid: app.chosen(qid) for qid in FIRST} == FIRST
    next_step(app, "about_you")
    assert app.chosen("hx_age") == "18_39"
    assert app.chosen("hx_palsy") == "yes"
    assert app.chosen("hx_onset") == "1_5y"


@pytest.mark.parametrize("lang", LANGS)
def test_language_switch_midway_keeps_answers(app: App, lang: str) -> None:
    other = "es" if lang == "en" else "en"
    about = app.q.steps[1]
    app.open(lang)
    start(app)
    app.answer(FIRST)
    next_step(app, "about_you")
    app.answer({"hx_age": "65_plus", "hx_palsy": "yes", "hx_onset": "3w_3m"})
    app.switch_language(other)
    expect(app.page.get_by_text(about.title.get(other), exact=True)).to_be_visible()
    app.wait_html_lang(other)
    assert app.chosen("hx_age") == "65_plus"
    assert app.chosen("hx_palsy") == "yes"
    assert app.chosen("hx_onset") == "3w_3m"
    app.press("nav.back")
    on_step(app, "emergency")
    assert {qid: app.chosen(qid) for qid in FIRST} == FIRST
    assert f"lang={other}" in app.page.url


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_palsy_the_twitching_step_and_never_a_movement_step(app: App, lang: str) -> None:
    q = app.q
    app.open(lang)
    start(app)
    seen: dict[str, list[str]] = {}
    ids = list(TO_NO_PALSY)
    for i, step_id in enumerate(ids):
        on_step(app, step_id)
        app.answer(TO_NO_PALSY[step_id])
        seen[step_id] = app.visible_questions()
        total = len(ids) if i else len(q.steps)  # on step 1 every step may still come
        progress = q.ui.progress.get(lang).format(step=i + 1, total=total)
        expect(app.page.get_by_text(progress, exact=True)).to_be_visible()
        next_step(app, ids[i + 1] if i + 1 < len(ids) else None)
    assert seen["about_you"] == list(ABOUT)[:2]  # age and palsy: no onset, no doctor question
    assert seen["no_palsy"] == ["nh_twitching"]
    assert not [qid for shown in seen.values() for qid in shown if qid in MOVEMENTS]
    headline = q.tier("info").headline.get(lang)
    expect(app.page.get_by_role("heading", name=headline)).to_be_visible()
    # Back from the result: the twitching step, then safety, never a history or movement step.
    app.press("nav.back")
    on_step(app, "no_palsy")
    app.press("nav.back")
    on_step(app, "safety")
    assert not set(app.visible_questions()) & set(MOVEMENTS)


@pytest.mark.parametrize("lang", LANGS)
def test_unanswered_step_shows_its_message(app: App, lang: str) -> None:
    ui = app.q.ui
    app.open(lang)
    start(app)
    app.choose("rf_stroke_signs", "no")
    app.press("nav.next")
    expect(app.page.get_by_text(ui.required_missing.get(lang), exact=True)).to_be_visible()
    unanswered = [qid for qid in app.visible_questions() if qid != "rf_stroke_signs"]
    per_question = app.page.get_by_text(ui.answer_this.get(lang), exact=True)
    expect(per_question).to_have_count(len(unanswered))
    on_step(app, "emergency")  # still here
    # The message is seen: the screen went back to its top, where the message is.
    expect(app.page.get_by_text(ui.required_missing.get(lang), exact=True)).to_be_in_viewport()
    # Each answer clears its own mark (only its box is redrawn); the last one clears the message.
    for qid in unanswered[:-1]:
        app.choose(qid, "no")
    expect(per_question).to_have_count(1)
    expect(app.page.get_by_text(ui.required_missing.get(lang), exact=True)).to_be_visible()
    app.choose(unanswered[-1], "no")
    expect(per_question).to_have_count(0)
    expect(app.page.get_by_text(ui.required_missing.get(lang), exact=True)).to_have_count(0)
    app.press("nav.next")
    on_step(app, "about_you")


@pytest.mark.parametrize("viewport_name", ["phone"])
@pytest.mark.parametrize("lang", LANGS)
def test_each_movement_picture_and_its_answers_fit_the_phone_screen(
    app: App, lang: str, subtests: pytest.Subtests
) -> None:
    """At 390x844, the first question's picture and every one of its answers are seen on
    arrival at each movement step, without scrolling."""
    app.open(lang)
    start(app)
    ids = list(TO_CONSULT)
    for i, step_id in enumerate(ids[:-1]):
        app.answer(TO_CONSULT[step_id])
        following = ids[i + 1]
        next_step(app, following)
        step = next(s for s in app.q.steps if s.id == following)
        first = step.questions[0]
        if first.illustration is None:
            continue
        with subtests.test(following):
            picture = app.page.locator("[data-testid=stImage] img").first
            expect(picture).to_have_attribute("alt", first.illustration.alt.get(lang))
            expect(picture).to_be_in_viewport(ratio=1)
            for option_id in first.option_ids:
                expect(app.option(first.id, option_id)).to_be_in_viewport(ratio=1)
