"""AppTest flows: the Streamlit script driven as a person would, without a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    APP,
    HISTORY,
    SAFE,
    SIGNS_EYE,
    answer,
    app_env,
    click,
    finish_movements,
    open_app,
    question_keys,
    texts,
    to_movements,
)


def test_welcome_is_english_by_default_and_says_what_it_is_not() -> None:
    at = open_app()
    shown = texts(at)
    assert "not a diagnosis" in shown
    assert "911" in shown
    assert "FACEPLUS+" in shown
    assert at.button(key="nav.start")
    assert at.radio(key="ui.lang").value == "en"


def test_lang_query_opens_in_spanish_and_unknown_falls_back() -> None:
    assert "no es un diagnóstico" in texts(open_app("es"))
    at = open_app("<script>alert(1)</script>")
    assert at.radio(key="ui.lang").value == "en"
    assert "script" not in texts(at)


def test_stroke_signs_stop_at_once_with_a_call_link() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": "yes"})
    assert question_keys(at) == []
    assert "Call 911 now" in at.error[0].value
    calls = [b for b in at.get("link_button") if b.proto.url == "tel:911"]
    assert calls, "the emergency result must offer tap-to-call 911"
    assert "FACEPLUS" not in " ".join(b.proto.label for b in at.get("link_button"))


def test_back_from_emergency_allows_a_correction() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": "yes"})
    click(at, "nav.back")
    assert at.radio(key="q.rf_stroke_signs").value == "yes"
    answer(at, {"rf_stroke_signs": "no"})
    assert "q.rf_new_weakness" in question_keys(at)


def test_unanswered_step_shows_the_message_and_stays() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": "no"})
    click(at, "nav.next")
    assert "Please answer every question" in at.error[0].value
    assert "Step 1 of 5" in texts(at)
    assert sum("Please answer this question" in e.value for e in at.error) == 7


def test_unanswered_message_is_in_spanish() -> None:
    at = open_app("es")
    click(at, "nav.start")
    click(at, "nav.next")
    assert "Por favor, conteste" in at.error[0].value


def test_new_weakness_asks_if_checked_and_checked_goes_urgent() -> None:
    at = open_app()
    click(at, "nav.start")
    assert "q.rf_new_weakness_checked" not in question_keys(at)
    answer(at, {**SAFE, "rf_new_weakness": "yes"})
    assert "q.rf_new_weakness_checked" in question_keys(at)
    answer(at, {"rf_new_weakness_checked": "yes"})
    click(at, "nav.next")
    shown = texts(at)
    assert "Get medical care today" in shown
    assert question_keys(at) == []
    assert any(b.proto.url == "tel:911" for b in at.get("link_button"))


def test_unchecked_new_weakness_is_an_emergency() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {"rf_new_weakness": "yes", "rf_new_weakness_checked": "no"})
    assert "Call 911 now" in at.error[0].value


def test_full_path_to_consult_shows_the_clinic_and_no_number() -> None:
    at = to_movements(open_app())
    levels = {
        "eye_narrows_smile": "often",
        "neck_tightens": "always",
        "chin_dimples": "often",
        "face_tight": "sometimes",
        "twitching": "sometimes",
        "effort_to_move": "rarely",
    }
    finish_movements(at, levels)  # 15 of 40 points: a score of 38
    shown = texts(at)
    assert "A visit with a specialist could help" in shown
    assert "often seen with synkinesis" in shown
    assert "Eye gets smaller when smiling: Often" in shown
    assert "not a diagnosis" in shown
    assert "you have synkinesis" not in shown.lower()
    urls = {b.proto.url for b in at.get("link_button")}
    assert "tel:8065032090" in urls
    assert "sms:8065032090" in urls
    assert any(u.startswith("https://") for u in urls)
    assert "Botulinum toxin" in shown and "selective neurolysis" in shown
    assert "12505 Quaker Ave" in shown
    # The score is for routing and statistics only: it is never shown.
    assert "38" not in shown and "score" not in shown.lower() and "%" not in shown


def test_few_signs_gives_info_with_the_clinic() -> None:
    at = to_movements(open_app())
    finish_movements(at, {"face_tight": "rarely"})
    shown = texts(at)
    assert "Few linked movements today" in shown
    assert "tel:8065032090" in {b.proto.url for b in at.get("link_button")}


def test_soon_after_worsening_asks_everything_then_says_see_a_doctor() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, {**SAFE, "rf_worsening": "yes"})
    click(at, "nav.next")
    answer(at, HISTORY)
    click(at, "nav.next")
    finish_movements(at, {})
    shown = texts(at)
    assert "See a doctor soon" in shown
    assert "slowly been getting worse" in shown


def test_back_keeps_answers() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, SAFE)
    click(at, "nav.next")
    answer(at, {"hx_palsy": "yes", "hx_onset": "3_6m"})
    click(at, "nav.back")
    assert all(at.radio(key=f"q.{k}").value == v for k, v in SAFE.items())
    click(at, "nav.next")
    assert at.radio(key="q.hx_palsy").value == "yes"
    assert at.radio(key="q.hx_onset").value == "3_6m"


def test_language_switch_keeps_answers() -> None:
    at = to_movements(open_app())
    answer(at, {"eye_narrows_smile": "often", "eye_narrows_talk_chew": "rarely"})
    at.radio(key="ui.lang").set_value("es").run()
    assert not at.exception
    assert at.radio(key="q.eye_narrows_smile").value == "often"
    assert at.radio(key="q.eye_narrows_talk_chew").value == "rarely"
    assert "Paso 3 de 5" in texts(at)
    assert "Muchas veces" in at.radio(key="q.eye_narrows_smile").options
    assert at.query_params["lang"] in ("es", ["es"])


def test_hidden_history_answers_do_not_count() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, SAFE)
    click(at, "nav.next")
    answer(at, {"hx_palsy": "yes", "hx_onset": "1_5y", "hx_recovery": "none", "hx_side": "left"})
    answer(at, {"hx_palsy": "no"})
    assert question_keys(at) == ["q.hx_palsy"]
    click(at, "nav.next")
    finish_movements(at, {})
    shown = texts(at)
    assert "See a doctor soon" not in shown  # no_recovery came from answers now hidden
    assert "have not had weakness of the face" in shown


def test_treatment_choice_nothing_yet_is_exclusive() -> None:
    at = open_app()
    click(at, "nav.start")
    answer(at, SAFE)
    click(at, "nav.next")
    answer(at, {"hx_palsy": "yes"})
    box = at.multiselect(key="q.hx_treatment")
    box.set_value(["therapy", "botox"]).run()
    at.multiselect(key="q.hx_treatment").set_value(["therapy", "botox", "none"]).run()
    assert at.multiselect(key="q.hx_treatment").value == ["none"]
    at.multiselect(key="q.hx_treatment").set_value(["none", "surgery"]).run()
    assert at.multiselect(key="q.hx_treatment").value == ["surgery"]


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
    broken.write_text(
        good.replace("    es: Primero, unas preguntas de seguridad\n", ""), encoding="utf-8"
    )
    monkeypatch.setenv("SCREENING_QUESTIONS", str(broken))
    at = open_app()
    shown = texts(at)
    assert "temporarily unavailable" in shown
    assert "806-503-2090" in shown
    assert not at.button and not at.radio


def test_movement_steps_show_a_prompt_and_a_picture_per_question() -> None:
    at = to_movements(open_app("es"))
    images = at.get("image")
    assert len(images) == len(SIGNS_EYE)
    assert "Pruébelo ahora" in texts(at)


def test_info_result_offers_a_calendar_reminder_and_consult_does_not() -> None:
    at = to_movements(open_app())
    finish_movements(at, {})
    assert "Few linked movements today" in texts(at)
    assert [b for b in at.get("download_button") if b.proto.label == "Remind me to check again"]

    at = to_movements(open_app())
    finish_movements(at, {"eye_narrows_smile": "always"})
    assert "A visit with a specialist could help" in texts(at)
    assert "result.remind" not in [str(b.key) for b in at.get("download_button")]


def test_early_consult_offers_the_reminder_too() -> None:
    at = to_movements(open_app(), {**HISTORY, "hx_onset": "lt_3m"})
    finish_movements(at, {"eye_narrows_smile": "always"})
    shown = texts(at)
    assert "A visit with a specialist could help" in shown
    assert "less than 3 months ago" in shown
    assert "result.remind" in [str(b.key) for b in at.get("download_button")]
