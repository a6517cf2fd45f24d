"""The movement pictures and 'try it now' prompts: present for every sign, safe, small, plain.

Whether each referenced file exists is checked here rather than in the loader, so that loading
questions.yaml never touches any other file.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from statistics import mean
from types import ModuleType
from typing import Any

import pytest
import textstat
import yaml

from screening.errors import ContentError
from screening.questionnaire.consistency import SIGNS
from screening.questionnaire.loader import load_questionnaire
from screening.questionnaire.models import Questionnaire

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "illustrations"
SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 6 * 1024
MAX_GRADE_AVERAGE = 6.0
MAX_GRADE_ONE = 8.0
MIN_SPANISH_EASE = 70.0  # Fernandez-Huerta, the rough target for Spanish texts
MAX_PROMPT_CHARS = 100  # one line on a phone, give or take a wrap


def _generator() -> ModuleType:
    path = ROOT / "tools" / "draw_illustrations.py"
    spec = importlib.util.spec_from_file_location("draw_illustrations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _svg_files(q: Questionnaire) -> list[str]:
    return [s.illustration.file for s in q.signs() if s.illustration is not None]


def test_every_movement_question_has_a_prompt_and_a_picture_in_both_languages(
    questionnaire: Questionnaire,
) -> None:
    for qid in SIGNS:
        question = questionnaire.question(qid)
        assert question.try_it is not None, qid
        assert question.illustration is not None, qid
        for lang in ("en", "es"):
            assert question.try_it.get(lang).strip(), (qid, lang)
            assert question.illustration.alt.get(lang).strip(), (qid, lang)
        assert question.try_it.en != question.try_it.es, qid
        assert question.illustration.alt.en != question.illustration.alt.es, qid


def test_every_sign_is_a_movement_with_a_picture(questionnaire: Questionnaire) -> None:
    assert {s.id for s in questionnaire.signs()} == set(SIGNS)


def test_prompts_are_one_short_line(questionnaire: Questionnaire) -> None:
    for sign in questionnaire.signs():
        assert sign.try_it is not None
        for lang in ("en", "es"):
            text = sign.try_it.get(lang)
            assert "\n" not in text and len(text) <= MAX_PROMPT_CHARS, (sign.id, lang)


def test_each_picture_is_used_once_and_every_file_is_used(questionnaire: Questionnaire) -> None:
    files = _svg_files(questionnaire)
    assert len(files) == len(set(files)) == len(SIGNS)
    on_disk = {p.name for p in ASSETS.glob("*.svg")}
    assert on_disk == set(files), "a picture on disk is not referenced, or the reverse"


@pytest.mark.parametrize("qid", SIGNS)
def test_picture_is_a_safe_small_labelled_svg(questionnaire: Questionnaire, qid: str) -> None:
    illustration = questionnaire.question(qid).illustration
    assert illustration is not None
    path = ASSETS / illustration.file
    assert path.is_file(), f"{path} is missing: run `make illustrations`"
    data = path.read_bytes()
    assert len(data) <= MAX_BYTES, f"{path.name} is {len(data)} bytes"
    text = data.decode("utf-8")
    assert "<!DOCTYPE" not in text and "<!ENTITY" not in text  # no entity tricks

    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    view_box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    assert len(view_box) == 4, "needs a viewBox to scale sharply"
    width, height = view_box[2], view_box[3]
    # Wide and low, so that at a phone's width (about 360 px) it stays at most ~140 px tall.
    assert width >= 2 * height, "too tall: it would push the answers below the fold"

    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and (desc.text or "").strip()

    for element in root.iter():
        local = element.tag.split("}")[-1]
        assert local not in {"script", "foreignObject", "image", "use", "style", "a", "text"}
        for name, value in element.attrib.items():
            attr = name.split("}")[-1]
            assert attr != "href", f"{path.name}: external reference"
            assert not attr.startswith("on"), f"{path.name}: event handler {attr}"
            assert "url(" not in value and "javascript:" not in value, f"{path.name}: {value}"


def test_pictures_are_what_the_generator_draws() -> None:
    drawn = _generator().drawings()
    for name, text in drawn.items():
        path = ASSETS / name
        assert path.is_file(), f"{name} is missing: run `make illustrations`"
        assert path.read_text(encoding="utf-8") == text, f"{name} is stale: make illustrations"


def test_the_generator_is_deterministic() -> None:
    generator = _generator()
    assert generator.drawings() == generator.drawings()


def test_svg_element_ids_do_not_clash_between_pictures() -> None:
    # Several pictures may be inlined on one page; their title/desc ids must stay unique.
    ids: list[str] = []
    for path in sorted(ASSETS.glob("*.svg")):
        ids += re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids))


def test_english_prompts_are_plain(questionnaire: Questionnaire) -> None:
    grades = {
        s.id: textstat.flesch_kincaid_grade(s.try_it.en)
        for s in questionnaire.signs()
        if s.try_it is not None
    }
    assert mean(grades.values()) <= MAX_GRADE_AVERAGE, grades
    assert max(grades.values()) <= MAX_GRADE_ONE, grades


def test_english_alt_texts_are_plain(questionnaire: Questionnaire) -> None:
    grades = [
        textstat.flesch_kincaid_grade(s.illustration.alt.en)
        for s in questionnaire.signs()
        if s.illustration is not None
    ]
    assert mean(grades) <= MAX_GRADE_AVERAGE


def test_spanish_prompts_and_alt_texts_are_plain(questionnaire: Questionnaire) -> None:
    texts = [
        text.es
        for s in questionnaire.signs()
        for text in (s.try_it, s.illustration.alt if s.illustration else None)
        if text is not None
    ]
    textstat.set_lang("es")
    try:
        ease = [textstat.fernandez_huerta(t) for t in texts]
    finally:
        textstat.set_lang("en_US")
    assert mean(ease) >= MIN_SPANISH_EASE


def test_spanish_questions_in_prompts_open_with_the_inverted_mark(
    questionnaire: Questionnaire,
) -> None:
    for s in questionnaire.signs():
        assert s.try_it is not None
        for sentence in re.findall(r"[^.?!]*\?", s.try_it.es):
            assert "¿" in sentence, (s.id, sentence)


# The loader's side: a movement question without its prompt or picture is refused (E314).


def _real_data() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "questions.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _sign_entry(data: dict[str, Any], qid: str) -> dict[str, Any]:
    for step in data["steps"]:
        for question in step["questions"]:
            if question["id"] == qid:
                return question  # type: ignore[no-any-return]
    raise KeyError(qid)


@pytest.mark.parametrize("missing", ["try_it", "illustration"])
def test_a_sign_without_prompt_or_picture_is_refused(tmp_path: Path, missing: str) -> None:
    data = _real_data()
    del _sign_entry(data, "chin_dimples")[missing]
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_questionnaire(path)
    assert [p.code for p in exc.value.problems] == ["E314"]


@pytest.mark.parametrize(
    ("file", "ok"),
    [
        ("chin_dimples.svg", True),
        ("chin-dimples-2.svg", True),
        ("../secret.svg", False),
        ("pics/chin.svg", False),
        ("chin.png", False),
        ("https://example.org/chin.svg", False),
        ("Chin.svg", False),
    ],
)
def test_a_picture_is_named_by_a_plain_file_name(tmp_path: Path, file: str, ok: bool) -> None:
    data = _real_data()
    _sign_entry(data, "chin_dimples")["illustration"]["file"] = file
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if ok:
        load_questionnaire(path)
    else:
        with pytest.raises(ContentError) as exc:
            load_questionnaire(path)
        assert [p.code for p in exc.value.problems] == ["E202"]


def test_the_review_sheet_shows_every_drawing_and_is_current(questionnaire: Questionnaire) -> None:
    generator = _generator()
    rows = generator._sheet_rows()
    assert [qid for qid, _, _ in rows] == [q.id for q in questionnaire.signs()]
    assert len(rows) == len(SIGNS) == 12
    committed = generator.SHEET_HTML.read_text(encoding="utf-8")
    assert committed == generator.sheet_html(rows), "docs/illustrations.html: make illustrations"
    for qid, file, _ in rows:
        assert file in committed and qid in committed
    assert generator.sheet_svg(rows).count("<svg x=") == len(rows)  # one drawing per cell
