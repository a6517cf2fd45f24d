"""The questionnaire's shape without its texts or rules: steps, question ids, option ids in order,
which answer shows a question, and which answers end the questionnaire.

The baseline app draws these screens; the load client uses the option order to pick an answer's
label. tests/test_bench_smoke.py checks that this table still matches questions.yaml and the
routing rules, so the baseline cannot drift from the real flow.
"""

from __future__ import annotations

from typing import NamedTuple

# Set (to "1") in the baseline server's environment to draw each question in an st.fragment.
FRAGMENTS_ENV = "BENCH_BASELINE_FRAGMENTS"

YES_NO = ("yes", "no")
FREQUENCY = ("never", "rarely", "sometimes", "often", "always")


class Shown(NamedTuple):
    question: str
    values: tuple[str, ...]


class Item(NamedTuple):
    id: str
    options: tuple[str, ...]
    show_if: Shown | None = None
    multiple: bool = False


PALSY = Shown("hx_palsy", ("yes", "unsure"))

STEPS: tuple[tuple[str, tuple[Item, ...]], ...] = (
    (
        "safety",
        (
            Item("rf_stroke_signs", YES_NO),
            Item("rf_new_weakness", YES_NO),
            Item("rf_new_weakness_checked", YES_NO, Shown("rf_new_weakness", ("yes",))),
            Item("rf_ear_signs", YES_NO),
            Item("rf_eye_danger", YES_NO),
            Item("rf_both_sides", YES_NO),
            Item("rf_worsening", YES_NO),
            Item("rf_recurrence", YES_NO),
            Item("rf_lump", YES_NO),
        ),
    ),
    (
        "history",
        (
            Item("hx_palsy", ("yes", "no", "unsure")),
            Item("hx_onset", ("lt_3m", "3_6m", "6_12m", "1_5y", "gt_5y"), PALSY),
            Item("hx_recovery", ("none", "some", "most", "full"), PALSY),
            Item("hx_side", ("left", "right", "unsure"), PALSY),
            Item("hx_treatment", ("none", "therapy", "botox", "surgery", "other"), PALSY, True),
        ),
    ),
    (
        "movements_eye",
        (
            Item("eye_narrows_smile", FREQUENCY),
            Item("eye_narrows_talk_chew", FREQUENCY),
            Item("cheek_lifts_eye_close", FREQUENCY),
            Item("eye_waters_eating", FREQUENCY),
        ),
    ),
    (
        "movements_mouth",
        (
            Item("neck_tightens", FREQUENCY),
            Item("chin_dimples", FREQUENCY),
            Item("cheek_crease", FREQUENCY),
        ),
    ),
    (
        "movements_feel",
        (
            Item("face_tight", FREQUENCY),
            Item("effort_to_move", FREQUENCY),
            Item("twitching", FREQUENCY),
        ),
    ),
)

# Answers that end the questionnaire at once (the emergency tier interrupts) ...
STOP_NOW = frozenset({("rf_stroke_signs", "yes"), ("rf_new_weakness_checked", "no")})
# ... and answers that end it when Next leaves the step they are on (the urgent tier).
STOP_AFTER_STEP = frozenset(
    {
        ("rf_new_weakness_checked", "yes"),
        ("rf_ear_signs", "yes"),
        ("rf_eye_danger", "yes"),
        ("rf_both_sides", "yes"),
    }
)


def items() -> dict[str, Item]:
    """Every question by id."""
    return {item.id: item for _, step in STEPS for item in step}
