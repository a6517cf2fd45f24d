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
    name = _checked_name(form, problems)
    raw_phone, phone = _checked_phone(form, problems)
    raw_email, email = _checked_email(form, problems)
    if not raw_phone and not raw_email:
        problems.append(_problem("C103", "phone", "give a phone number, an e-mail address or both"))
    way, time = _checked_choices(form, raw_phone, raw_email, problems)
    note = _text(form, "note", keep_newlines=True).strip()
    if len(note) > NOTE_MAX:
        problems.append(_problem("C105", "note", f"longer than {NOTE_MAX} characters"))
    if form.get("consent") is not True:
        problems.append(_problem("C104", "consent", "the consent box is not ticked"))
    if problems:
        raise ContactError(problems)
    return ContactRequest(name=name, phone=phone, email=email, way=way, time=time, note=note)


def _problem(code: str, field: str, message: str) -> Problem:
    return Problem(code, message, field=field)


def _checked_name(form: Mapping[str, object], problems: list[Problem]) -> str:
    name = " ".join(_text(form, "name").split())
    if not name:
        problems.append(_problem("C100", "name", "no name given"))
    elif len(name) > NAME_MAX:
        problems.append(_problem("C105", "name", f"longer than {NAME_MAX} characters"))
    return name


def _checked_phone(form: Mapping[str, object], problems: list[Problem]) -> tuple[str, str | None]:
    """What was typed (spaces collapsed) and the number in E.164, if it is one."""
    raw = " ".join(_text(form, "phone").split())
    if len(raw) > PHONE_MAX:
        problems.append(_problem("C105", "phone", f"longer than {PHONE_MAX} characters"))
        return raw, None
    phone = _phone(raw) if raw else None
    if raw and phone is None:
        problems.append(_problem("C101", "phone", "not a valid phone number"))
    return raw, phone


def _checked_email(form: Mapping[str, object], problems: list[Problem]) -> tuple[str, str | None]:
    """What was typed and the address as email-validator normalises it, if it is one."""
    raw = _text(form, "email").strip()
    if len(raw) > EMAIL_MAX:
        problems.append(_problem("C105", "email", f"longer than {EMAIL_MAX} characters"))
        return raw, None
    if not raw:
        return raw, None
    try:
        return raw, validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        problems.append(_problem("C102", "email", f"not a valid e-mail address: {exc}"))
        return raw, None


def _checked_choices(
    form: Mapping[str, object], raw_phone: str, raw_email: str, problems: list[Problem]
) -> tuple[str | None, str | None]:
    """The way to reach the person and the time of day, each one of its options or None."""
    choices: dict[str, str | None] = {}
    for key, allowed in (("way", WAYS), ("time", TIMES)):
        try:
            choices[key] = _choice(form, key, allowed)
        except ValueError as exc:
            choices[key] = None
            problems.append(_problem("C107", key, str(exc)))
    way = choices["way"]
    needs = {"call": raw_phone, "text": raw_phone, "email": raw_email}
    if way is not None and (raw_phone or raw_email) and not needs[way]:
        message = f"'{way}' needs the matching phone number or e-mail address"
        problems.append(_problem("C106", "way", message))
    return way, choices["time"]


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


def readable_phone(stored: str) -> str:
    """A stored number (+digits) as a person reads it aloud or dials it from a desk phone:
    "(806) 555-0123" within the country code, "+44 20 7946 0000" abroad; anything else
    unchanged."""
    number = _valid_number(stored)
    if number is None:
        return stored
    # Dialled the same way from here (the US and Canada share +1): the national form.
    home = number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION)
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if home else style.INTERNATIONAL)


def _valid_number(raw: str) -> phonenumbers.PhoneNumber | None:
    """The number a person typed (or one stored), read in the clinic's country; None if it is
    not a number that can be dialled."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _phone(raw: str) -> str | None:
    number = _valid_number(raw)
    if number is None:
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
