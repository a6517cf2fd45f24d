"""The whole questionnaire with the keyboard alone: Tab to move, arrow keys and Space to answer,
Enter to go on. Every stop Tab makes shows a focus indicator, in view."""

from __future__ import annotations

import pytest
from audit import focus
from driver import App
from journeys import TO_CONSULT, on_result, on_step
from playwright.sync_api import Locator

MAX_TABS = 80  # more than every Tab stop on the longest screen


def tab_to(app: App, target: Locator) -> None:
    """Press Tab until the focus is inside `target`, checking the focus indicator at each stop."""
    for _ in range(MAX_TABS):
        app.page.keyboard.press("Tab")
        where = focus(app.page)
        if where is None:  # past the last stop the focus leaves the page, then starts over
            continue
        assert not where["frame"], "Tab stopped on a frame"
        assert where["visible"], f"no visible focus indicator on {where['what']}"
        if target.evaluate("el => el.contains(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {target}")


def answer_by_keyboard(app: App, qid: str, option_id: str) -> None:
    """Tab into the question's radio group (its first answer), then Space or arrows: down, or
    up (round from the first answer to the last) when that is shorter. Each arrow chooses the
    answer it lands on (the stroke question keeps its emergency answers last for that reason:
    see the test below)."""
    group = app.question(qid)
    tab_to(app, group)
    options = app.q.question(qid).option_ids
    wanted = options.index(option_id)
    if wanted == 0:
        app.after(lambda: app.page.keyboard.press("Space"))
    down = wanted <= len(options) - wanted
    for _ in range(wanted if down else len(options) - wanted):
        key = "ArrowDown" if down else "ArrowUp"
        app.after(lambda: app.page.keyboard.press(key))  # noqa: B023 (called at once)
    where = focus(app.page)
    assert where is not None and where["visible"], f"focus lost after answering {qid}"
    assert app.chosen(qid) == option_id


def press_enter_on(app: App, key: str) -> None:
    tab_to(app, app.button(key))
    app.after(lambda: app.page.keyboard.press("Enter"))


@pytest.mark.parametrize("viewport_name", ["desktop"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_questionnaire_by_keyboard_alone(app: App, lang: str) -> None:
    app.open(lang)
    press_enter_on(app, "nav.start")
    steps = list(TO_CONSULT)
    for step_id in steps:
        on_step(app, step_id)
        for qid, option_id in TO_CONSULT[step_id].items():
            answer_by_keyboard(app, qid, option_id)
        press_enter_on(app, "nav.next")
    on_result(app)
    # The result's actions are reachable too: the call link, then Back.
    tab_to(app, app.page.locator("a[href^='tel:']").first)
    press_enter_on(app, "nav.back")
    on_step(app, steps[-1])


@pytest.mark.parametrize("viewport_name", ["desktop"])
@pytest.mark.parametrize("option_id", ["no", "unsure", "past_2w"])
def test_reaching_an_answer_by_keyboard_never_passes_one_that_ends_the_check(
    app: App, option_id: str
) -> None:
    """Arrow keys choose each answer they pass. The stroke question lists "No" first and the
    answers that end the check at once last, so a keyboard user on the way to any other answer
    never lands on the 911 page by accident (WCAG 3.2.2 On Input; the step's intro also says
    that some answers end the check at once)."""
    app.open("en")
    press_enter_on(app, "nav.start")
    tab_to(app, app.question("rf_stroke_signs"))
    wanted = app.q.question("rf_stroke_signs").option_ids.index(option_id)
    if wanted == 0:
        app.after(lambda: app.page.keyboard.press("Space"))
    for _ in range(wanted):
        app.after(lambda: app.page.keyboard.press("ArrowDown"))
        assert app.button("nav.restart").count() == 0, f"the check ended on the way to {option_id}"
    assert app.chosen("rf_stroke_signs") == option_id
    assert app.button("nav.restart").count() == 0
