"""A number of any size in a content file is a located problem (E108), never an exception: an
integer of more than 4,300 digits once made `check` end with a traceback and kept the server
from starting, so nobody saw the "temporarily unavailable, call 911" page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from screening.errors import ContentError
from screening.questionnaire.loader import DEFAULT_QUESTIONS, load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
HUGE = "9" * 5000


@pytest.fixture
def huge(tmp_path: Path) -> Path:
    text = DEFAULT_QUESTIONS.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("minutes:"))
    lines[at] = f"minutes: {HUGE}"
    path = tmp_path / "questions.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("number", ["9" * 31, HUGE, "-" + HUGE, "1" + "0" * 400 + ".5"])
def test_any_long_number_is_refused_with_its_code(tmp_path: Path, number: str) -> None:
    path = tmp_path / "questions.yaml"
    path.write_text(f"title: {{en: a, es: b}}\nminutes: {number}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_questionnaire(path)
    assert [(p.code, p.line) for p in caught.value.problems if p.code == "E108"] == [("E108", 2)]


def test_check_reports_the_huge_integer_without_a_traceback(huge: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "screening", "check", str(huge)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "[E108]" in done.stdout and "Traceback" not in done.stderr + done.stdout


def test_the_app_and_the_server_show_the_unavailable_page(
    huge: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.site.server import site_parts

    monkeypatch.setenv("SCREENING_QUESTIONS", str(huge))
    clinic, tags = site_parts()  # what asgi.py runs as the server starts: no exception
    assert clinic is not None and tags is None
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert "Temporarily unavailable" in at.title[0].value
    assert any("911" in t.value for t in at.text)
