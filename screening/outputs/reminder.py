"""'Remind me to check again': a calendar file (.ics, RFC 5545) made on the spot.

Pure and deterministic: the date is passed in, and the same inputs give the same bytes. Nothing
about the person goes into the file (no answers, no name, no contact details), and nothing is
kept: the page hands the bytes to the browser as a download.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

from ..questionnaire.models import Text, UiTexts
from ..questionnaire.rules import Result

# About three months: linked movements often show up 3 to 4 months or later after a palsy.
REMIND_AFTER = timedelta(days=91)
FILE_NAME = "check-again.ics"
MEDIA_TYPE = "text/calendar"
PRODID = "-//Facial movement self-check//Reminder//EN"
_MAX_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
_REMIND_TIERS = ("info",)
_REMIND_REASONS = ("early",)
# An emergency or urgent result leads with what to do now; a reminder would distract from it.
_NEVER_TIERS = ("emergency", "urgent")


def offers_reminder(result: Result) -> bool:
    """Whether a result offers 'Remind me to check again' (info results, and any early one)."""
    if result.tier in _NEVER_TIERS:
        return False
    return result.tier in _REMIND_TIERS or any(r in _REMIND_REASONS for r in result.reasons)


def remind_date(today: date) -> date:
    """The day of the reminder: about three months after `today`."""
    return today + REMIND_AFTER


def build_ics(url: str, lang: str, today: date, clinic_name: str, texts: UiTexts) -> bytes:
    """A calendar with one all-day event about three months ahead that links to the check."""
    lang = "es" if lang == "es" else "en"
    # Only the language travels in the link: the person comes back to the check in theirs.
    base = clean_url(url)
    link = base + ("?lang=es" if lang == "es" else "")
    start = remind_date(today)
    summary = _fill(texts.remind_summary, lang, clinic_name)
    description = f"{_fill(texts.remind_description, lang, clinic_name)}\n{link}"
    uid = hashlib.sha256(f"{start.isoformat()} {base}".encode()).hexdigest()[:32]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@self-check",
        f"DTSTAMP:{today:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}",
        f"SUMMARY;LANGUAGE={lang}:{_escape(summary)}",
        f"DESCRIPTION;LANGUAGE={lang}:{_escape(description)}",
        f"URL;VALUE=URI:{link}",
        "CLASS:PRIVATE",  # a shared calendar shows it as busy, not what it is about
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER;RELATED=START:PT9H",  # 9 in the morning of that day
        f"DESCRIPTION;LANGUAGE={lang}:{_escape(summary)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"".join(_fold(line) + b"\r\n" for line in lines)


def clean_url(url: str) -> str:
    """The link to the check without query or fragment (so no state can leak into a calendar)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise ValueError("the link must not contain spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("the link must be an http(s) address")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _fill(text: Text, lang: str, clinic_name: str) -> str:
    # Only {clinic_name} is known here; the loader refuses any other placeholder name.
    return text.get(lang).replace("{clinic_name}", clinic_name.strip())


def _escape(value: str) -> str:
    """RFC 5545 TEXT escaping (3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def _fold(line: str) -> bytes:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    chunks: list[bytes] = []
    current = b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > _MAX_OCTETS:
            chunks.append(current)
            current = b" "
        current += encoded
    chunks.append(current)
    return b"\r\n".join(chunks)
