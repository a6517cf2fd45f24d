"""The questionnaire's shape without its texts or rules: steps, question ids, option ids in order,
which answer shows a question or a step, and which answers end the questionnaire.

The baseline app draws these screens; the load client uses the option order to pick an answer's
label. tests/test_bench_smoke.py checks that this table still matches questions.yaml and the
routing rules, so the baseline cannot drift from the real flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

# Set (to "1") in the baseline server's environment to draw each question in an st.fragment.
FRAGMENTS_ENV = "BENCH_BASELINE_FRAGMENTS"

YES_NO = ("yes", "no")
YES_NO_UNSURE = ("yes", "no", "unsure")
FREQUENCY = ("never", "rarely", "sometimes", "often", "always")
ONSETS = ("lt_3w", "3w_3m", "3_6m", "6_12m", "1_5y", "gt_5y")


class Shown(NamedTuple):
    question: str
    values: tuple[str, ...]


class Item(NamedTuple):
    id: str
    options: tuple[str, ...]
    show_if: Shown | None = None
    multiple: bool = False


class Page(NamedTuple):
    """A step: its id, its questions, and the answer that shows it (None: everyone)."""

    id: str
    items: tuple[Item, ...]
    show_if: Shown | None = None


PALSY = Shown("hx_palsy", ("yes", "unsure"))
RECENT = Shown("hx_onset", ONSETS[:2])  # a palsy under 3 months old
MOVEMENTS = Shown("hx_onset", ONSETS[1:])  # a palsy 3 weeks old or more

STEPS: tuple[Page, ...] = (
    Page(
        "emergency",
        (
            Item("rf_stroke_signs", ("no", "unsure", "past_2w", "past_24h", "now")),
            Item("rf_new_weakness", YES_NO_UNSURE),
            Item(
                "rf_new_weakness_checked",
                YES_NO_UNSURE,
                Shown("rf_new_weakness", ("yes", "unsure")),
            ),
            Item("rf_breathing", YES_NO_UNSURE),
        ),
    ),
    Page(
        "about_you",
        (
            Item("hx_age", ("lt_18", "18_39", "40_64", "65_plus")),
            Item("hx_palsy", YES_NO_UNSURE),
            Item("hx_onset", ONSETS, PALSY),
            Item("hx_seen_doctor", YES_NO, PALSY),
        ),
    ),
    Page(
        "recent",
        tuple(
            Item(qid, YES_NO_UNSURE)
            for qid in (
                "rf_ear_signs",
                "rf_other_nerves",
                "rf_both_sides",
                "rf_injury",
                "rf_pregnancy",
                "rf_infection",
            )
        ),
        RECENT,
    ),
    Page(
        "safety",
        tuple(
            Item(qid, YES_NO_UNSURE)
            for qid in (
                "rf_eye_danger",
                "rf_sudden_hearing",
                "rf_worsening",
                "rf_recurrence",
                "rf_lump",
                "rf_cancer",
            )
        ),
    ),
    Page(
        "history",
        (
            Item("hx_eye_closes", ("yes", "no_with_plan", "no", "unsure")),
            Item("hx_recovery", ("none", "some", "most", "full")),
            Item("hx_side", ("left", "right", "unsure")),
            Item("hx_treatment", ("none", "therapy", "botox", "surgery", "other"), None, True),
        ),
        PALSY,
    ),
    Page("no_palsy", (Item("nh_twitching", YES_NO_UNSURE),), Shown("hx_palsy", ("no",))),
    Page(
        "movements_eye",
        tuple(
            Item(qid, FREQUENCY)
            for qid in (
                "eye_narrows_smile",
                "eye_narrows_talk_chew",
                "eye_narrows_pucker",
                "cheek_lifts_eye_close",
                "eye_waters_eating",
            )
        ),
        MOVEMENTS,
    ),
    Page(
        "movements_mouth",
        tuple(
            Item(qid, FREQUENCY)
            for qid in ("neck_tightens", "neck_tightens_eye_close", "chin_dimples", "cheek_crease")
        ),
        MOVEMENTS,
    ),
    Page(
        "movements_feel",
        tuple(Item(qid, FREQUENCY) for qid in ("face_tight", "effort_to_move", "twitching")),
        MOVEMENTS,
    ),
)

# Answers that end the questionnaire at once (the emergency tier interrupts) ... The two for
# rf_new_weakness_checked hold after rf_new_weakness "yes" (after "unsure" they are urgent):
# the load mix never answers rf_new_weakness "unsure".
STOP_NOW = frozenset(
    {
        ("rf_stroke_signs", "now"),
        ("rf_stroke_signs", "past_24h"),
        ("rf_new_weakness_checked", "no"),
        ("rf_new_weakness_checked", "unsure"),
        ("rf_breathing", "yes"),
    }
)
# ... and answers that end it when Next leaves the step they are on (the urgent tier). One
# urgent rule needs two answers (a palsy under 3 weeks old that no doctor has seen): the load
# mix never gives that pair.
STOP_AFTER_STEP = frozenset(
    {
        ("rf_stroke_signs", "past_2w"),
        ("rf_stroke_signs", "unsure"),
        ("rf_breathing", "unsure"),
        *((item.id, "yes") for item in STEPS[2].items),  # every flag of the recent step
        ("rf_eye_danger", "yes"),
        ("rf_sudden_hearing", "yes"),
    }
)


def items() -> dict[str, Item]:
    """Every question by id."""
    return {item.id: item for page in STEPS for item in page.items}


def holds(shown: Shown | None, answers: Mapping[str, object]) -> bool:
    """Whether a question or a step with this show_if is shown, given the answers so far."""
    return shown is None or answers.get(shown.question) in shown.values


def movement_steps() -> tuple[Page, ...]:
    return tuple(page for page in STEPS if page.show_if == MOVEMENTS)
