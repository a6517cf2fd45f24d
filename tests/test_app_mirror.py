"""The camera aid's switch in the app (AppTest): offered on the four movement questions where a
camera helps, off until tapped, saying how much it loads; not offered at all when the model
files were never installed (a machine without npm), where the step is exactly as before; the
first page the same either way; a shared measurement on the staff card as a phone check."""

from __future__ import annotations

import os

import pytest
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    app_env,
    open_app,
    texts,
    to_movements,
)
from staff_support import everything, open_staff, sign_in

from screening.questionnaire.loader import load_questionnaire
from screening.questionnaire.rules import Result
from screening.records.channel import DIRECT
from screening.records.contact import ContactRequest
from screening.records.measurement import Measurement, encode
from screening.records.storage import open_store
from web.selfcheck import mirror, state
from web.staff import requests

WITH_CAMERA = ["eye_narrows_smile", "eye_narrows_talk_chew", "eye_narrows_pucker",
               "cheek_lifts_eye_close"]  # fmt: skip
INSTALLED = {"face_mesh.js": {"raw": 72_524, "br": 24_573},
             "model.wasm": {"raw": 6_196_563, "br": 4_975_427}}  # fmt: skip
SIDES = {"right_eye": 0.24, "left_eye": 0.36, "right_corner": 0.86, "left_corner": 0.85}
SHARED = {"movement": "close_eyes", "rest": SIDES, "moving": SIDES}
RESULT = Result(tier="consult", reasons=("linked_movements",), score=42, evidence=(),
                steps_reached=("emergency",), questionnaire_version="abc123def456",
                answers={"hx_palsy": "yes"})  # fmt: skip
ANA = ContactRequest(name="Ana Díaz", phone="+18065032090", email=None, way="call",
                     time="morning", note="")  # fmt: skip


def switches(at: object) -> list[str]:
    return [str(t.key) for t in at.toggle]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_switch_is_offered_where_a_camera_helps(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr(mirror, "_phone_files", lambda: INSTALLED)
    at = to_movements(open_app(lang))
    assert switches(at) == [state.mirror_key(q) for q in WITH_CAMERA]
    ui = load_questionnaire().ui.mirror
    assert all(not t.value for t in at.toggle)  # off until the person taps it
    assert [t.label for t in at.toggle] == [ui.open.get(lang)] * len(WITH_CAMERA)
    told = ui.open_note.get(lang).replace("{size}", "5.0")
    assert told in texts(at).replace("\\", "")


def test_without_the_model_files_the_step_is_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mirror, "_phone_files", lambda: None)
    at = to_movements(open_app())
    assert switches(at) == []
    assert not at.exception


def test_turning_it_on_opens_the_aid_and_shares_nothing_by_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mirror, "_phone_files", lambda: INSTALLED)
    at = to_movements(open_app())
    at.toggle(key=state.mirror_key("eye_narrows_smile")).set_value(True).run()
    assert not at.exception
    assert at.session_state[state.MEASUREMENTS] == {}


def drawn(node: object) -> list[bytes]:
    """Every element the page is sent, as the bytes of its message, in order."""
    proto = getattr(node, "proto", None)
    found = [proto.SerializeToString()] if proto is not None else []
    for child in getattr(node, "children", {}).values():
        found.extend(drawn(child))
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_first_page_is_the_same_byte_for_byte_with_the_aid_installed(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The first page load sends exactly the same elements whether or not the aid can be
    offered (its files load only when it is opened: tests/e2e/test_browser_mirror.py records no
    request of the aid's before the tap); the movement step, where it is offered, differs."""
    pages = {}
    for installed in (INSTALLED, None):
        monkeypatch.setattr(mirror, "_phone_files", lambda files=installed: files)
        welcome = open_app(lang)
        pages[installed is not None] = drawn(welcome._tree), drawn(to_movements(welcome)._tree)
    (first_with, movements_with), (first_without, movements_without) = pages[True], pages[False]
    assert first_with == first_without
    assert movements_with != movements_without  # the comparison sees the switch where it is


def test_the_staff_card_shows_a_shared_measurement_as_a_phone_check() -> None:
    """The clinician sees what the person shared beside their answers, titled as a phone camera
    check and said to be no diagnosis; a request without one shows no such part."""
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    measured = {"cheek_lifts_eye_close": Measurement.model_validate(SHARED)}
    try:
        for key, shared in (("with", encode(measured)), ("without", None)):
            screening = store.save_screening(
                RESULT, DIRECT, "en", idempotency_key=f"s-{key}", phone_measurements=shared
            )
            store.save_contact(
                ANA, consent_text="I agree.", lang="en", channel=DIRECT, screening_id=screening,
                idempotency_key=f"c-{key}",
            )  # fmt: skip
    finally:
        store.close()
    at = sign_in(open_staff())
    first, second = (int(r) for r in at.dataframe[0].value["request"])
    card = everything(at)
    assert requests.PHONE_CHECK_TITLE in card and "not a diagnosis" in requests.PHONE_CHECK_NOTE
    assert requests.PHONE_CHECK_NOTE in card
    short = load_questionnaire().question("cheek_lifts_eye_close").short.get("en")
    said = "eye opening R/L: rest 0.24/0.36, close eyes 0.24/0.36; mouth corner lift R/L: +0.00/"
    assert f"{short}: {said}+0.00 eye distances" in card
    at.selectbox(key=requests.CHOSEN).set_value(second).run()
    assert requests.PHONE_CHECK_TITLE not in everything(at)
    assert first != second
