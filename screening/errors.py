"""One catalogue of content and input problems, each with a stable code.

Tests assert on codes, never on wording; docs/ERRORS.md documents every code (a drift test
keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> (short name, what it means / how to fix it). Codes never change meaning once shipped.
CATALOGUE: dict[str, tuple[str, str]] = {
    # Reading the file
    "E100": ("file_missing", "the file does not exist or cannot be read"),
    "E101": ("file_too_large", "the file is larger than the limit for content files"),
    "E102": ("yaml_syntax", "the YAML does not parse; look at the line named"),
    "E103": ("yaml_alias", "anchors and aliases (&name, *name) are not allowed in content files"),
    "E104": ("yaml_tag", "explicit tags (!!python/..., !custom) are not allowed in content files"),
    "E105": ("duplicate_key", "the same key appears twice in one mapping; the second would win"),
    "E106": ("not_a_mapping", "the file must hold a mapping (key: value) at the top"),
    "E107": ("too_deep", "the file nests deeper than any content file needs"),
    "E108": ("number_too_long", "a number is longer than any content file needs (30 characters)"),
    # Shape of the data
    "E200": ("unknown_key", "this key is not part of the format (a typo?)"),
    "E201": ("missing_field", "a required field is missing"),
    "E202": ("wrong_type", "the value has the wrong type or form"),
    "E203": ("missing_translation", "a text is missing in one of the languages"),
    # Questionnaire consistency
    "E300": ("duplicate_id", "two questions, steps or rules share one id"),
    "E301": ("duplicate_option", "two options of one question share one id"),
    "E302": ("unknown_question", "a rule or show_if names a question that does not exist"),
    "E303": ("forward_reference", "a show_if names a question that is asked later (or itself)"),
    "E304": ("unknown_option", "a rule or show_if names an option the question does not have"),
    "E305": ("unknown_scale", "a question names a scale that is not defined"),
    "E306": ("unknown_threshold", "a rule names a threshold that is not defined"),
    "E307": ("threshold_out_of_range", "a threshold value is outside its allowed range"),
    "E308": ("unknown_reason", "a rule gives a reason that has no text"),
    "E309": ("unused_reason", "a reason has a text but no rule gives it"),
    "E310": ("unknown_placeholder", "a text uses a {placeholder} the app does not fill"),
    "E311": ("contract_mismatch", "a question, option or reason the product relies on is missing"),
    "E312": ("missing_tier", "a tier has no texts, or a rule names an unknown tier"),
    "E313": ("bad_sign_scale", "a movement question must use the frequency scale with points"),
    "E314": (
        "missing_illustration",
        "a movement question needs a try_it prompt and an illustration (file and alt text)",
    ),
    "E315": ("unused_threshold", "a threshold is defined but no rule uses it"),
    # Answers given to the rules (command line and app)
    "A100": ("unknown_question", "an answer names a question that does not exist"),
    "A101": ("invalid_value", "an answer is not one of the question's options"),
    "A102": ("missing_answer", "a required question has no answer"),
    "A103": ("bad_input", "the answers input is not the expected JSON shape"),
    "A104": (
        "other_questionnaire",
        "a QuestionnaireResponse names another Questionnaire url or version",
    ),
    # The contact form on the result page (the person sees ui.contact_error_<name>)
    "C100": ("name_missing", "the contact form has no name"),
    "C101": ("phone_invalid", "not a valid phone number (read as US unless it starts with +)"),
    "C102": ("email_invalid", "the e-mail address is not valid"),
    "C103": ("contact_missing", "neither a phone number nor an e-mail address was given"),
    "C104": ("consent_missing", "the consent box was not ticked; nothing may be stored"),
    "C105": ("too_long", "a field is longer than its limit (see screening/records/contact.py)"),
    "C106": ("way_mismatch", "the chosen way to be contacted needs a phone number or e-mail"),
    "C107": ("choice_invalid", "the way or time to be contacted is not one of the options"),
}


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, which rule it breaks, and what to do."""

    code: str
    message: str
    file: str = ""
    line: int | None = None
    field: str = ""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown problem code {self.code}")

    @property
    def name(self) -> str:
        return CATALOGUE[self.code][0]

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place = f"{place}:{self.line}"
        parts = [p for p in (place, self.field) if p]
        head = ": ".join(parts)
        return f"{head}: {self.message} [{self.code}]" if head else f"{self.message} [{self.code}]"


class ContentError(Exception):
    """Raised when a content file (questions.yaml, clinic.yaml) has one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class AnswersError(Exception):
    """Raised when answers given to the rules are unknown, invalid or incomplete."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ContactError(Exception):
    """Raised when a contact form is incomplete or invalid; nothing of it may be stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LimitReached(Exception):
    """Raised when a contact request would pass the limit per visit or per address; nothing
    was stored (screening/records/storage/quotas.py)."""


class StorageError(Exception):
    """Raised when the database cannot be opened, read or written; tell the person plainly."""
