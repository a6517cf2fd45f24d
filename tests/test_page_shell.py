"""web/site/page_shell.py without a server: the shell's words, escaping, and where it goes."""

from __future__ import annotations

import html
import re

import pytest

from screening.outputs.summary import fill
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
    # Every script of Streamlit's page, and only those, is asked for at low priority: the
    # stylesheet comes first and the shell is painted without waiting for the bundle.
    scripts = re.findall(r'<(?:script type="module"|link rel="modulepreload")[^>]*>', out)
    assert len(scripts) > 10 and all('fetchpriority="low"' in tag for tag in scripts)
    assert out.count('fetchpriority="low"') == len(scripts)
    assert '<link rel="stylesheet" crossorigin href=' in out  # untouched
    # Anything else is left as it is.
    assert with_shell(b"<html><body>other</body></html>", "<main>", "es") == (
        b"<html><body>other</body></html>"
    )


def test_the_shell_has_no_script_and_no_inline_handler() -> None:
    text = shell(load_questionnaire(), load_clinic(), "es") + STYLE
    assert "<script" not in text and "onload" not in text and "javascript:" not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_shell_carries_the_welcome_screens_first_paragraph(lang: str) -> None:
    q, clinic = load_questionnaire(), load_clinic()
    text = shell(q, clinic, lang)
    body = fill(q, clinic, q.ui.welcome_body, lang)
    assert f"<p>{html.escape(body)}</p>" in text
    # The emergency line comes before "loading" and the call link is in it.
    assert text.index("first-load-emergency") < text.index('role="status"')
