"""The camera aid away from the browser: the measurement a browser may send (and everything else
it is refused), where a shared one goes (the database with the screening, the staff record, the
summary PDF) and where it never goes (the rules), the model files' setup, and the headers that
let the aid's frame use the camera and run MediaPipe."""

from __future__ import annotations

import ast
import asyncio
import io
import json
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import text

from screening.outputs import report
from screening.questionnaire.loader import ROOT
from screening.questionnaire.models import Clinic, Questionnaire
from screening.questionnaire.rules import Result
from screening.records.channel import DIRECT
from screening.records.contact import ContactRequest
from screening.records.measurement import Measurement, decode, encode, lines, parse
from screening.records.storage import Store
from web.selfcheck import mirror, mirror_files
from web.site.content_policy import MIRROR_FRAME, MIRROR_MODELS
from web.site.server import SiteMiddleware, security_headers
from web.staff.requests import phone_check

SIDES = {"right_eye": 0.24, "left_eye": 0.36, "right_corner": 0.86, "left_corner": 0.85}
SHARED = {"movement": "smile", "rest": dict(SIDES), "moving": dict(SIDES)}
NOW = datetime(2026, 3, 14, 15, 9, tzinfo=UTC)


def with_(path: str, value: object) -> dict[str, Any]:
    """SHARED with one value changed ("rest.right_eye") or added."""
    changed: dict[str, Any] = json.loads(json.dumps(SHARED))
    where, _, name = path.rpartition(".")
    (changed[where] if where else changed)[name] = value
    return changed


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        pytest.param(SHARED, True, id="a-measurement"),
        pytest.param(with_("movement", "close_eyes"), True, id="eye-closure"),
        pytest.param(None, False, id="nothing-shared"),
        pytest.param("0.3", False, id="text"),
        pytest.param([SHARED], False, id="a-list"),
        pytest.param(with_("movement", "wink"), False, id="unknown-movement"),
        pytest.param(with_("rest.right_eye", -0.1), False, id="negative-opening"),
        pytest.param(with_("rest.right_eye", 7), False, id="opening-beyond-any-eye"),
        pytest.param(with_("rest.right_eye", math.nan), False, id="not-a-number"),
        pytest.param(with_("rest.right_eye", "0.3"), False, id="number-as-text"),
        pytest.param(with_("picture", "data:image/jpeg;base64,AAAA"), False, id="a-picture"),
        pytest.param(with_("moving.frame", [1, 2, 3]), False, id="extra-field"),
    ],
)
def test_only_a_measurement_is_kept(value: object, kept: bool) -> None:
    assert (parse(value) is not None) is kept


openings = st.floats(min_value=0, max_value=2, allow_nan=False)
corners = st.floats(min_value=-5, max_value=5, allow_nan=False)
sides = st.builds(
    dict, right_eye=openings, left_eye=openings, right_corner=corners, left_corner=corners
)


@given(
    st.dictionaries(
        st.sampled_from(["eye_narrows_smile", "eye_narrows_pucker", "cheek_lifts_eye_close"]),
        st.builds(
            dict,
            movement=st.sampled_from(["smile", "talk", "pucker", "close_eyes"]),
            rest=sides,
            moving=sides,
        ),
    )
)
def test_stored_measurements_read_back_the_same(raw: dict[str, dict[str, Any]]) -> None:
    measured = {k: Measurement.model_validate(v) for k, v in raw.items()}
    assert decode(encode(measured)) == measured
    assert (encode(measured) is None) is (not measured)


@pytest.mark.parametrize("stored", [None, "", "not json", "[1, 2]", '{"x": {"movement": 1}}'])
def test_unreadable_stored_measurements_are_left_out(stored: str | None) -> None:
    assert decode(stored) == {}


def test_the_lines_say_which_side_and_which_moment() -> None:
    eyes, mouth = lines(Measurement.model_validate(with_("moving.right_corner", 0.76)))
    assert eyes == "eye opening R/L: rest 0.24/0.36, smile 0.24/0.36"
    assert mouth == "mouth corner lift R/L: +0.10/+0.00 eye distances"


# --- where a shared measurement goes ---------------------------------------------------------

RESULT = Result(
    tier="consult",
    reasons=("linked_movements",),
    score=42,
    evidence=("eye_narrows_smile",),
    steps_reached=("emergency", "about_you", "safety", "history", "movements_eye"),
    questionnaire_version="abc123def456",
    answers={"hx_palsy": "yes", "eye_narrows_smile": "often"},
)
ANA = ContactRequest(
    name="Ana Díaz", phone="+18065032090", email=None, way="call", time="morning", note=""
)


def test_a_shared_measurement_is_kept_with_the_screening_and_shown_to_staff(store: Store) -> None:
    measured = {"eye_narrows_smile": Measurement.model_validate(SHARED)}
    screening = store.save_screening(
        RESULT, DIRECT, "en", idempotency_key="k1", now=NOW, phone_measurements=encode(measured)
    )
    store.save_contact(
        ANA, consent_text="I agree.", lang="en", channel=DIRECT, screening_id=screening,
        idempotency_key="c1", now=NOW,
    )  # fmt: skip
    [row] = store.contact_rows()
    assert decode(row["phone_measurements"]) == measured
    assert phone_check(row["phone_measurements"]) == (
        "eye_narrows_smile: eye opening R/L: rest 0.24/0.36, smile 0.24/0.36; "
        "mouth corner lift R/L: +0.00/+0.00 eye distances"
    )


def test_without_sharing_nothing_is_kept(store: Store) -> None:
    store.save_screening(RESULT, DIRECT, "en", idempotency_key="k2", now=NOW)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT phone_measurements FROM screenings")).scalar_one() is None
    assert phone_check(None) == ""


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_summary_labels_a_shared_measurement_as_a_phone_check(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    texts = questionnaire.ui.mirror
    plain = pdf_text(report.build_summary(questionnaire, clinic, RESULT, lang, date(2026, 3, 14)))
    assert texts.record_title.get(lang) not in plain
    measured = {"eye_narrows_smile": Measurement.model_validate(SHARED)}
    shared = pdf_text(
        report.build_summary(questionnaire, clinic, RESULT, lang, date(2026, 3, 14), measured)
    )
    assert texts.record_title.get(lang) in shared
    assert texts.record_note.get(lang) in shared
    assert "rest 0.24/0.36" in shared


def test_the_rules_never_read_a_measurement() -> None:
    """The rules and the result's wording are the symptom checklist's alone (CLINICAL-SAFETY.md):
    nothing under screening/questionnaire imports the measurement."""
    for path in (ROOT / "screening" / "questionnaire").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "measurement" not in (node.module or ""), path
                assert all("measurement" not in a.name for a in node.names), path
    assert "measurement" not in (ROOT / "screening/outputs/summary.py").read_text()


# --- the model files and the headers ---------------------------------------------------------


def fake_package(folder: Path) -> Path:
    folder.mkdir()
    for i, name in enumerate(mirror_files.FILES):
        (folder / name).write_bytes(b"x" * (1000 + i))
    return folder


def test_setup_copies_the_files_and_tells_their_size(tmp_path: Path) -> None:
    target = tmp_path / "model"
    assert mirror_files.sizes(target) is None  # not installed: the aid is not offered
    mirror_files.place(fake_package(tmp_path / "package"), target)
    table = mirror_files.sizes(target)
    assert table is not None and set(table) == set(mirror_files.PHONE_LOADS)
    assert all(0 < v["br"] < v["raw"] for v in table.values())
    (target / mirror_files.FILES[0]).unlink()
    assert mirror_files.sizes(target) is None  # a half-installed model is not offered either


def test_the_size_is_told_in_megabytes() -> None:
    table = {"a": {"raw": 9, "br": 4_400_000}, "b": {"raw": 9, "br": 300_000}}
    assert mirror_files.download_mb(table) == "4.7"


def test_the_served_paths_match_the_component() -> None:
    """Streamlit serves a component declared as "mirror" in web.selfcheck.mirror under
    /component/web.selfcheck.mirror.mirror/; the model folder is named after the version."""
    assert f"/component/{mirror._view().name}/" == MIRROR_FRAME
    assert f"{MIRROR_FRAME}{mirror_files.MODEL_DIR_NAME}/".startswith(MIRROR_MODELS)
    assert mirror_files.MODEL_DIR.parent == mirror_files.COMPONENT


def policy_of(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    text = dict(headers)[b"content-security-policy"].decode()
    return {d.split(" ")[0]: d for d in text.split("; ")}


def test_the_camera_is_allowed_for_this_site_only(clinic: Clinic) -> None:
    allowed = dict(security_headers(clinic))[b"permissions-policy"].decode()
    assert "camera=(self)" in allowed.split(", ")
    assert "microphone=()" in allowed.split(", ")


def test_only_the_aids_frame_may_evaluate_scripts(clinic: Clinic) -> None:
    page = policy_of(security_headers(clinic))
    frame = policy_of(security_headers(clinic, evaluates=True))
    assert "'unsafe-eval'" not in page["script-src"]
    assert "'unsafe-eval'" in frame["script-src"] and "'self'" in frame["script-src"]
    for directive in ("default-src", "connect-src", "img-src", "frame-ancestors", "worker-src"):
        assert frame[directive] == page[directive]  # still nothing from anywhere else


def test_the_image_installs_the_same_pinned_model() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert (
        f"npm install --exact --ignore-scripts --no-audit --no-fund {mirror_files.PACKAGE}@"
        f"{mirror_files.VERSION}" in dockerfile
    )


def served(path: str, clinic: Clinic) -> dict[bytes, bytes]:
    """The headers SiteMiddleware sends for `path`, around a stand-in for Streamlit's component
    route (which says "public" for files and "no-cache" for pages)."""

    async def component(scope: dict[str, Any], receive: Any, send: Any) -> None:
        cache = b"no-cache" if scope["path"].endswith(".html") else b"public"
        headers = [(b"content-type", b"text/plain"), (b"cache-control", cache)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"x"})

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
    asyncio.run(SiteMiddleware(component, clinic, None)(scope, receive, send))
    return dict(sent[0]["headers"])


def test_the_model_files_are_cached_a_year_and_the_aids_page_is_not(clinic: Clinic) -> None:
    model = served(f"{MIRROR_FRAME}{mirror_files.MODEL_DIR_NAME}/face_mesh.js", clinic)
    assert model[b"cache-control"] == b"public, max-age=31536000, immutable"
    page = served(f"{MIRROR_FRAME}index.html", clinic)
    assert page[b"cache-control"] == b"no-cache"
    assert b"'unsafe-eval'" in page[b"content-security-policy"]
    other = served("/component/some.other.component/index.html", clinic)
    assert b"'unsafe-eval'" not in other[b"content-security-policy"]


PROBLEMS = ("no_camera", "denied", "no_face", "too_dark", "failed")


@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_problem_says_what_to_do_without_the_camera(
    questionnaire: Questionnaire, problem: str
) -> None:
    """No camera, a refused one, no face, too little light or a model that would not start:
    each message ends with the way on without the aid (a mirror), in both languages."""
    said = getattr(questionnaire.ui.mirror, problem)
    assert said.get("en").rstrip(".").endswith(("Or use a mirror", "use a mirror instead"))
    assert said.get("es").rstrip(".").endswith(("O use un espejo", "use un espejo"))
