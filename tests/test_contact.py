"""The contact form: valid forms normalised, every problem reported with its code at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.errors import CATALOGUE, ContactError
from screening.questionnaire.models import LANGUAGES, Clinic, Questionnaire, Text, UiTexts
from screening.records.contact import (
    NAME_MAX,
    NOTE_MAX,
    TIMES,
    WAYS,
    ContactRequest,
    consent_text,
    consent_version,
    message_for,
    offers_contact_form,
    readable_phone,
    validate_contact,
)

GOOD: dict[str, Any] = {"name": "Ana Díaz", "phone": "806-503-2090", "consent": True}


def form(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def codes(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ContactError) as caught:
        validate_contact(data)
    return sorted((p.code, p.field) for p in caught.value.problems)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (GOOD, ContactRequest("Ana Díaz", "+18065032090", None, None, None, "")),
        (
            form(phone="(806) 503 2090", way="text", time="evening", note="  after 5 pm \n"),
            ContactRequest("Ana Díaz", "+18065032090", None, "text", "evening", "after 5 pm"),
        ),
        (
            form(phone="", email="Ana.Diaz@Example.COM", way="email"),
            ContactRequest("Ana Díaz", None, "Ana.Diaz@example.com", "email", None, ""),
        ),
        (
            form(phone="+44 20 7946 0958", email="ana@example.org", way="", time=None),
            ContactRequest("Ana Díaz", "+442079460958", "ana@example.org", None, None, ""),
        ),
        (
            form(name="  Ana \t  Díaz\n", note="Line one\r\nLine two\x00\x07"),
            ContactRequest("Ana Díaz", "+18065032090", None, None, None, "Line one\nLine two"),
        ),
    ],
    ids=["phone-only", "spaced-phone-text-evening", "email-only", "international-both", "cleaned"],
)
def test_valid_forms_are_normalised(data: dict[str, Any], expected: ContactRequest) -> None:
    assert validate_contact(data) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (form(name=""), [("C100", "name")]),
        (form(name=" \u200b\t "), [("C100", "name")]),
        (form(phone="555-1234"), [("C101", "phone")]),
        (form(phone="call me maybe"), [("C101", "phone")]),
        (form(phone="", email="ana@"), [("C102", "email")]),
        (form(phone="", email="ana@localhost"), [("C102", "email")]),
        (form(phone="", email=""), [("C103", "phone")]),
        (form(phone=None), [("C103", "phone")]),
        (form(consent=False), [("C104", "consent")]),
        (form(consent=None), [("C104", "consent")]),
        (form(consent="yes"), [("C104", "consent")]),
        (form(name="A" * (NAME_MAX + 1)), [("C105", "name")]),
        (form(note="x" * (NOTE_MAX + 1)), [("C105", "note")]),
        (form(phone="1" * 31), [("C105", "phone")]),
        (form(email="a" * 250 + "@example.com"), [("C105", "email")]),
        (form(way="email"), [("C106", "way")]),
        (form(phone="", email="ana@example.org", way="call"), [("C106", "way")]),
        (form(way="fax"), [("C107", "way")]),
        (form(time="midnight"), [("C107", "time")]),
    ],
    ids=lambda value: None if isinstance(value, dict) else value[0][0],
)
def test_a_bad_form_is_refused_with_its_code(
    data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(data) == expected


def test_every_problem_is_reported_at_once() -> None:
    data = {"name": "", "phone": "12", "email": "x@", "way": "fax", "time": "noon", "note": ""}
    assert codes(data) == [
        ("C100", "name"),
        ("C101", "phone"),
        ("C102", "email"),
        ("C104", "consent"),
        ("C107", "time"),
        ("C107", "way"),
    ]


def test_names_of_any_length_up_to_the_limit_pass() -> None:
    assert validate_contact(form(name="A" * NAME_MAX)).name == "A" * NAME_MAX


def test_a_field_that_is_not_text_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        validate_contact(form(phone=8065032090))


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.text(max_size=120),
            "phone": st.text(max_size=40),
            "email": st.text(max_size=60),
            "way": st.sampled_from([*WAYS, "", "other"]),
            "time": st.sampled_from([*TIMES, "", "other"]),
            "note": st.text(max_size=600),
            "consent": st.sampled_from([True, False, None]),
        },
    )
)
def test_any_typed_form_is_either_valid_or_refused_with_catalogued_codes(
    data: dict[str, Any],
) -> None:
    try:
        request = validate_contact(data)
    except ContactError as exc:
        assert exc.problems
        assert all(p.code.startswith("C1") and p.code in CATALOGUE for p in exc.problems)
        return
    assert data.get("consent") is True
    assert 0 < len(request.name) <= NAME_MAX and len(request.note) <= NOTE_MAX
    assert request.phone or request.email
    assert request.phone is None or re.fullmatch(r"\+[1-9][0-9]{6,14}", request.phone)
    assert not any(ch in request.name + request.note for ch in "\x00\r\t")


# The tier decides the form


@pytest.mark.parametrize(
    ("tier", "offered"),
    [("emergency", False), ("urgent", False), ("soon", True), ("consult", True), ("info", True)],
)
def test_no_contact_form_on_emergency_and_urgent_results(
    questionnaire: Questionnaire, tier: str, offered: bool
) -> None:
    assert offers_contact_form(questionnaire.tier(tier)) is offered


# Texts


def test_every_contact_code_has_a_message_in_every_language(questionnaire: Questionnaire) -> None:
    contact_codes = [code for code in CATALOGUE if code.startswith("C")]
    assert contact_codes
    for code in contact_codes:
        text = message_for(questionnaire.ui, code)
        assert all(text.get(lang) for lang in LANGUAGES)
    error_fields = {f for f in UiTexts.model_fields if f.startswith("contact_error_")}
    named = {f"contact_error_{CATALOGUE[code][0]}" for code in contact_codes}
    assert error_fields == named  # no message without a code, no code without a message


def test_the_form_offers_a_text_for_every_way_and_time(questionnaire: Questionnaire) -> None:
    for option in [f"contact_way_{w}" for w in WAYS] + [f"contact_time_{t}" for t in TIMES]:
        assert isinstance(getattr(questionnaire.ui, option), Text)


def test_the_consent_text_names_the_clinic_and_its_version_follows_the_wording(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    english, spanish = (consent_text(questionnaire, clinic, lang) for lang in ("en", "es"))
    assert clinic.name in english and clinic.name in spanish
    assert "{" not in english + spanish
    assert re.fullmatch(r"[0-9a-f]{12}", consent_version(english))
    assert consent_version(english) == consent_version(english)
    assert consent_version(english) != consent_version(spanish)
    assert consent_version(english) != consent_version(english + " ")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+18065550123", "(806) 555-0123"),
        ("+442079460000", "+44 20 7946 0000"),
        ("+525512345678", "+52 55 1234 5678"),
        ("not a number", "not a number"),
        ("+1", "+1"),
    ],
)
def test_a_stored_number_reads_as_people_write_it(stored: str, shown: str) -> None:
    assert readable_phone(stored) == shown


@given(st.from_regex(r"\+1(2[0-9]{2}|[3-9][0-9]{2})[2-9][0-9]{6}", fullmatch=True))
def test_a_readable_number_dials_the_same_number(stored: str) -> None:
    from screening.outputs.summary import tel_link

    shown = readable_phone(stored)
    if shown != stored:  # a valid number: the digits shown are the stored ones
        assert tel_link("+1" + shown) == "tel:" + stored
