"""AppTest flows of the clinic's side of the page: funnel counts, kept screenings, contact form."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    ABOUT_YOU,
    APP,
    FIRST,
    RECOVERED,
    SAFE,
    answer,
    app_env,
    click,
    consult,
    db_rows,
    fill_form,
    finish_movements,
    open_with,
    texts,
    through,
    to_movements,
)

from screening.records.contact import consent_version
from screening.records.storage import open_store


def test_a_full_screening_with_utm_parameters_is_counted_by_channel() -> None:
    at = open_with(
        {"utm_source": "instagram", "utm_campaign": "fall<b>2026</b>", "utm_medium": "social"}
    )
    consult(at)
    events, screenings, contacts = db_rows()
    kinds = {(e["kind"], e["step"], e["tier"]): e for e in events}
    assert ("started", None, None) in kinds
    steps = {e["step"] for e in events if e["kind"] == "step_reached"}
    assert steps == {
        "emergency",
        "about_you",
        "safety",
        "history",
        "movements_eye",
        "movements_mouth",
        "movements_feel",
    }  # the steps this path shows, and no other (recent, no_palsy)
    assert ("result_shown", None, "consult") in kinds
    assert all(e["utm_source"] == "instagram" and e["utm_campaign"] == "fallb2026b" for e in events)
    assert all(e["count"] == 1 for e in events), "a rerun must not count twice"
    assert len(screenings) == 1
    kept = screenings[0]
    assert kept["tier"] == "consult" and kept["utm_source"] == "instagram"
    assert kept["answers"]["eye_narrows_smile"] == "always"
    assert contacts == []
    assert "instagram" not in texts(at) and "fall" not in texts(at)


def test_an_emergency_stop_is_counted_and_offers_no_contact_form() -> None:
    at = open_with({})
    click(at, "nav.start")
    answer(at, {"rf_stroke_signs": "now"})
    assert not [b for b in at.button if b.key == "contact.submit"]
    events, screenings, _ = db_rows()
    assert {("result_shown", "emergency")} <= {(e["kind"], e["tier"]) for e in events}
    assert [s["tier"] for s in screenings] == ["emergency"]


def test_urgent_offers_no_contact_form() -> None:
    at = through(open_with({}), FIRST, ABOUT_YOU, {**SAFE, "rf_eye_danger": "yes"})
    assert "Get medical care today" in texts(at)
    assert not [b for b in at.button if b.key == "contact.submit"]
    _, screenings, _ = db_rows()
    assert [s["tier"] for s in screenings] == ["urgent"]
    assert "eye_danger" in screenings[0]["reasons"]


def test_contact_request_needs_the_consent_tick_and_is_stored_once() -> None:
    at = consult(open_with({"utm_source": "flyer"}))
    fill_form(at, name="Ana Díaz", phone="806 555 0199", method="call", time="morning")
    shown = texts(at)
    assert "Please check the box if you agree" in shown
    assert db_rows()[2] == []
    fill_form(at, consent=True)
    assert "We got your request" in texts(at)
    _, screenings, contacts = db_rows()
    assert len(contacts) == 1
    row = contacts[0]
    assert row["name"] == "Ana Díaz" and row["phone"] == "+18065550199"
    assert row["utm_source"] == "flyer" and row["lang"] == "en"
    assert row["tier"] == "consult"
    assert len(screenings) == 1  # the kept screening is the one the request points to


def test_double_submit_stores_one_request() -> None:
    at = consult(open_with({}))
    fill_form(at, name="Ana", email="ana@example.org", consent=True)
    assert len(db_rows()[2]) == 1
    # A second tap that reaches the server after the first was saved sends the same form
    # again with the same visit's key: still one request.
    at.session_state["contact.done"] = None
    at.run()
    fill_form(at, name="Ana", email="ana@example.org", consent=True)
    assert "We got your request" in texts(at)
    assert len(db_rows()[2]) == 1


def test_bad_phone_and_email_are_refused_in_spanish_and_nothing_is_stored() -> None:
    at = consult(open_with({"lang": "es"}))
    fill_form(at, name="Luis", phone="12", email="no-es-correo", consent=True)
    shown = texts(at)
    assert "Este número no parece estar bien" in shown
    assert "Este correo no parece estar bien" in shown
    assert db_rows()[2] == []


def test_a_database_that_cannot_be_written_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the database folder should be")
    monkeypatch.setenv("SCREENING_DATABASE_URL", f"sqlite:///{blocked / 'x.db'}")
    at = consult(open_with({}))
    assert "A visit with a specialist could help" in texts(at)  # the result still shows
    fill_form(at, name="Ana", phone="806-555-0199", consent=True)
    shown = texts(at)
    assert "could not send your request" in shown
    assert "806-503-2090" in shown


def test_history_answers_hidden_later_are_not_kept() -> None:
    at = through(open_with({}), FIRST, ABOUT_YOU, SAFE)
    answer(at, RECOVERED)  # the history step, then back to say: no palsy after all
    click(at, "nav.back")
    click(at, "nav.back")
    answer(at, {"hx_palsy": "no"})
    click(at, "nav.next")
    click(at, "nav.next")
    answer(at, {"nh_twitching": "no"})
    click(at, "nav.next")
    kept = db_rows()[1][0]["answers"]
    assert kept["hx_palsy"] == "no" and kept["nh_twitching"] == "no"
    hidden = {"hx_onset", "hx_seen_doctor", *RECOVERED}
    assert not hidden & set(kept), kept


def test_a_guardian_sends_the_request_for_a_child_with_the_guardian_consent() -> None:
    at = consult(open_with({}), {**ABOUT_YOU, "hx_age": "lt_18"})
    assert at.text_input(key="contact.name").label == "Name of the parent or guardian"
    consent = at.checkbox(key="contact.consent").label
    assert consent.startswith("I am the parent or guardian. I agree that FACEPLUS+")
    fill_form(at, name="Rosa Díaz", phone="806 555 0199", consent=True)
    assert "We got your request" in texts(at)
    row = db_rows()[2][0]
    assert row["consent_version"] == consent_version(consent)
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    try:
        with store.engine.connect() as conn:
            kept = conn.exec_driver_sql(
                "SELECT text FROM consent_texts WHERE version = ?", (row["consent_version"],)
            ).scalar_one()
    finally:
        store.close()
    assert kept == consent
    assert "minor" in row["reasons"]


def test_an_adult_request_keeps_the_adult_consent() -> None:
    at = consult(open_with({"lang": "es"}))
    assert at.text_input(key="contact.name").label == "Su nombre"
    consent = at.checkbox(key="contact.consent").label
    assert consent.startswith("Acepto que FACEPLUS+") and "tutor" not in consent
    fill_form(at, name="Ana", email="ana@example.org", consent=True)
    assert db_rows()[2][0]["consent_version"] == consent_version(consent)
