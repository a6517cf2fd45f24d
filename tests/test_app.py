"""AppTest flows: the Streamlit script driven as a person would, without a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    ABOUT_YOU,
    APP,
    FIRST,
    HISTORY,
    NO_PALSY,
    RECOVERED,
    SAFE,
    SIGNS_EYE,
    answer,
    app_env,
    click,
    finish_movements,
    folded,
    in_order,
    open_app,
    progress_line,
    question_keys,
    texts,
    through,
    to_movements,
)
from core_spec import RECENT, SIGNS
from streamlit.testing.v1 import AppTest

CLINIC_CALL = "tel:8065032090"
HELP_CALL = "tel:8066004906"  # clinic.yaml's accessibility_phone


def links(at: AppTest) -> set[str]:
    return {b.proto.url for b in at.get("link_button")}


def test_welcome_is_english_by_default_and_says_what_it_is_not() -> None:
    at = open_app()
    shown = texts(at)
    assert "not a diagnosis" in shown
    assert "911" in shown
    assert "FACEPLUS+" in shown
    assert at.button(key="nav.start")
    assert at.radio(key="ui.lang").value == "en"


def help_calls(at: AppTest) -> list[str]:
    """The labels of the tap-to-call buttons for the accessibility phone."""
    return [b.proto.label for b in at.get("link_button") if b.proto.url == HELP_CALL]


@pytest.mark.parametrize(
    ("lang", "plain", "name"),
    [
        ("en", "parts of the face move together when they should not", "called synkinesis"),
        ("es", "partes de la cara se mueven juntas sin querer", "se llama sincinesia"),
    ],
)
def test_welcome_says_in_plain_words_what_synkinesis_is(lang: str, plain: str, name: str) -> None:
    # The plain words come first, then the name, in the first paragraph of the first screen.
    first = next(str(m.value) for m in open_app(lang).markdown).replace("\\", "")
    assert plain in first and name in first
    assert first.index(plain) < first.index(name)


def test_welcome_shows_the_accessibility_phone_as_a_call_link() -> None:
    assert help_calls(open_app()) == ["Need help to use this check? Call 806-600-4906."]
    spanish = help_calls(open_app("es"))
    assert spanish == ["¿Necesita ayuda para usar esta prueba? Llame al 806-600-4906."]


def test_lang_query_opens_in_spanish_and_unknown_falls_back() -> None:
    assert "no es un diagnóstico" in texts(open_app("es"))
    at = open_app("<script>alert(1)</script>")
    assert at.radio(key="ui.lang").value == "en"
    assert "script" not in texts(at)


def test_the_emergency_step_comes_first_and_asks_only_its_questions() -> None:
    at = click(open_app(), "nav.start")
    assert question_keys(at) == ["q.rf_stroke_signs", "q.rf_new_weakness", "q.rf_breathing"]
    assert at.radio(key="q.rf_stroke_signs").options == [
        "No",
        "I'm not sure",
        "Yes, 1 to 14 days ago, and gone now",
        "Yes, in the last 24 hours, even if gone now",
        "Yes, right now",
    ]


@pytest.mark.parametrize("when", ["now", "past_24h"])
def test_stroke_signs_stop_at_once_with_a_call_link(when: str) -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": when})
    assert question_keys(at) == []
    assert "Call 911 now" in at.error[0].value
    calls = [b for b in at.get("link_button") if b.proto.url == "tel:911"]
    assert calls, "the emergency result must offer tap-to-call 911"
    assert "FACEPLUS" not in " ".join(b.proto.label for b in at.get("link_button"))
    assert CLINIC_CALL not in links(at)
    shown = texts(at)
    # Its "if things get worse" line says only what to do now: never "call your doctor".
    assert "Stay on the phone with 911" in shown
    assert "call your doctor" not in shown.lower()
    assert "contact.submit" not in [str(b.key) for b in at.button]


def test_breathing_trouble_stops_at_once() -> None:
    at = click(open_app(), "nav.start")
    answer(at, {"rf_stroke_signs": "no", "rf_breathing": "yes"})
    assert question_keys(at) == []
    assert "Call 911 now" in at.error[0].value


def test_stroke_signs_days_ago_end_on_urgent_after_the_step() -> None:
    at = click(open_app(), "nav.start")
    answer(at, {**FIRST, "rf_stroke_signs": "past_2w"})
    assert "q.rf_breathing" in question_keys(at)  # not an emergency: the step goes on
    click(at, "nav.next")
    assert question_keys(at) == []
    shown = texts(at)
    assert "Get medical care today" in shown
    assert "1 to 14 days ago" in shown
    assert "tel:911" in links(at) and CLINIC_CALL not in links(at)
    assert "call 911 now" in shown.lower()  # its own "if things get worse" line
    assert "call your doctor" not in shown.lower()


def test_back_from_emergency_allows_a_correction() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": "now"})
    click(at, "nav.back")
    assert at.radio(key="q.rf_stroke_signs").value == "now"
    answer(at, {"rf_stroke_signs": "no"})
    assert "q.rf_new_weakness" in question_keys(at)


def test_unanswered_step_shows_the_message_and_stays() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": "no"})
    click(at, "nav.next")
    assert "Please answer every question" in at.error[0].value
    assert progress_line(at) == "Step 1 of 9"  # every step may still come
    assert sum("Please answer this question" in e.value for e in at.error) == 2


def test_unanswered_message_is_in_spanish() -> None:
    at = open_app("es")
    click(at, "nav.start")
    click(at, "nav.next")
    assert "Por favor, conteste" in at.error[0].value


def test_new_weakness_asks_if_checked_and_checked_goes_on_to_see_a_doctor_soon() -> None:
    at = open_app()
    click(at, "nav.start")
    assert "q.rf_new_weakness_checked" not in question_keys(at)
    answer(at, {**FIRST, "rf_new_weakness": "yes"})
    assert "q.rf_new_weakness_checked" in question_keys(at)
    answer(at, {"rf_new_weakness_checked": "yes"})
    click(at, "nav.next")
    assert question_keys(at)[:2] == ["q.hx_age", "q.hx_palsy"]  # the check goes on
    answer(at, ABOUT_YOU)
    click(at, "nav.next")
    answer(at, SAFE)
    click(at, "nav.next")
    answer(at, RECOVERED)
    click(at, "nav.next")
    finish_movements(at, {})
    shown = texts(at)
    assert "See a doctor soon" in shown
    assert "Follow the plan you got" in shown
    assert CLINIC_CALL in links(at)


def test_unchecked_new_weakness_is_an_emergency() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_new_weakness": "yes"})
    assert question_keys(at)  # it waits for "has a doctor checked it?"
    answer(at, {"rf_new_weakness_checked": "no"})
    assert question_keys(at) == []
    assert "Call 911 now" in at.error[0].value


def test_unsure_new_weakness_unchecked_is_urgent_after_the_step() -> None:
    at = click(open_app(), "nav.start")
    answer(at, {**FIRST, "rf_new_weakness": "unsure", "rf_new_weakness_checked": "no"})
    assert "q.rf_breathing" in question_keys(at)
    click(at, "nav.next")
    assert question_keys(at) == []
    assert "Get medical care today" in texts(at)


def test_full_path_to_consult_shows_the_clinic_and_no_number() -> None:
    at = to_movements(open_app(), RECOVERED)
    levels = {
        "eye_narrows_smile": "often",
        "neck_tightens": "always",
        "chin_dimples": "often",
        "face_tight": "sometimes",
        "twitching": "sometimes",
        "effort_to_move": "rarely",
    }
    finish_movements(at, levels)  # 15 of 48 points: a score of 31
    shown = texts(at)
    assert "A visit with a specialist could help" in shown
    assert "often seen with synkinesis" in shown
    assert "Eye gets smaller when smiling: Often" in shown
    assert "Face feels tight or stiff: Sometimes" in shown
    assert "More effort to move the weak side" not in shown  # rarely: not named
    assert "not a diagnosis" in shown
    assert "you have synkinesis" not in shown.lower()
    urls = links(at)
    assert CLINIC_CALL in urls
    assert "sms:8065032090" in urls
    assert any(u.startswith("https://") for u in urls)
    assert help_calls(at)  # the accessibility phone, with the clinic's contact
    assert "Botulinum toxin" in shown and "selective neurolysis" in shown
    assert "12505 Quaker Ave" in shown
    # The score is for routing and statistics only: it is never shown.
    assert "31" not in shown and "score" not in shown.lower() and "%" not in shown


def test_few_signs_gives_info_with_the_clinic() -> None:
    at = to_movements(open_app(), RECOVERED)
    finish_movements(at, {"face_tight": "rarely"})
    shown = texts(at)
    assert "No warning signs in your answers" in shown
    assert "few of the movements often seen with synkinesis" in shown
    assert CLINIC_CALL in links(at)
    assert help_calls(at)
    assert "Your own doctor comes first" not in shown


def test_incomplete_recovery_months_later_suggests_a_specialist() -> None:
    at = to_movements(open_app(), {**HISTORY, "hx_recovery": "most"})
    finish_movements(at, {})
    shown = texts(at)
    assert "A visit with a specialist could help" in shown
    assert "not all movement has come back" in shown


def test_soon_after_worsening_asks_everything_then_says_see_a_doctor() -> None:
    at = through(open_app(), FIRST, ABOUT_YOU, {**SAFE, "rf_worsening": "yes"}, RECOVERED)
    finish_movements(at, {})
    shown = texts(at)
    assert "See a doctor soon" in shown
    assert "movement is being lost again" in shown


def test_soon_shows_the_clinic_after_your_own_doctor_with_tap_to_call() -> None:
    at = through(open_app(), FIRST, ABOUT_YOU, {**SAFE, "rf_lump": "yes"}, RECOVERED)
    finish_movements(at, {})
    shown = texts(at)
    assert "See a doctor soon" in shown
    assert "Your own doctor comes first" in shown
    assert shown.index("Your own doctor comes first") < shown.index("12505 Quaker Ave")
    calls = [b for b in at.get("link_button") if b.proto.url == CLINIC_CALL]
    assert calls and calls[0].proto.label == "Call 806-503-2090"
    assert help_calls(at)
    assert "tel:911" not in links(at)
    assert "call your doctor today" in shown  # the soon tier's own "if things get worse"


def test_back_keeps_answers() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, FIRST)
    click(at, "nav.next")
    answer(at, {"hx_age": "18_39", "hx_palsy": "yes", "hx_onset": "3_6m"})
    click(at, "nav.back")
    assert all(at.radio(key=f"q.{k}").value == v for k, v in FIRST.items())
    click(at, "nav.next")
    assert at.radio(key="q.hx_palsy").value == "yes"
    assert at.radio(key="q.hx_onset").value == "3_6m"
    assert at.radio(key="q.hx_age").value == "18_39"


def test_language_switch_keeps_answers() -> None:
    at = to_movements(open_app())
    answer(at, {"eye_narrows_smile": "often", "eye_narrows_talk_chew": "rarely"})
    at.radio(key="ui.lang").set_value("es").run()
    assert not at.exception
    assert at.radio(key="q.eye_narrows_smile").value == "often"
    assert at.radio(key="q.eye_narrows_talk_chew").value == "rarely"
    assert progress_line(at) == "Paso 5 de 7"
    assert "Muchas veces" in at.radio(key="q.eye_narrows_smile").options
    assert at.query_params["lang"] in ("es", ["es"])


def test_the_step_counter_counts_the_steps_of_this_path() -> None:
    # A palsy years ago: emergency, about you, safety, history and the three movement steps.
    at = click(open_app(), "nav.start")
    assert progress_line(at) == "Step 1 of 9"  # nothing is ruled out yet
    answer(at, FIRST)
    click(at, "nav.next")
    assert progress_line(at) == "Step 2 of 9"
    answer(at, ABOUT_YOU)
    assert progress_line(at) == "Step 2 of 7"  # recent and no_palsy are ruled out
    seen = []
    for step in (SAFE, RECOVERED, {}, {}, {}):
        click(at, "nav.next")
        seen.append(progress_line(at))
        answer(at, step or {q[2:]: "never" for q in question_keys(at)})
    assert seen == [f"Step {n} of 7" for n in range(3, 8)]

    # Never a palsy: emergency, about you, safety and the twitching question; the counter
    # says so as soon as the answer is given.
    at = through(open_app(), FIRST)
    answer(at, NO_PALSY)
    assert progress_line(at) == "Step 2 of 4"
    click(at, "nav.next")
    assert progress_line(at) == "Step 3 of 4"
    answer(at, SAFE)
    click(at, "nav.next")
    assert progress_line(at) == "Step 4 of 4"

    # A palsy less than 3 weeks old: the recent step, and no movement steps.
    at = through(open_app(), FIRST, {**ABOUT_YOU, "hx_onset": "lt_3w"})
    assert progress_line(at) == "Step 3 of 5"


def test_no_palsy_step_is_shown_only_without_a_palsy_and_movements_never() -> None:
    at = through(open_app(), FIRST, NO_PALSY, SAFE)
    assert question_keys(at) == ["q.nh_twitching"]
    assert "Twitching of the face" in texts(at)
    assert at.button(key="nav.next").label == "See my result"
    answer(at, {"nh_twitching": "no"})
    click(at, "nav.next")
    assert question_keys(at) == []
    shown = texts(at)
    assert "No warning signs in your answers" in shown
    assert "never had a weak face" in shown
    assert "few of the movements" not in shown  # no movement question was asked

    # With a palsy (yes or not sure) the twitching step never comes; the movement steps do.
    for palsy in ("yes", "unsure"):
        at = through(open_app(), FIRST, {**ABOUT_YOU, "hx_palsy": palsy}, SAFE)
        assert question_keys(at)[:3] == ["q.hx_eye_closes", "q.hx_recovery", "q.hx_side"]
        answer(at, RECOVERED)
        click(at, "nav.next")
        assert "q.nh_twitching" not in question_keys(at)
        finish_movements(at, {})


def test_twitching_without_a_palsy_is_soon_and_names_no_weak_side() -> None:
    at = through(open_app(), FIRST, NO_PALSY, SAFE, {"nh_twitching": "yes"})
    shown = texts(at)
    assert "See a doctor soon" in shown
    assert "keeps twitching, but you never had a weak face" in shown
    assert "weak side" not in shown


def test_a_recent_palsy_never_sees_the_movement_steps() -> None:
    recent = {**ABOUT_YOU, "hx_onset": "lt_3w", "hx_seen_doctor": "yes"}
    at = through(open_app(), FIRST, recent)
    assert question_keys(at) == [f"q.{x}" for x in RECENT]
    assert "About the recent weakness" in texts(at)
    answer(at, dict.fromkeys(RECENT, "no"))
    click(at, "nav.next")
    assert question_keys(at) == [f"q.{x}" for x in SAFE]
    answer(at, SAFE)
    click(at, "nav.next")
    assert question_keys(at)[:3] == ["q.hx_eye_closes", "q.hx_recovery", "q.hx_side"]
    assert at.button(key="nav.next").label == "See my result"
    answer(at, {**RECOVERED, "hx_recovery": "some"})
    click(at, "nav.next")
    assert question_keys(at) == []
    shown = texts(at)
    assert "No warning signs in your answers" in shown
    assert "less than 3 months ago" in shown  # check again later
    assert "synkinesis" not in folded(at, "Why you see this")
    assert not set(SIGNS) & {k[2:] for k in question_keys(at)}
    assert "result.remind" in [str(b.key) for b in at.get("download_button")]


def test_a_palsy_two_weeks_old_not_seen_by_a_doctor_is_urgent_with_eye_care() -> None:
    at = through(open_app(), FIRST, {**ABOUT_YOU, "hx_onset": "lt_3w", "hx_seen_doctor": "no"})
    assert question_keys(at) == []  # urgent: the check ends after the about-you step
    shown = texts(at)
    assert "Get medical care today" in shown
    assert "less than 3 weeks ago, and no doctor has seen it" in shown
    assert "eye drops" in shown
    assert "tel:911" in links(at)
    assert "contact.submit" not in [str(b.key) for b in at.button]
    assert "Few linked movements" not in shown and "No warning signs" not in shown


def test_a_minor_result_speaks_to_the_guardian_first_and_the_form_asks_for_them() -> None:
    at = to_movements(open_app(), RECOVERED, {**ABOUT_YOU, "hx_age": "lt_18"})
    finish_movements(at, {})
    lines = in_order(at)
    guardian = "A parent or guardian should read this page"
    # The headline, its one-line summary, then the guardian, before anything else is said.
    assert lines[0] == "### No warning signs in your answers"
    assert guardian in lines[2], lines[:4]
    name = at.text_input(key="contact.name")
    assert name.label == "Name of the parent or guardian"
    consent = at.checkbox(key="contact.consent")
    assert consent.label.startswith("I am the parent or guardian.")


def test_back_and_next_skip_the_steps_this_path_does_not_show() -> None:
    # Never a palsy: safety -> no_palsy -> result, and back again, never through history.
    at = through(open_app(), FIRST, NO_PALSY, SAFE, {"nh_twitching": "no"})
    assert question_keys(at) == []
    click(at, "nav.back")
    assert question_keys(at) == ["q.nh_twitching"]
    click(at, "nav.back")
    assert question_keys(at) == [f"q.{x}" for x in SAFE]
    click(at, "nav.back")
    assert question_keys(at) == ["q.hx_age", "q.hx_palsy"]  # not the recent step

    # A palsy years ago: from the first movement step back to history, then safety, then
    # about you (the recent step is skipped both ways).
    at = to_movements(open_app())
    assert question_keys(at)[0] == f"q.{SIGNS_EYE[0]}"
    click(at, "nav.back")
    assert question_keys(at)[0] == "q.hx_eye_closes"
    click(at, "nav.back")
    assert question_keys(at) == [f"q.{x}" for x in SAFE]
    click(at, "nav.back")
    assert question_keys(at)[:2] == ["q.hx_age", "q.hx_palsy"]
    click(at, "nav.next")
    assert question_keys(at) == [f"q.{x}" for x in SAFE]


def test_hidden_history_answers_do_not_count() -> None:
    at = through(open_app(), FIRST, ABOUT_YOU, SAFE)
    answer(at, {**RECOVERED, "hx_recovery": "none"})  # would give no_recovery
    click(at, "nav.back")
    click(at, "nav.back")
    answer(at, {"hx_palsy": "no"})
    assert question_keys(at) == ["q.hx_age", "q.hx_palsy"]
    click(at, "nav.next")
    click(at, "nav.next")
    assert question_keys(at) == ["q.nh_twitching"]
    answer(at, {"nh_twitching": "no"})
    click(at, "nav.next")
    shown = texts(at)
    assert "See a doctor soon" not in shown  # no_recovery came from answers now hidden
    assert "never had a weak face" in shown


def test_treatment_choice_nothing_yet_is_exclusive() -> None:
    at = through(open_app(), FIRST, ABOUT_YOU, SAFE)
    box = at.multiselect(key="q.hx_treatment")
    box.set_value(["therapy", "botox"]).run()
    at.multiselect(key="q.hx_treatment").set_value(["therapy", "botox", "none"]).run()
    assert at.multiselect(key="q.hx_treatment").value == ["none"]
    at.multiselect(key="q.hx_treatment").set_value(["none", "surgery"]).run()
    assert at.multiselect(key="q.hx_treatment").value == ["surgery"]


def test_select_all_in_the_treatment_list_chooses_the_treatments_not_nothing_yet() -> None:
    at = through(open_app(), FIRST, ABOUT_YOU, SAFE)
    every = ["none", "therapy", "botox", "surgery", "other"]
    at.multiselect(key="q.hx_treatment").set_value(every).run()
    assert at.multiselect(key="q.hx_treatment").value == every[1:]


def test_restart_forgets_answers_but_keeps_language() -> None:
    at = to_movements(open_app("es"))
    finish_movements(at, {"eye_narrows_smile": "always"})
    click(at, "nav.restart")
    assert at.button(key="nav.start")
    click(at, "nav.start")
    assert at.radio(key="q.rf_stroke_signs").value is None
    assert at.radio(key="ui.lang").value == "es"


def test_broken_questionnaire_shows_unavailable_with_the_clinic_phone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "questions.yaml"
    good = (Path(APP).parent / "questions.yaml").read_text(encoding="utf-8")
    missing = "      es: Primero, señales que necesitan ayuda ya\n"  # a step title's Spanish
    assert missing in good
    broken.write_text(good.replace(missing, ""), encoding="utf-8")
    monkeypatch.setenv("SCREENING_QUESTIONS", str(broken))
    at = open_app()
    shown = texts(at)
    assert "temporarily unavailable" in shown
    assert "806-503-2090" in shown
    assert not at.button and not at.radio


def test_movement_steps_show_a_prompt_and_a_picture_per_question() -> None:
    at = to_movements(open_app("es"))
    images = at.get("image")
    assert len(images) == len(SIGNS_EYE) == 5
    assert "Pruébelo ahora" in texts(at)
    assert "Si los dos lados hacen lo mismo, elija Nunca" in texts(at)


def test_info_result_offers_a_calendar_reminder_and_consult_does_not() -> None:
    at = to_movements(open_app(), RECOVERED)
    finish_movements(at, {})
    assert "No warning signs in your answers" in texts(at)
    assert [b for b in at.get("download_button") if b.proto.label == "Remind me to check again"]

    at = to_movements(open_app(), RECOVERED)
    finish_movements(at, {"eye_narrows_smile": "always"})
    assert "A visit with a specialist could help" in texts(at)
    assert "result.remind" not in [str(b.key) for b in at.get("download_button")]


def test_early_consult_offers_the_reminder_too() -> None:
    about = {**ABOUT_YOU, "hx_onset": "3w_3m"}  # seen by a doctor
    at = through(open_app(), FIRST, about, dict.fromkeys(RECENT, "no"), SAFE, RECOVERED)
    finish_movements(at, {"eye_narrows_smile": "always"})
    shown = texts(at)
    assert "A visit with a specialist could help" in shown
    assert "less than 3 months ago" in shown
    assert "result.remind" in [str(b.key) for b in at.get("download_button")]
