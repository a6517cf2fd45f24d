"""The contact form on the result page: checked and normalised, or every problem with its code.

Pure apart from the two validation libraries (no DNS look-ups). Nothing here stores anything:
a ContactRequest exists only when the whole form is valid and the consent box is ticked.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from ..errors import CATALOGUE, ContactError, Problem
from ..outputs.summary import fill
from ..questionnaire.models import Clinic, Questionnaire, Text, Tier, UiTexts

WAYS: tuple[str, ...] = ("call", "text", "email")  # ui.contact_way_<way>
TIMES: tuple[str, ...] = ("morning", "afternoon", "evening", "any")  # ui.contact_time_<time>
FIELDS: tuple[str, ...] = ("name", "phone", "email", "way", "time", "note", "consent")
# Limits the widgets should show too (max_chars); the database columns are as wide.
NAME_MAX = 100
PHONE_MAX = 30
EMAIL_MAX = 254
NOTE_MAX = 500
DEFAULT_REGION = "US"  # numbers written without +country code


@dataclass(frozen=True)
class ContactRequest:
    """A valid contact form: what the person typed, normalised."""

    name: str
    phone: str | None  # E.164, e.g. +18065032090
    email: str | None  # normalised by email-validator (domain in lower case)
    way: str | None  # one of WAYS
    time: str | None  # one of TIMES
    note: str  # may be empty


def offers_contact_form(tier: Tier) -> bool:
    """False on emergency and urgent results: those people must act now, not wait for a call."""
    return not (tier.call_emergency or tier.interrupts or tier.ends_questionnaire)


def validate_contact(form: Mapping[str, object]) -> ContactRequest:
    """Check a submitted form (keys of FIELDS); raise ContactError with every problem found."""
    problems: list[Problem] = []

    def problem(code: str, field: str, message: str) -> None:
        problems.append(Problem(code, message, field=field))

    name = " ".join(_text(form, "name").split())
    if not name:
        problem("C100", "name", "no name given")
    elif len(name) > NAME_MAX:
        problem("C105", "name", f"longer than {NAME_MAX} characters")

    raw_phone = " ".join(_text(form, "phone").split())
    phone = None
    if len(raw_phone) > PHONE_MAX:
        problem("C105", "phone", f"longer than {PHONE_MAX} characters")
    elif raw_phone:
        phone = _phone(raw_phone)
        if phone is None:
            problem("C101", "phone", "not a valid phone number")

    raw_email = _text(form, "email").strip()
    email = None
    if len(raw_email) > EMAIL_MAX:
        problem("C105", "email", f"longer than {EMAIL_MAX} characters")
    elif raw_email:
        try:
            email = validate_email(raw_email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            problem("C102", "email", f"not a valid e-mail address: {exc}")

    if not raw_phone and not raw_email:
        problem("C103", "phone", "give a phone number, an e-mail address or both")

    choices: dict[str, str | None] = {}
    for key, allowed in (("way", WAYS), ("time", TIMES)):
        try:
            choices[key] = _choice(form, key, allowed)
        except ValueError as exc:
            choices[key] = None
            problem("C107", key, str(exc))
    way, time = choices["way"], choices["time"]
    needs = {"call": raw_phone, "text": raw_phone, "email": raw_email}
    if way is not None and (raw_phone or raw_email) and not needs[way]:
        problem("C106", "way", f"'{way}' needs the matching phone number or e-mail address")

    note = _text(form, "note", keep_newlines=True).strip()
    if len(note) > NOTE_MAX:
        problem("C105", "note", f"longer than {NOTE_MAX} characters")

    if form.get("consent") is not True:
        problem("C104", "consent", "the consent box is not ticked")

    if problems:
        raise ContactError(problems)
    return ContactRequest(name=name, phone=phone, email=email, way=way, time=time, note=note)


def message_for(ui: UiTexts, code: str) -> Text:
    """The person-facing text of a contact form problem code (ui.contact_error_<name>)."""
    text = getattr(ui, f"contact_error_{CATALOGUE[code][0]}")
    assert isinstance(text, Text)
    return text


def consent_text(q: Questionnaire, clinic: Clinic, lang: str, guardian: bool = False) -> str:
    """The consent box's text exactly as shown in `lang` (a parent's or guardian's for a child)."""
    text = q.ui.contact_consent_guardian if guardian else q.ui.contact_consent
    return fill(q, clinic, text, lang)


def consent_version(text: str) -> str:
    """A short hash of the consent text shown: any change to the wording is a new version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _phone(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _text(form: Mapping[str, object], key: str, *, keep_newlines: bool = False) -> str:
    """A text field without control characters (they break exports, and PostgreSQL refuses NUL)."""
    value = form.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"form field {key!r} must be text, not {type(value).__name__}")
    return "".join(_clean(ch, keep_newlines) for ch in value.replace("\r\n", "\n"))


def _clean(ch: str, keep_newlines: bool) -> str:
    if ch == "\n" and keep_newlines:
        return ch
    if ch.isspace():
        return " "
    return "" if unicodedata.category(ch).startswith("C") else ch


def _choice(form: Mapping[str, object], key: str, allowed: tuple[str, ...]) -> str | None:
    """The chosen option, None when none was chosen; ValueError when it is not an option."""
    value = form.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}")
    return value
