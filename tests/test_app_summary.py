"""AppTest flows of the take-away summary (result page) and the FHIR downloads (staff page).

A download button with a callable registers it with Streamlit's media file manager and builds
nothing until the browser asks. The `built` fixture keeps a copy of each registered callable so
a test can do what that request does: call it.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    ABOUT_YOU,
    FIRST,
    RECOVERED,
    SAFE,
    answer,
    app_env,
    click,
    finish_movements,
    open_app,
    through,
    to_movements,
)
from core_spec import build
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader
from staff_support import open_staff, sign_in
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from screening.outputs import fhir
from screening.questionnaire.loader import load_questionnaire
from screening.questionnaire.rules import evaluate
from screening.records.channel import Channel
from screening.records.storage import open_store

pytestmark = pytest.mark.usefixtures("clock")  # the sign-in's clock (tests/conftest.py)

Built = dict[str, Callable[[], Any]]


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Built:
    found: Built = {}
    original = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        file_id = original(self, data, *args, **kwargs)
        found[file_id] = data
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


def result_of(tier: str, lang: str | None = None) -> AppTest:
    at = open_app(lang)
    if tier == "emergency":
        click(at, "nav.start")
        return answer(at, {"rf_stroke_signs": "now"})
    if tier == "urgent":  # a new red eye: the questionnaire ends after the safety step
        return through(at, FIRST, ABOUT_YOU, {**SAFE, "rf_eye_danger": "yes"})
    if tier == "soon":  # a lump: the questionnaire goes on to the end
        through(at, FIRST, ABOUT_YOU, {**SAFE, "rf_lump": "yes"}, RECOVERED)
        return finish_movements(at, {})
    levels = {"eye_narrows_smile": "often"} if tier == "consult" else {}
    return finish_movements(to_movements(at, RECOVERED), levels)


def pdf_button(at: AppTest) -> Any:
    found = [b for b in at.get("download_button") if str(b.key) == "result.pdf"]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("tier", "headline"),
    [
        ("consult", "A visit with a specialist could help"),
        ("info", "No warning signs in your answers"),
        ("soon", "See a doctor soon"),
    ],
)
def test_the_summary_is_offered_and_built_on_click(built: Built, tier: str, headline: str) -> None:
    at = result_of(tier)
    button = pdf_button(at)
    assert button is not None, tier
    proto = button.proto
    assert proto.label == "Download your summary (PDF)"
    assert proto.deferred_file_id and not proto.url  # nothing built yet
    pdf = built[proto.deferred_file_id]()
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert headline in text and "806-503-2090" in text


@pytest.mark.parametrize("tier", ["emergency", "urgent"])
def test_no_summary_on_emergency_or_urgent(tier: str) -> None:
    at = result_of(tier)
    assert "Call 911" in " ".join(b.proto.label for b in at.get("link_button"))
    assert pdf_button(at) is None


def test_the_spanish_summary_is_in_spanish(built: Built) -> None:
    at = result_of("consult", "es")
    proto = pdf_button(at).proto
    assert proto.label == "Descargar su resumen (PDF)"
    pdf = built[proto.deferred_file_id]()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Una consulta con un especialista podría ayudar" in text
    assert "Sus respuestas" in text and "Idioma: Español" in text


# --- staff: FHIR downloads -----------------------------------------------------------------------


def keep_screenings() -> list[int]:
    q = load_questionnaire()
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    now = datetime.now(UTC)
    try:
        return [
            store.save_screening(evaluate(q, answers), Channel(), lang, now=now)
            for answers, lang in (
                (build(rf_stroke_signs="now"), "en"),
                (build(rf_eye_danger="yes"), "es"),
            )
        ]
    finally:
        store.close()


def test_staff_download_a_fhir_bundle_of_the_range_and_of_one(built: Built) -> None:
    first, second = keep_screenings()
    at = sign_in(open_staff())
    buttons = {str(b.key): b.proto for b in at.get("download_button")}
    assert buttons["staff.fhir_bundle"].deferred_file_id
    everything = json.loads(built[buttons["staff.fhir_bundle"].deferred_file_id]())
    Bundle.model_validate(everything)
    # One English and one Spanish screening: the Questionnaire in both languages comes first.
    resources = [e["resource"] for e in everything["entry"]]
    kinds = [(r["resourceType"], r["language"]) for r in resources]
    assert kinds[:2] == [("Questionnaire", "en"), ("Questionnaire", "es")]
    responses = [e["resource"] for e in everything["entry"][2:]]
    assert [r["id"] for r in responses] == [f"screening-{first}", f"screening-{second}"]
    assert [fhir.result_from_response(r)[0] for r in responses] == ["emergency", "urgent"]

    at.selectbox(key="staff.fhir_id").set_value(first).run()
    assert not at.exception
    one = {str(b.key): b.proto for b in at.get("download_button")}["staff.fhir_one"]
    single = json.loads(built[one.deferred_file_id]())
    Bundle.model_validate(single)
    assert [e["resource"]["id"] for e in single["entry"]] == [
        "facial-movement-self-check-en",
        f"screening-{first}",
    ]


def test_staff_fhir_bundle_is_disabled_without_screenings(built: Built) -> None:
    at = sign_in(open_staff())
    buttons = {str(b.key): b for b in at.get("download_button")}
    assert buttons["staff.fhir_bundle"].proto.disabled
    assert "staff.fhir_one" not in buttons
