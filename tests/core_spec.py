"""The questionnaire's ids, options and scoring as contract 2 specifies them, written out by hand,
and the answer sets every test builds on (written once, here).

They are deliberately not read from questions.yaml: tests compare the two, so drift shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

YES_NO_UNSURE = ("yes", "no", "unsure")
# Step "emergency": asked first; an emergency answer ends the check at once.
EMERGENCY = ("rf_stroke_signs", "rf_new_weakness", "rf_breathing")
CHECKED = "rf_new_weakness_checked"  # shown only when rf_new_weakness is yes or unsure
# "No" first, the answers that end the check at once last (the order keyboard users move in).
STROKE_OPTIONS = ("no", "unsure", "past_2w", "past_24h", "now")
# The answers that end the check at once on their own (the emergency tier).
EMERGENCY_ANSWERS = {"rf_stroke_signs": ("past_24h", "now"), "rf_breathing": ("yes",)}
# Step "recent": only with a palsy less than 3 months old.
RECENT = (
    "rf_ear_signs",
    "rf_other_nerves",
    "rf_both_sides",
    "rf_injury",
    "rf_pregnancy",
    "rf_infection",
)
# Step "safety": everyone.
SAFETY = (
    "rf_eye_danger",
    "rf_sudden_hearing",
    "rf_worsening",
    "rf_recurrence",
    "rf_lump",
    "rf_cancer",
)
ABOUT_OPTIONS: dict[str, tuple[str, ...]] = {
    "hx_age": ("lt_18", "18_39", "40_64", "65_plus"),
    "hx_palsy": YES_NO_UNSURE,
    "hx_onset": ("lt_3w", "3w_3m", "3_6m", "6_12m", "1_5y", "gt_5y"),  # palsy yes or unsure
    "hx_seen_doctor": ("yes", "no"),  # palsy yes or unsure
}
HISTORY_OPTIONS: dict[str, tuple[str, ...]] = {
    "hx_eye_closes": ("yes", "no_with_plan", "no", "unsure"),
    "hx_recovery": ("none", "some", "most", "full"),
    "hx_side": ("left", "right", "unsure"),
    "hx_treatment": ("none", "therapy", "botox", "surgery", "other"),  # optional multi-select
}
RECENT_ONSETS = ("lt_3w", "3w_3m")
LATER_ONSETS = ("3_6m", "6_12m", "1_5y", "gt_5y")
SIGNS = (
    "eye_narrows_smile",
    "eye_narrows_talk_chew",
    "eye_narrows_pucker",
    "cheek_lifts_eye_close",
    "eye_waters_eating",
    "neck_tightens",
    "neck_tightens_eye_close",
    "chin_dimples",
    "cheek_crease",
    "face_tight",
    "effort_to_move",
    "twitching",
)
KEY_SIGNS = ("eye_narrows_smile", "cheek_lifts_eye_close", "neck_tightens", "chin_dimples")
LEVELS = ("never", "rarely", "sometimes", "often", "always")  # worth 0, 1, 2, 3, 4 points
TIERS = ("emergency", "urgent", "soon", "consult", "info")  # highest first
REASONS = {
    "emergency": ("stroke_signs", "new_weakness_unchecked", "breathing"),
    "urgent": (
        "stroke_signs_gone",
        "stroke_signs_unsure",
        "new_weakness_unsure",
        "breathing_unsure",
        "recent_weakness_unseen",
        "ear_signs",
        "other_nerves",
        "both_sides",
        "injury",
        "pregnancy",
        "infection",
        "eye_danger",
        "sudden_hearing",
    ),
    "soon": (
        "ear_signs_unsure",
        "other_nerves_unsure",
        "both_sides_unsure",
        "injury_unsure",
        "pregnancy_unsure",
        "infection_unsure",
        "eye_danger_unsure",
        "sudden_hearing_unsure",
        "new_weakness_recent",
        "worsening",
        "recurrence",
        "lump",
        "weakness_unseen",
        "eye_protection",
        "no_recovery",
        "minor",
        "twitching_without_palsy",
    ),
    "consult": ("linked_movements", "incomplete_recovery"),
}
FALLBACK = ("info", "no_warning_signs")
NOTES = (
    "worsening_unsure",
    "recurrence_unsure",
    "lump_unsure",
    "new_weakness_recent_unsure",
    "eye_protection",
    "eye_care",
    "minor",
    "twitching_without_palsy_unsure",
    "cancer_history",
    "early",
    "no_palsy_history",
    "few_signs",
)

AnswerSet = dict[str, Any]

# The answers of a person with nothing notable, step by step (by question id).
NO_EMERGENCY: AnswerSet = dict.fromkeys(EMERGENCY, "no")
ABOUT: AnswerSet = {
    "hx_age": "40_64",
    "hx_palsy": "yes",
    "hx_onset": "1_5y",
    "hx_seen_doctor": "yes",
}
NO_RECENT_SIGNS: AnswerSet = dict.fromkeys(RECENT, "no")
NO_SAFETY_SIGNS: AnswerSet = dict.fromkeys(SAFETY, "no")
HISTORY: AnswerSet = {"hx_eye_closes": "yes", "hx_recovery": "full", "hx_side": "left"}
NO_SIGNS: AnswerSet = dict.fromkeys(SIGNS, "never")


def baseline() -> AnswerSet:
    """A complete answer set with nothing notable: no warning sign, a palsy years ago that came
    back fully, no linked movement. Answers to steps this path does not show (recent, no_palsy)
    are there too and are ignored, so a test can change the path with one answer."""
    return {
        **NO_EMERGENCY,
        **ABOUT,
        **NO_RECENT_SIGNS,
        **NO_SAFETY_SIGNS,
        **HISTORY,
        "hx_treatment": ["therapy"],
        "nh_twitching": "no",
        **NO_SIGNS,
    }


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
    """round-half-up(100 x points / (4 x 12)), computed in decimal so .5 is exact."""
    exact = Decimal(100 * total_points) / Decimal(4 * len(SIGNS))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
