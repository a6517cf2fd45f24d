"""The result page's model (screening/outputs/result_page.py): what the page shows and offers for
each kind of result, every text in the person's language, built without Streamlit."""

from __future__ import annotations

from datetime import date

import pytest

from screening.outputs.result_page import ResultPage, build
from screening.outputs.summary import describe, fill
from screening.questionnaire.models import Clinic, Questionnaire
from tests.core_spec import build as answers_with

TODAY = date(2025, 1, 31)
URL = "https://check.example.org/"


def page_for(q: Questionnaire, clinic: Clinic, lang: str = "en", **changes: object) -> ResultPage:
    return build(q, clinic, answers_with(**changes), lang, TODAY, URL)


def test_an_emergency_answer_leads_with_the_emergency_number(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    page = page_for(questionnaire, clinic, rf_stroke_signs="now")
    assert page.result.tier == "emergency"
    assert (page.tone, page.emergency_call_first) == ("error", True)
    assert page.emergency_call is not None
    assert page.emergency_call.url == "tel:" + clinic.emergency_number
    # Nothing that could make a person wait: no PDF, no reminder, no contact form.
    assert (page.summary_pdf, page.reminder, page.contact_form) == (None, None, False)


def test_a_consult_result_offers_the_clinic_the_pdf_and_the_form(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    page = page_for(questionnaire, clinic, eye_narrows_smile="always")
    assert page.result.tier == "consult"
    assert (page.tone, page.emergency_call, page.contact_form) == ("success", None, True)
    assert page.call_clinic is not None and page.call_clinic.url.startswith("tel:")
    assert page.clinic is not None
    assert page.clinic.book.url == clinic.booking_url
    assert page.summary_pdf is not None and callable(page.summary_pdf.data)
    assert page.summary_pdf.data()[:5] == b"%PDF-"  # built only when asked for
    assert page.summary_pdf.file_name.endswith("2025-01-31.pdf")


@pytest.mark.parametrize(
    ("changes", "tier", "calls_clinic"),
    [
        pytest.param({"rf_stroke_signs": "now"}, "emergency", False, id="emergency"),
        pytest.param({"rf_eye_danger": "yes"}, "urgent", False, id="urgent"),
        pytest.param({"rf_worsening": "yes"}, "soon", True, id="soon"),
        pytest.param({"eye_narrows_smile": "always"}, "consult", True, id="consult"),
        pytest.param({}, "info", True, id="info"),
    ],
)
def test_every_tier_from_soon_down_offers_the_clinics_call_near_the_top(
    questionnaire: Questionnaire,
    clinic: Clinic,
    changes: dict[str, str],
    tier: str,
    calls_clinic: bool,
) -> None:
    for lang in ("en", "es"):
        page = page_for(questionnaire, clinic, lang, **changes)
        assert page.result.tier == tier
        if calls_clinic:
            assert page.call_clinic is not None
            assert page.call_clinic.label == fill(
                questionnaire, clinic, questionnaire.ui.call_clinic, lang
            )
        else:
            assert page.call_clinic is None


def test_the_page_says_what_the_summary_says(questionnaire: Questionnaire, clinic: Clinic) -> None:
    for lang in ("en", "es"):
        page = page_for(questionnaire, clinic, lang, rf_breathing="yes")
        view = describe(questionnaire, clinic, page.result, lang)
        assert page.view == view
        assert page.todo_title == questionnaire.ui.todo_title.get(lang)


@pytest.mark.parametrize("url", [URL, None])
def test_the_reminder_needs_an_address_to_link_back_to(
    questionnaire: Questionnaire, clinic: Clinic, url: str | None
) -> None:
    answers = answers_with()
    page = build(questionnaire, clinic, answers, "en", TODAY, url)
    assert page.result.tier == "info"
    if url is None and not clinic.website:
        assert page.reminder is None
    else:
        assert page.reminder is not None and isinstance(page.reminder.data, bytes)
        assert page.reminder.data.startswith(b"BEGIN:VCALENDAR")
