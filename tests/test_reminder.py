"""'Remind me to check again': the calendar file and when it is offered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import icalendar
import pytest
from core_spec import SIGNS, build
from hypothesis import given
from hypothesis import strategies as st

from screening.outputs.reminder import build_ics, clean_url, offers_reminder
from screening.questionnaire.models import Questionnaire
from screening.questionnaire.rules import Result, evaluate

URL = "https://check.example.org/self-check"
TODAY = date(2025, 1, 31)
CLINIC = "Facial Nerve Center"


def _event(ics: bytes) -> Any:
    calendar = icalendar.Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_one_all_day_event_about_three_months_ahead(
    questionnaire: Questionnaire, lang: str
) -> None:
    event = _event(build_ics(URL, lang, TODAY, CLINIC, questionnaire.ui))
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert type(start) is date and type(end) is date  # all day: dates, not date-times
    assert start == TODAY + timedelta(days=91) == date(2025, 5, 2)
    assert end == start + timedelta(days=1)
    assert event["DTSTAMP"].dt == datetime(2025, 1, 31, tzinfo=event["DTSTAMP"].dt.tzinfo)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_texts_are_in_the_chosen_language_with_the_link(
    questionnaire: Questionnaire, lang: str
) -> None:
    ui = questionnaire.ui
    event = _event(build_ics(URL, lang, TODAY, CLINIC, ui))
    assert str(event["SUMMARY"]) == ui.remind_summary.get(lang)
    assert event["SUMMARY"].params["LANGUAGE"] == lang
    assert event["DESCRIPTION"].params["LANGUAGE"] == lang
    description = str(event["DESCRIPTION"])
    expected = ui.remind_description.get(lang).replace("{clinic_name}", CLINIC)
    link = URL + ("?lang=es" if lang == "es" else "")  # the check opens in the same language
    assert description == f"{expected}\n{link}"
    assert str(event["URL"]) == link


def test_an_unknown_language_falls_back_to_english(questionnaire: Questionnaire) -> None:
    event = _event(build_ics(URL, "fr", TODAY, CLINIC, questionnaire.ui))
    assert str(event["SUMMARY"]) == questionnaire.ui.remind_summary.en
    assert event["SUMMARY"].params["LANGUAGE"] == "en"


def test_same_inputs_give_the_same_bytes(questionnaire: Questionnaire) -> None:
    one = build_ics(URL, "es", TODAY, CLINIC, questionnaire.ui)
    two = build_ics(URL, "es", TODAY, CLINIC, questionnaire.ui)
    assert one == two
    assert build_ics(URL, "es", TODAY + timedelta(days=1), CLINIC, questionnaire.ui) != one


def test_the_uid_is_stable_and_derived_from_date_and_link(questionnaire: Questionnaire) -> None:
    ui = questionnaire.ui
    uid = str(_event(build_ics(URL, "en", TODAY, CLINIC, ui))["UID"])
    assert uid == str(_event(build_ics(URL, "es", TODAY, "Other name", ui))["UID"])
    assert uid != str(_event(build_ics(URL + "/x", "en", TODAY, CLINIC, ui))["UID"])
    assert uid != str(_event(build_ics(URL, "en", TODAY.replace(day=1), CLINIC, ui))["UID"])


def test_no_personal_data_and_no_state_from_the_link(questionnaire: Questionnaire) -> None:
    leaky = URL + "?answers=eye_narrows_smile:often&name=Ana#result"
    ics = build_ics(leaky, "en", TODAY, CLINIC, questionnaire.ui)
    text = ics.decode()
    for word in ("answers=", "eye_narrows_smile", "name=Ana", "#result"):
        assert word not in text, word
    for prop in ("ATTENDEE", "ORGANIZER", "CONTACT", "EMAIL", "GEO", "LOCATION"):
        assert f"\r\n{prop}" not in text
    assert str(_event(ics)["URL"]) == URL


def test_lines_end_in_crlf_and_fold_at_75_octets(questionnaire: Questionnaire) -> None:
    name = "Centro del Nervio Facial y Reeducación de la Cara, Ñuñoa; sede \\ principal" * 2
    ics = build_ics(URL, "es", TODAY, name, questionnaire.ui)
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a character
    event = _event(ics)
    assert name in str(event["DESCRIPTION"])  # commas, semicolons, backslashes survive


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    lang=st.sampled_from(["en", "es"]),
    clinic=st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=150
    ),
)
def test_any_date_and_clinic_name_give_a_valid_calendar(
    questionnaire: Questionnaire, day: date, lang: str, clinic: str
) -> None:
    ics = build_ics(URL, lang, day, clinic, questionnaire.ui)
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    event = _event(ics)
    assert event["DTSTART"].dt == day + timedelta(days=91)
    assert clinic.strip() in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.org/",
        "example.org/check",
        "https://example.org/\r\nATTENDEE:mailto:someone@example.org",
        "https://example.org/a b",
        "",
    ],
)
def test_only_plain_web_links_are_accepted(questionnaire: Questionnaire, url: str) -> None:
    with pytest.raises(ValueError):
        build_ics(url, "en", TODAY, CLINIC, questionnaire.ui)


def test_clean_url_keeps_the_address_and_drops_query_and_fragment() -> None:
    assert clean_url("http://localhost:8501/?lang=es#top") == "http://localhost:8501/"
    assert clean_url(URL) == URL


# When the page offers the reminder.


def _answers(onset: str, level: str, **changes: Any) -> dict[str, Any]:
    """A palsy `onset` ago, seen by a doctor, every movement at `level` (the movements are
    not asked under 3 weeks)."""
    return build(hx_onset=onset, **dict.fromkeys(SIGNS, level), **changes)


@pytest.mark.parametrize(
    ("answers", "tier", "offered"),
    [
        pytest.param(_answers("1_5y", "never"), "info", True, id="info"),
        pytest.param(_answers("lt_3w", "never"), "info", True, id="info-early"),
        pytest.param(_answers("3w_3m", "never"), "info", True, id="info-early-weeks"),
        pytest.param(_answers("3w_3m", "often"), "consult", True, id="consult-early"),
        pytest.param(_answers("1_5y", "often"), "consult", False, id="consult"),
        pytest.param(
            _answers("3w_3m", "never", rf_worsening="yes"), "soon", True, id="soon-early"
        ),
        pytest.param(_answers("1_5y", "never", rf_worsening="yes"), "soon", False, id="soon"),
        pytest.param(
            _answers("3w_3m", "never", rf_ear_signs="yes"), "urgent", False, id="urgent"
        ),
        pytest.param(
            _answers("lt_3w", "never", hx_seen_doctor="no"), "urgent", False, id="urgent-unseen"
        ),
        pytest.param(
            _answers("3w_3m", "never", rf_stroke_signs="now"), "emergency", False, id="emergency"
        ),
    ],
)
def test_offered_on_info_and_early_results(
    questionnaire: Questionnaire, answers: dict[str, Any], tier: str, offered: bool
) -> None:
    result = evaluate(questionnaire, answers)
    assert result.tier == tier
    assert offers_reminder(result) is offered


def test_never_offered_on_emergency_or_urgent_even_with_the_early_note() -> None:
    for tier in ("emergency", "urgent"):
        result = Result(tier, (f"{tier}_reason", "early"), None, (), (), "v")
        assert not offers_reminder(result)
