"""Hostile visitors: anything in the address and anything typed into the contact form.

Property-based (Hypothesis): arbitrary Unicode, control characters, HTML, Markdown, very long
and repeated parameters. The app never raises, nothing a visitor supplied is rendered on the
page (as HTML, Markdown or plain text), and what is stored stays within its limits.
"""

from __future__ import annotations

import os
import re
import secrets
from collections import Counter
from typing import Any

import pytest
from apptest_support import APP, app_env, click, consult, db_rows  # noqa: F401  (app_env is an autouse fixture)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from screening.records.channel import KEYS, MAX_LENGTH
from screening.records.contact import EMAIL_MAX, NAME_MAX, NOTE_MAX
from web.selfcheck import state

MARK = "Qz7xv"  # in every hostile value, so any echo of it on the page is found
TRIED: Counter[str] = Counter()

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="http://tracker.example/p.png" onerror="alert(1)">',
    "![x](http://tracker.example/p.png)",
    "[click me](javascript:alert(1))",
    "**bold** _it_ `code` # heading\n> quote\n- list",
    ":red[colour] $x^2$ :smile:",
    "${7*7} {{7*7}} {clinic_phone} %s %(x)s",
    "\x00\x01\x07\x1b[31m\u202e\u200b\ufeff\r\n\t",
    "'; DROP TABLE contact_requests; --",
    '=HYPERLINK("http://evil.example")',
    "Ñandú 你好 😀 \U0001f3f3\ufe0f\u200d\U0001f308",
]
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])),
    st.sampled_from(PAYLOADS),
    st.builds(lambda s, n: s * n, st.sampled_from(["A", "<b>", "é", "*"]), st.integers(1, 9000)),
).map(lambda text: f"{MARK}{text}")
param_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=30))
query = st.dictionaries(
    st.sampled_from(["lang", *KEYS, "page", "embed", "step", "answers"]) | st.text(max_size=12),
    param_value,
    max_size=8,
)


def shown(at: AppTest) -> str:
    """Every element's content except the values inside input widgets."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None and kind not in ("text_input", "text_area"):
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return "\n".join(found)


SAFE_UTM = re.compile(rf"[A-Za-z0-9 _.\-]{{1,{MAX_LENGTH}}}")


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(params=query)
def test_any_address_opens_the_check_and_is_never_shown(params: dict[str, Any]) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert MARK not in shown(at)
    assert [b.key for b in at.button] == ["nav.start"]  # the welcome page, whatever was asked
    click(at, "nav.start")
    assert MARK not in shown(at)
    TRIED["query strings"] += 1
    for event in db_rows()[0]:
        assert event["lang"] in ("en", "es")
        for key in KEYS:
            assert event[key] is None or SAFE_UTM.fullmatch(event[key]), event[key]


_AT: dict[str, AppTest] = {}


def result_page() -> AppTest:
    """One session on a consult result, reused by every example (reaching it takes 15 runs)."""
    if "at" not in _AT:
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
        _AT["at"] = consult(at)
    return _AT["at"]


# Mostly forms that pass validation, so hostile text also reaches the database.
short_text = st.one_of(st.text(max_size=60), st.sampled_from(PAYLOADS)).map(lambda t: MARK + t)
phones = st.sampled_from([0, 1, 2, 3]).flatmap(
    lambda n: st.sampled_from(["806-555-0199", "+44 20 7946 0958"]) if n else hostile_text
)
emails = st.sampled_from([0, 1, 2, 3]).flatmap(
    lambda n: st.sampled_from(["ana@example.org", ""]) if n else hostile_text
)


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    name=st.one_of(short_text, short_text, hostile_text),
    phone=phones,
    email=emails,
    note=st.one_of(st.just(""), short_text, hostile_text),
    way=st.sampled_from([None, "call", "text", "email"]),
    consent=st.sampled_from([True, True, True, False]),
)
def test_any_contact_form_is_refused_or_stored_within_limits(
    name: str, phone: str, email: str, note: str, way: str | None, consent: bool
) -> None:
    at = result_page()
    at.session_state[state.CONTACT_DONE] = None  # a fresh form, as in a new tab
    at.session_state[state.CONTACT_KEY] = secrets.token_hex(16)
    at.session_state[state.TAB] = secrets.token_hex(16)  # (a tab may send 3 per hour)
    at.session_state[state.CONTACT_LIMITED] = False
    at.run()
    at.text_input(key="contact.name").set_value(name)
    at.text_input(key="contact.phone").set_value(phone)
    at.text_input(key="contact.email").set_value(email)
    at.text_area(key="contact.note").set_value(note)
    at.radio(key="contact.method").set_value(way)
    at.checkbox(key="contact.consent").set_value(consent)
    at.button(key="contact.submit").click().run()
    assert not at.exception
    assert MARK not in shown(at)
    stored = at.session_state[state.CONTACT_DONE] is not None
    TRIED["contact forms stored" if stored else "contact forms refused"] += 1
    rows = db_rows()[2]
    assert len(rows) == TRIED["contact forms stored"]
    for row in rows:
        assert 0 < len(row["name"]) <= NAME_MAX and len(row["note"]) <= NOTE_MAX
        assert row["phone"] is None or re.fullmatch(r"\+[1-9][0-9]{6,14}", row["phone"])
        assert row["email"] is None or len(row["email"]) <= EMAIL_MAX
        assert not any(ord(ch) < 32 and ch != "\n" for ch in row["name"] + row["note"])


def test_hostile_queries_and_forms_were_tried() -> None:
    # Runs after the properties above (file order): the properties really tried hostile query
    # strings and contact forms; the line printed is SECURITY.md's figure.
    if not TRIED:
        pytest.skip("the properties did not run")
    forms = TRIED["contact forms refused"] + TRIED["contact forms stored"]
    assert TRIED["query strings"] > 0 and forms > 0
    print(
        f"\n[hostile input] {TRIED['query strings']} hostile query strings and {forms} hostile "
        f"contact forms ({TRIED['contact forms stored']} valid and stored within the limits, "
        f"{TRIED['contact forms refused']} refused): no exception, nothing shown back"
    )
