"""web/site/page_shell.py without a server: the shell's words, escaping, and where it goes."""

from __future__ import annotations

import pytest

from screening.questionnaire.loader import load_clinic, load_questionnaire
from web.site.content_policy import STREAMLIT_PAGE
from web.site.page_shell import STYLE, chosen_language, shell, with_shell


@pytest.mark.parametrize(
    ("query", "expected"),
    [(b"lang=es", "es"), (b"lang=en", "en"), (b"", "en"), (b"lang=xx", "en"),
     (b"utm_source=flyer&lang=es", "es"), (b"lang=%3Cscript%3E", "en")],
    ids=str,
)  # fmt: skip
def test_the_language_comes_from_the_address(query: bytes, expected: str) -> None:
    assert chosen_language(query, load_clinic()) == expected


def test_the_shell_escapes_the_clinics_name() -> None:
    clinic = load_clinic().model_copy(update={"name": "Clinic <b>&</b>"})
    text = shell(load_questionnaire(), clinic, "en")
    assert "<b>" not in text and "Clinic &lt;b&gt;&amp;&lt;/b&gt;" in text


def test_the_shell_goes_into_streamlits_own_page() -> None:
    page = STREAMLIT_PAGE.read_bytes()
    out = with_shell(page, "<main>words</main>", "es").decode()
    assert '<div id="root"><main>words</main></div>' in out
    assert '<html lang="es">' in out and STYLE in out.split("</head>")[0]
    # Anything else is left as it is.
    assert with_shell(b"<html><body>other</body></html>", "<main>", "es") == (
        b"<html><body>other</body></html>"
    )


def test_the_shell_has_no_script_and_no_inline_handler() -> None:
    text = shell(load_questionnaire(), load_clinic(), "es") + STYLE
    assert "<script" not in text and "onload" not in text and "javascript:" not in text
