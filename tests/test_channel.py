"""utm_* values from the address bar: kept only in a safe, short form; everything else dropped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.records.channel import DIRECT, KEYS, MAX_LENGTH, Channel, clean, read_channel

SAFE = re.compile(r"[A-Za-z0-9_.\-]([A-Za-z0-9 _.\-]*[A-Za-z0-9_.\-])?")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, DIRECT),
        (
            {"utm_source": "facebook", "utm_medium": "social", "utm_campaign": "spring_2025"},
            Channel("facebook", "social", "spring_2025", None),
        ),
        ({"utm_source": ["flyer", "other"]}, Channel(utm_source="flyer")),
        ({"utm_source": ["", "  ", "qr-code"]}, Channel(utm_source="qr-code")),
        ({"utm_content": '=HYPERLINK("http://x")'}, Channel(utm_content="HYPERLINKhttpx")),
        ({"utm_source": "<script>alert(1)</script>"}, Channel(utm_source="scriptalert1script")),
        ({"utm_campaign": "  two   words\t"}, Channel(utm_campaign="two words")),
        ({"utm_source": "¡Hola!"}, Channel(utm_source="Hola")),
        ({"utm_source": "!!!"}, DIRECT),
        ({"utm_source": "a" * 500}, Channel(utm_source="a" * MAX_LENGTH)),
        ({"gclid": "abc", "fbclid": "x", "answers": "yes", "lang": "es"}, DIRECT),
        ({"utm_source": 5, "utm_medium": None, "utm_term": "dropped"}, DIRECT),
    ],
    ids=[
        "none",
        "three",
        "list-first",
        "list-first-non-blank",
        "formula",
        "markup",
        "spaces",
        "accents",
        "nothing-left",
        "cut",
        "unknown-keys",
        "wrong-types",
    ],
)
def test_read_channel(params: dict[str, Any], expected: Channel) -> None:
    assert read_channel(params) == expected


def test_as_dict_names_the_four_utm_keys() -> None:
    assert list(Channel("a", "b", "c", "d").as_dict()) == list(KEYS)


@given(st.dictionaries(st.sampled_from([*KEYS, "other"]), st.text() | st.lists(st.text())))
def test_whatever_comes_in_what_is_kept_is_short_and_safe(params: dict[str, Any]) -> None:
    for value in read_channel(params).as_dict().values():
        assert value is None or (len(value) <= MAX_LENGTH and SAFE.fullmatch(value))


@given(st.text())
def test_clean_is_idempotent(value: str) -> None:
    assert clean(clean(value)) == clean(value)
