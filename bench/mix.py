"""Who the simulated people are: answers drawn from a seeded mix of the results a clinic sees.

Most people reach a consult or info result; a few stop on an emergency or urgent answer; some
report a worsening that asks them to see a doctor soon. The same seed gives the same people.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from .shape import FREQUENCY, STEPS, STOP_AFTER_STEP, STOP_NOW

Answer = str | list[str]

# (profile, weight): what the person's answers are built to lead to.
PROFILES = (
    ("emergency", 4),
    ("emergency_unchecked", 2),
    ("urgent", 6),
    ("soon", 8),
    ("consult", 45),
    ("info", 35),
)


class Plan(NamedTuple):
    profile: str
    answers: dict[str, Answer]


def plan(rng: random.Random) -> Plan:
    """One person's answers (every question they could be shown)."""
    profile = rng.choices([p for p, _ in PROFILES], [w for _, w in PROFILES])[0]
    answers: dict[str, Answer] = {item.id: "no" for item in STEPS[0][1]}
    del answers["rf_new_weakness_checked"]  # shown only after a "yes"
    if profile == "emergency":
        answers["rf_stroke_signs"] = "yes"
    elif profile == "emergency_unchecked":
        answers.update(rf_new_weakness="yes", rf_new_weakness_checked="no")
    elif profile == "urgent":
        answers[rng.choice(["rf_ear_signs", "rf_eye_danger", "rf_both_sides"])] = "yes"
    elif profile == "soon":
        answers[rng.choice(["rf_worsening", "rf_recurrence", "rf_lump"])] = "yes"
    palsy = rng.choices(["yes", "unsure", "no"], [85, 5, 10])[0]
    answers["hx_palsy"] = palsy
    if palsy != "no":
        answers["hx_onset"] = rng.choice(["lt_3m", "3_6m", "6_12m", "1_5y", "gt_5y"])
        answers["hx_recovery"] = rng.choice(["some", "most", "full"])
        answers["hx_side"] = rng.choice(["left", "right"])
        if rng.random() < 0.4:
            answers["hx_treatment"] = rng.sample(["therapy", "botox", "surgery"], rng.randint(1, 2))
    # consult: several linked movements often or always; info (and the rest): few and rare.
    levels = FREQUENCY[2:] if profile == "consult" else FREQUENCY[:2]
    for _, step in STEPS[2:]:
        for item in step:
            answers[item.id] = rng.choice(levels)
    return Plan(profile, answers)


def interactions_needed(answers: dict[str, Answer]) -> int:
    """How many reruns the walk in bench/load.py makes for these answers, from the first page to
    the result: the first run, Start, one per question shown and answered, one Next per step; an
    interrupting answer ends it at once, an urgent one at the Next that leaves its step."""
    count = 2  # the page opens; Start
    for _, step in STEPS:
        shown = [
            item
            for item in step
            if item.show_if is None or answers.get(item.show_if.question) in item.show_if.values
        ]
        for item in shown:
            if item.id in answers:
                count += 1
                if not item.multiple and (item.id, answers[item.id]) in STOP_NOW:
                    return count
        count += 1  # Next
        if any(
            (item.id, answers.get(item.id)) in STOP_AFTER_STEP
            for item in shown
            if not item.multiple
        ):
            return count
    return count
