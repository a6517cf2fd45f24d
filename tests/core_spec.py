"""The questionnaire's ids, options and scoring as the rules are specified, written out by hand.

They are deliberately not read from questions.yaml: tests compare the two, so drift shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SAFETY = (
    "rf_stroke_signs",
    "rf_new_weakness",
    "rf_ear_signs",
    "rf_eye_danger",
    "rf_both_sides",
    "rf_worsening",
    "rf_recurrence",
    "rf_lump",
)
CHECKED = "rf_new_weakness_checked"  # shown only when rf_new_weakness is yes
HISTORY_OPTIONS: dict[str, tuple[str, ...]] = {
    "hx_palsy": ("yes", "no", "unsure"),
    "hx_onset": ("lt_3m", "3_6m", "6_12m", "1_5y", "gt_5y"),
    "hx_recovery": ("none", "some", "most", "full"),
    "hx_side": ("left", "right", "unsure"),
    "hx_treatment": ("none", "therapy", "botox", "surgery", "other"),  # optional multi-select
}
FOLLOW_UPS = ("hx_onset", "hx_recovery", "hx_side", "hx_treatment")  # when hx_palsy yes/unsure
SIGNS = (
    "eye_narrows_smile",
    "eye_narrows_talk_chew",
    "cheek_lifts_eye_close",
    "neck_tightens",
    "chin_dimples",
    "face_tight",
    "effort_to_move",
    "twitching",
    "cheek_crease",
    "eye_waters_eating",
)
KEY_SIGNS = ("eye_narrows_smile", "cheek_lifts_eye_close", "neck_tightens", "chin_dimples")
LEVELS = ("never", "rarely", "sometimes", "often", "always")  # worth 0, 1, 2, 3, 4 points
TIERS = ("emergency", "urgent", "soon", "consult", "info")  # highest first
REASONS = {
    "emergency": ("stroke_signs", "new_weakness_unchecked"),
    "urgent": ("new_weakness_recent", "ear_signs", "eye_danger", "both_sides"),
    "soon": ("worsening", "recurrence", "lump", "no_recovery", "twitching_without_palsy"),
    "consult": ("linked_movements",),
    "info": ("few_signs",),
}
NOTES = ("early", "no_palsy_history")

AnswerSet = dict[str, Any]


def baseline() -> AnswerSet:
    """A complete answer set with nothing notable: no red flag, a past palsy, no linked movement."""
    answers: AnswerSet = dict.fromkeys(SAFETY, "no")
    answers.update(
        hx_palsy="yes",
        hx_onset="1_5y",
        hx_recovery="most",
        hx_side="left",
        hx_treatment=["therapy"],
    )
    answers.update(dict.fromkeys(SIGNS, "never"))
    return answers


def build(**changes: Any) -> AnswerSet:
    """The baseline with some answers changed; a value of None removes that answer."""
    answers = baseline()
    for qid, value in changes.items():
        if value is None:
            answers.pop(qid, None)
        else:
            answers[qid] = value
    return answers


def points(answers: AnswerSet) -> int:
    """Sum of sign points in a set of answers (unanswered signs count 0)."""
    return sum(LEVELS.index(answers[s]) for s in SIGNS if s in answers)


def expected_score(total_points: int) -> int:
    """round-half-up(100 x points / (4 x 10)), computed in decimal so .5 is exact."""
    exact = Decimal(100 * total_points) / Decimal(4 * len(SIGNS))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
