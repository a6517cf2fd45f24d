"""Who the simulated people are: answers drawn from a seeded mix of the results a clinic sees.

Most people reach a consult or info result; a few stop on an emergency or urgent answer; some
report a worsening that asks them to see a doctor soon. The same seed gives the same people.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from .shape import FREQUENCY, ONSETS, STEPS, STOP_AFTER_STEP, STOP_NOW, holds, movement_steps

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
    # Every yes/no/unsure flag "no" to begin with (the checked question is shown only after a
    # "yes"), then the profile's answer.
    answers: dict[str, Answer] = {
        item.id: "no"
        for page in STEPS
        for item in page.items
        if item.options[:2] == ("yes", "no") and item.show_if is None
    }
    answers["rf_stroke_signs"] = "no"
    palsy = rng.choices(["yes", "unsure", "no"], [85, 5, 10])[0]
    onset = rng.choices(ONSETS, [5, 10, 15, 20, 30, 20])[0]
    if profile == "emergency":
        stop = rng.choice([("rf_stroke_signs", "now"), ("rf_stroke_signs", "past_24h"),
                           ("rf_breathing", "yes")])  # fmt: skip
        answers[stop[0]] = stop[1]
    elif profile == "emergency_unchecked":
        answers.update(rf_new_weakness="yes", rf_new_weakness_checked="no")
    elif profile == "urgent":
        flag = rng.choice(["rf_stroke_signs", "rf_ear_signs", "rf_eye_danger", "rf_sudden_hearing"])
        answers[flag] = "past_2w" if flag == "rf_stroke_signs" else "yes"
        if flag == "rf_ear_signs":  # asked only with a palsy under 3 months old
            palsy, onset = "yes", rng.choice(ONSETS[:2])
    elif profile == "soon":
        answers[rng.choice(["rf_worsening", "rf_recurrence", "rf_lump"])] = "yes"
    answers["hx_age"] = rng.choices(["lt_18", "18_39", "40_64", "65_plus"], [3, 30, 45, 22])[0]
    answers["hx_palsy"] = palsy
    if palsy != "no":
        answers["hx_onset"] = onset
        # A palsy under 3 weeks old that no doctor has seen is urgent by two answers together,
        # which the baseline's table of stops does not hold: these people have seen a doctor.
        answers["hx_seen_doctor"] = "yes" if onset == "lt_3w" else rng.choice(["yes", "yes", "no"])
        answers["hx_eye_closes"] = rng.choices(["yes", "no_with_plan", "unsure"], [90, 5, 5])[0]
        answers["hx_recovery"] = rng.choice(["some", "most", "full"])
        answers["hx_side"] = rng.choice(["left", "right"])
        if rng.random() < 0.4:
            answers["hx_treatment"] = rng.sample(["therapy", "botox", "surgery"], rng.randint(1, 2))
    # consult: several linked movements often or always; info (and the rest): few and rare.
    levels = FREQUENCY[2:] if profile == "consult" else FREQUENCY[:2]
    for page in movement_steps():
        for item in page.items:
            answers[item.id] = rng.choice(levels)
    return Plan(profile, answers)


def steps_walked(answers: dict[str, Answer]) -> list[tuple[str, int, str | None]]:
    """The steps the walk in bench/load.py goes through for these answers, each with the number
    of answers given on it and how it ends there: "now" (an interrupting answer: at once),
    "step" (an urgent answer: at the Next that leaves the step), or None (the walk goes on)."""
    given: dict[str, Answer] = {}
    walked: list[tuple[str, int, str | None]] = []
    for page in STEPS:
        if not holds(page.show_if, given):
            continue
        shown = []
        for item in page.items:
            if not holds(item.show_if, given) or item.id not in answers:
                continue
            shown.append(item)
            given[item.id] = answers[item.id]
            if not item.multiple and (item.id, answers[item.id]) in STOP_NOW:
                walked.append((page.id, len(shown), "now"))
                return walked
        stop = any(
            (item.id, answers.get(item.id)) in STOP_AFTER_STEP
            for item in shown
            if not item.multiple
        )
        walked.append((page.id, len(shown), "step" if stop else None))
        if stop:
            return walked
    return walked


def interactions_needed(answers: dict[str, Answer]) -> int:
    """How many reruns the walk in bench/load.py makes for these answers, from the first page to
    the result: the first run, Start, one per question shown and answered, one Next per step; an
    interrupting answer ends it at once, an urgent one at the Next that leaves its step."""
    count = 2  # the page opens; Start
    for _, answered, end in steps_walked(answers):
        count += answered + (end != "now")  # the answers, then Next (none after an emergency)
    return count
