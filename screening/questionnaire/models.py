"""Frozen data models of the questionnaire (questions.yaml) and the clinic (clinic.yaml).

Everything is frozen and forbids unknown keys: a typo in a content file is an error, never a
silently ignored setting. The models are shared by every visitor, so they must never change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WrapSerializer

LANGUAGES: tuple[str, ...] = ("en", "es")
Language = Literal["en", "es"]
Identifier = str  # lower-case ids; the loader checks their form

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
# A web origin with nothing that could break out of an HTTP header: scheme, host, port.
Origin = Annotated[str, Field(pattern=r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?$", max_length=200)]




def _time_zone(value: str) -> str:
    # ZoneInfo reads the IANA database (the system's, else the pinned tzdata package).
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"not a time zone name like America/Chicago: {value!r}") from None
    return value


# An IANA time zone name, e.g. America/Chicago: staff see times in the clinic's own time.
TimeZone = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+/-]+$"),
    AfterValidator(_time_zone),
]

V = TypeVar("V")
# A read-only mapping: the loaded questionnaire is shared by every visitor, so even its
# dictionaries must refuse changes (a frozen model alone would still let a dict be edited).
FrozenMap = Annotated[
    Mapping[str, V],
    AfterValidator(lambda m: MappingProxyType(dict(m))),
    WrapSerializer(lambda m, to_data: to_data(dict(m))),
]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Text(Frozen):
    """A patient-facing text in every language the product speaks."""

    en: str = Field(min_length=1)
    es: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in `lang`, English when that language is unknown."""
        return self.es if lang == "es" else self.en


class Option(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    text: Text
    points: int | None = Field(default=None, ge=0, le=10)


class Scale(Frozen):
    options: tuple[Option, ...] = Field(min_length=2)


class SignCount(Frozen):
    """How many movement answers reach a level; names refer to thresholds."""

    level: str
    count: str
    key_only: bool = False


class Condition(Frozen):
    """One test on the answers. Exactly one form is used per condition (the loader checks)."""

    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    question: str | None = None
    is_: tuple[str, ...] | None = Field(default=None, alias="is")
    is_not: tuple[str, ...] | None = None
    at_least: str | None = None
    score_at_least: str | None = None
    signs: SignCount | None = None

    def questions(self) -> Iterator[str]:
        """Every question id this condition reads, depth first."""
        if self.question is not None:
            yield self.question
        for child in (self.all or ()) + (self.any or ()):
            yield from child.questions()


class Illustration(Frozen):
    """A picture of a movement: an SVG under assets/illustrations/ and its alt text."""

    file: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*\.svg$")
    alt: Text  # what the picture shows, in plain words


class Question(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    text: Text
    short: Text  # a few words naming the question on the result page and summaries
    help: Text | None = None
    scale: str | None = None
    options: tuple[Option, ...] = ()
    multiple: bool = False
    exclusive: tuple[str, ...] = ()  # options that cannot be combined with others
    required: bool = True
    show_if: Condition | None = None
    sign: bool = False  # a movement that counts towards the score
    key_sign: bool = False  # one of the signs the clinic names as key
    try_it: Text | None = None  # a one-line "try it now" prompt (every sign has one)
    illustration: Illustration | None = None  # every sign has one
    # The movement the phone's camera aid guides and measures for this question (web/selfcheck/
    # mirror.py); None: no camera aid. Its measurements never reach the rules.
    mirror: Literal["smile", "talk", "pucker", "close_eyes"] | None = None

    def option(self, option_id: str) -> Option | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


class Step(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    intro: Text | None = None
    show_if: Condition | None = None  # a step for some people only; tests earlier answers
    questions: tuple[Question, ...] = Field(min_length=1)


class Threshold(Frozen):
    value: int | str
    basis: str = Field(min_length=10)  # where the number comes from: evidence or product choice


class Tier(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    headline: Text
    summary: Text
    actions: tuple[Text, ...] = Field(min_length=1)
    interrupts: bool = False  # stops the questionnaire the moment it applies
    ends_questionnaire: bool = False  # stops after the step in which it applies
    call_emergency: bool = False  # lead with a tap-to-call emergency number
    contact_clinic: bool = False  # show the clinic's contact details (tap-to-call)
    show_topics: bool = False  # show what a visit with the clinic can cover
    clinic_intro: Text | None = None  # said before the clinic's contact (e.g. "your doctor first")
    if_worse: Text  # what to do if things get worse: each tier its own (emergency: only now)


class Reason(Frozen):
    text: Text
    # The result is read by a parent or guardian (the check is about a child): the page says so
    # first and the contact form asks for the guardian's details and consent.
    addresses_guardian: bool = False


class Rule(Frozen):
    reason: str
    tier: str | None = None  # None: a note that changes wording but not the tier
    when: Condition
    with_tier: tuple[str, ...] | None = None  # a note given only when the result is one of these


class Fallback(Frozen):
    tier: str
    reason: str


class MirrorTexts(Frozen):
    """The camera aid on movement questions: "use my camera as a mirror" (web/selfcheck/mirror.py).
    Every sentence is read on a phone held at arm's length: short and plain."""

    open: Text  # the switch that opens it
    open_note: Text  # with {size}: what it loads, and that the picture stays on the phone
    loading: Text
    allow: Text  # while the browser asks for the camera
    start: Text  # begins the guide once the person sees themselves
    rest: Text
    smile: Text
    talk: Text
    pucker: Text
    close_eyes: Text
    hold: Text  # while it measures
    at_rest: Text
    moving: Text
    right_eye: Text
    left_eye: Text
    # The eye-closure step's picture: the mouth at rest and with the eyes closed
    eyes_closed: Text
    right_side: Text
    left_side: Text
    eyes_same: Text
    right_eye_smaller: Text
    left_eye_smaller: Text
    mouth_same: Text
    right_corner_higher: Text
    left_corner_higher: Text
    not_diagnosis: Text
    share: Text  # sends the measured numbers (never the picture) to the summary
    shared: Text
    again: Text
    no_camera: Text
    denied: Text
    no_face: Text
    too_dark: Text
    failed: Text
    # On the summary PDF and the staff record
    record_title: Text
    record_note: Text


class UiTexts(Frozen):
    """Every text of the screens around the questions."""

    page_title: Text
    share_description: Text  # what a link preview (Open Graph) says under the title
    welcome_title: Text
    welcome_body: Text
    welcome_not: Text
    accessibility_help: Text  # with {accessibility_phone}, when clinic.yaml gives one
    welcome_time: Text
    privacy_note: Text
    privacy_note_kept: Text  # instead of privacy_note when clinic.yaml keeps anonymous answers
    run_by: Text
    language_label: Text
    start: Text
    next: Text
    back: Text
    see_result: Text
    restart: Text
    progress: Text
    required_missing: Text
    answer_this: Text
    choose_any: Text
    call_emergency: Text
    why_title: Text
    you_answered: Text
    todo_title: Text
    contact_title: Text
    call_clinic: Text
    text_clinic: Text
    book_online: Text
    address_label: Text
    hours_label: Text
    clinic_not_emergency: Text
    topics_title: Text
    not_diagnosis: Text
    change_answers: Text
    try_it_label: Text  # shown before a movement question's try_it prompt
    remind_button: Text
    remind_note: Text
    remind_summary: Text  # the calendar event's title
    remind_description: Text  # the calendar event's text; the link is added after it
    # The take-away summary (PDF) on consult, info and soon results (screening/outputs/report.py)
    summary_button: Text
    summary_note: Text  # under the button: what the file is, and that it is not kept
    summary_file: Text  # the file's name before "-YYYY-MM-DD.pdf"; plain ASCII
    summary_title: Text
    summary_intro: Text
    summary_date: Text
    summary_language: Text
    summary_language_name: Text  # the name of this language, in this language
    summary_result: Text
    summary_answers: Text
    summary_notes: Text  # a ruled space for the doctor's notes
    # The contact form on the result page (never on emergency or urgent results)
    contact_form_title: Text
    contact_form_intro: Text
    contact_name: Text
    contact_phone: Text
    contact_email: Text
    contact_need_one: Text
    contact_way: Text
    contact_way_call: Text
    contact_way_text: Text
    contact_way_email: Text
    contact_time: Text
    contact_time_morning: Text
    contact_time_afternoon: Text
    contact_time_evening: Text
    contact_time_any: Text
    contact_note: Text
    contact_consent: Text  # names the purpose; its version is a hash of the text shown
    contact_name_guardian: Text  # instead of contact_name when the check is about a child
    contact_consent_guardian: Text  # instead of contact_consent, likewise
    contact_send: Text
    contact_sent: Text
    contact_save_failed: Text
    contact_problems: Text  # above the list of problems after a refused Send
    # One per C1xx code in errors.CATALOGUE: contact_error_<short name>
    contact_error_name_missing: Text
    contact_error_phone_invalid: Text
    contact_error_email_invalid: Text
    contact_error_contact_missing: Text
    contact_error_consent_missing: Text
    contact_error_too_long: Text
    contact_error_way_mismatch: Text
    contact_error_choice_invalid: Text
    # Shown instead of saving once a visit or an address reached its contact requests per hour.
    contact_limit_reached: Text
    loading: Text  # in the page's HTML while the scripts load (web/page_shell.py)
    mirror: MirrorTexts
    reconnecting: Text  # at the top of the screen while the connection is down


class Questionnaire(Frozen):
    title: Text
    minutes: int = Field(ge=1, le=30)
    scales: FrozenMap[Scale]
    steps: tuple[Step, ...] = Field(min_length=1)
    thresholds: FrozenMap[Threshold]
    tiers: tuple[Tier, ...] = Field(min_length=1)  # highest first
    reasons: FrozenMap[Reason]
    rules: tuple[Rule, ...] = Field(min_length=1)
    fallback: Fallback
    consult_topics: tuple[Text, ...] = ()
    ui: UiTexts
    version: str = ""  # content hash, set by the loader

    def questions(self) -> Iterator[Question]:
        """All questions in the order they are asked."""
        for step in self.steps:
            yield from step.questions

    def question(self, question_id: str) -> Question:
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def tier(self, tier_id: str) -> Tier:
        for t in self.tiers:
            if t.id == tier_id:
                return t
        raise KeyError(tier_id)

    def tier_rank(self, tier_id: str) -> int:
        """0 for the highest (most urgent) tier."""
        return [t.id for t in self.tiers].index(tier_id)

    def signs(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions() if q.sign)

    def step_of(self, question_id: str) -> Step:
        """The step that asks a question."""
        for step in self.steps:
            if any(x.id == question_id for x in step.questions):
                return step
        raise KeyError(question_id)


class HoursLine(Frozen):
    days: Text
    time: Text


class Clinic(Frozen):
    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(min_length=7, max_length=30)
    text_number: str | None = None
    accessibility_phone: str | None = None
    email: str | None = None
    address: tuple[str, ...] = Field(min_length=1)
    hours: tuple[HoursLine, ...] = ()
    hours_note: Text | None = None
    booking_url: str = Field(pattern=r"^https://")
    website: str | None = Field(default=None, pattern=r"^https://")
    # Where this self-check is published (used in link previews, reminders and campaign links).
    public_url: str | None = Field(default=None, pattern=r"^https://")
    emergency_number: str = Field(default="911", pattern=r"^[0-9]{2,4}$")
    # Sites allowed to show the check inside a frame (CSP frame-ancestors); the app's own
    # address always may. Full origins only, e.g. https://www.example-clinic.com
    frame_ancestors: tuple[Origin, ...] = Field(default=(), max_length=10)
    languages: tuple[Language, ...] = ("en", "es")
    default_language: Language = "en"
    # Where the clinic is: the staff dashboard shows times in it (requests, call attempts).
    timezone: TimeZone = "UTC"
    # Keep completed screenings without name or contact; the privacy note must say so.
    store_anonymous_screenings: bool = True


def texts_of(model: BaseModel) -> list[tuple[str, Text]]:
    """Every patient-facing Text in a model with its field path (for drift and reading checks)."""
    found: list[tuple[str, Text]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Text):
            found.append((path, value))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, (tuple, list)):
            for i, item in enumerate(value):
                walk(item, f"{path}.{i}")
        elif isinstance(value, Mapping):  # the frozen maps (reasons, scales) are not dicts
            for key, item in value.items():
                walk(item, f"{path}.{key}")

    walk(model, "")
    return found
