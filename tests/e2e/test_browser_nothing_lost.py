"""On a 390x844 phone: nothing typed or chosen is lost.

The phone's Back and Forward move between steps; a reload, or a return after the server forgot
the session (what two minutes away from the tab do: a locked screen, the camera app), goes on
where the person was; while the connection is down a plain line says so, in their language; the
contact form brings the right keyboards and, after a refused Send, a list of its problems that
takes the focus. The server of the "away" tests is stopped and started again on the same port
and database: every session in its memory is gone, as after a long time away, without a wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from audit import axe_violations, describe, touch_problems
from driver import VIEWPORTS, App
from journeys import ABOUT, FIRST, SAFE, TO_CONSULT, answer_through, on_step, start
from playwright.sync_api import BrowserContext, expect
from server_process import Server
from server_process import start as start_server

from screening.questionnaire.models import Questionnaire

PHONE = VIEWPORTS["phone"]
RECONNECTING = "p.reconnecting"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server these tests may stop and start again (the shared one serves other tests)."""
    folder = tmp_path_factory.mktemp("e2e-away")
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 'screening.db'}"}
    server = start_server(folder / "server.log", env)
    try:
        yield server
    finally:
        server.stop()
    assert "Traceback" not in server.output(), server.output()[-3000:]


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context(**PHONE)


def tab(context: BrowserContext, base: str, q: Questionnaire) -> App:
    return App(context.new_page(), base, q, touch=True)


def shows(app: App, step_id: str, answers: dict[str, str]) -> None:
    """The step is on screen with every one of these answers chosen."""
    on_step(app, step_id)
    for qid, option_id in answers.items():
        assert app.chosen(qid) == option_id, (step_id, qid)


def through_two_steps(app: App, lang: str | None = None) -> dict[str, str]:
    """Emergency and about-you answered, one safety question answered; the safety step shown."""
    app.open(lang)
    start(app)
    app.answer(FIRST)
    app.press("nav.next")
    on_step(app, "about_you")
    app.answer(ABOUT)
    app.press("nav.next")
    on_step(app, "safety")
    partial = dict(list(SAFE.items())[:2])
    app.answer(partial)
    return partial


def test_back_forward_and_reload_keep_every_answer(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire
) -> None:
    app = tab(phone, app_url, questionnaire)
    partial = through_two_steps(app)
    address = app.page.url
    assert "step=safety" in address and "resume=" in address
    for value in (*FIRST.values(), *ABOUT.values()):  # option ids only; never an answer
        assert f"={value}" not in address.split("?", 1)[1].replace("step=safety", "")

    app.after(app.page.go_back)  # the phone's Back: the previous step, not another site
    shows(app, "about_you", ABOUT)
    app.after(app.page.go_back)
    shows(app, "emergency", FIRST)
    app.after(app.page.go_forward)
    shows(app, "about_you", ABOUT)
    app.after(app.page.go_forward)
    shows(app, "safety", partial)

    app.after(app.page.reload)  # a new session: the place comes back from the database
    shows(app, "safety", partial)
    app.after(app.page.go_back)  # and the history still works after it
    shows(app, "about_you", ABOUT)


def test_the_steps_back_moves_the_browser_back_so_history_stays_one_line(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire
) -> None:
    app = tab(phone, app_url, questionnaire)
    partial = through_two_steps(app)
    length = app.page.evaluate("history.length")
    app.press("nav.back")  # the step's own Back: the browser's Back, no new entry
    shows(app, "about_you", ABOUT)
    assert "step=about_you" in app.page.url
    assert app.page.evaluate("history.length") == length
    app.after(app.page.go_back)  # then the phone's Back: the step before, not safety again
    shows(app, "emergency", FIRST)
    app.after(app.page.go_forward)
    shows(app, "about_you", ABOUT)
    app.after(app.page.go_forward)  # Forward still reaches the step the Back left
    shows(app, "safety", partial)
    app.press("nav.back")
    shows(app, "about_you", ABOUT)
    app.press("nav.next")  # on again: a new entry in place of the one Forward reached
    shows(app, "safety", partial)
    app.after(app.page.go_back)
    shows(app, "about_you", ABOUT)


def test_back_over_a_language_switch_switches_back(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire
) -> None:
    app = tab(phone, app_url, questionnaire)
    partial = through_two_steps(app)
    html = app.page.locator("html")
    app.switch_language("es")
    expect(html).to_have_attribute("lang", "es")
    app.after(app.page.go_back)
    expect(html).to_have_attribute("lang", "en")
    shows(app, "safety", partial)
    app.after(app.page.go_back)
    shows(app, "about_you", ABOUT)


def test_ten_minutes_away_then_back_keeps_every_answer(
    phone: BrowserContext, own_server: Server, questionnaire: Questionnaire
) -> None:
    app = tab(phone, own_server.base, questionnaire)
    partial = through_two_steps(app, "es")
    address = app.page.url
    app.page.close()
    # Away long enough for the server to forget the session (Streamlit keeps a disconnected one
    # for 2 minutes): a restart forgets every session at once.
    own_server.stop()
    own_server.start(wait=60)
    back = tab(phone, own_server.base, questionnaire)
    back.after(lambda: back.page.goto(address))
    shows(back, "safety", partial)
    assert back.html_lang() == "es"
    back.press("nav.back")  # a new tab has no history of its own: the step's Back
    shows(back, "about_you", ABOUT)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_lost_connection_says_reconnecting_until_it_is_back(
    phone: BrowserContext, own_server: Server, questionnaire: Questionnaire, lang: str
) -> None:
    app = tab(phone, own_server.base, questionnaire)
    partial = through_two_steps(app, lang)
    message = app.page.locator(RECONNECTING)
    expect(message).to_be_hidden()
    own_server.stop()
    expect(message).to_be_visible()
    expect(message).to_have_text(questionnaire.ui.reconnecting.get(lang))
    expect(message).to_be_in_viewport(ratio=1)
    own_server.start(wait=60)
    expect(message).to_be_hidden()
    app.settle()
    shows(app, "safety", partial)  # a new session on the new server took up the place


def test_start_over_forgets_the_place(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire
) -> None:
    app = tab(phone, app_url, questionnaire)
    through_two_steps(app)
    address = app.page.url
    app.after(app.page.go_back)
    app.after(app.page.go_back)
    shows(app, "emergency", FIRST)
    app.choose("rf_breathing", "yes")  # the check ends at once: the result
    app.press("nav.restart")
    app.button("nav.start").wait_for()
    assert "resume=" not in app.page.url and "step=" not in app.page.url
    again = tab(phone, app_url, questionnaire)
    again.after(lambda: again.page.goto(address))  # the old address: a fresh start
    again.button("nav.start").wait_for()
    assert again.visible_questions() == []


def contact_form(app: App, lang: str) -> Any:
    app.open(lang)
    start(app)
    answer_through(app, TO_CONSULT)
    submit = app.button("contact.submit")
    return app.page.locator("[data-testid=stForm]").filter(has=submit)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_contact_form_keyboards_problem_list_and_kept_text(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire, lang: str
) -> None:
    app = tab(phone, app_url, questionnaire)
    form = contact_form(app, lang)
    name = form.locator(".st-key-contact-name input")
    phone_field = form.locator(".st-key-contact-phone input")
    email = form.locator(".st-key-contact-email input")
    expect(name).to_have_attribute("autocomplete", "name")
    expect(phone_field).to_have_attribute("type", "tel")
    expect(phone_field).to_have_attribute("inputmode", "tel")
    expect(phone_field).to_have_attribute("autocomplete", "tel")
    expect(email).to_have_attribute("type", "email")
    expect(email).to_have_attribute("inputmode", "email")
    expect(email).to_have_attribute("autocomplete", "email")

    phone_field.fill("123")
    email.fill("ana@")
    app.tap(app.button("contact.submit"))  # no name, a bad phone and email, no consent
    problems = form.locator(".st-key-contact-problems")
    expect(problems).to_be_visible()
    ui = questionnaire.ui
    expect(problems).to_contain_text(ui.contact_problems.get(lang))
    for said in (
        ui.contact_error_name_missing,
        ui.contact_error_phone_invalid,
        ui.contact_error_email_invalid,
        ui.contact_error_consent_missing,
    ):
        expect(problems).to_contain_text(said.get(lang))
    first = problems.locator("a[data-field]").first
    expect(first).to_be_focused()  # the first problem, in view
    expect(first).to_be_in_viewport()
    expect(phone_field).to_have_value("123")  # what was typed is kept
    expect(email).to_have_value("ana@")
    expect(phone_field).to_have_attribute("type", "tel")
    # Each problem leads to its field.
    problems.locator("a[data-field=contact-phone]").tap()
    expect(phone_field).to_be_focused()

    # A second refused Send brings the focus back to the list.
    name.fill("Ana Test")
    app.tap(app.button("contact.submit"))
    expect(problems.locator("a[data-field]").first).to_be_focused()
    expect(problems).not_to_contain_text(ui.contact_error_name_missing.get(lang))


def test_contact_form_problem_list_passes_axe(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire
) -> None:
    app = tab(phone, app_url, questionnaire)
    contact_form(app, "en")
    app.tap(app.button("contact.submit"))
    app.page.locator(".st-key-contact-problems a").first.wait_for()
    violations = axe_violations(app.page)
    assert violations == [], describe(violations)
    assert touch_problems(app.page) == []


def test_nothing_of_the_place_but_its_id_is_in_the_address(
    phone: BrowserContext, app_url: str, questionnaire: Questionnaire
) -> None:
    app = tab(phone, app_url, questionnaire)
    through_two_steps(app)
    query = app.page.url.split("?", 1)[1]
    names = sorted(part.split("=", 1)[0] for part in query.split("&"))
    assert names == ["resume", "step"]
