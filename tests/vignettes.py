"""Clinical vignettes: people as they would answer, and the tier and reasons a facial-nerve
clinician expects for them (questionnaire contract 2), written once
for every test that needs them."""

from __future__ import annotations

from typing import Any, NamedTuple

from core_spec import RECENT, SIGNS, build


class Vignette(NamedTuple):
    id: str
    answers: dict[str, Any]
    tier: str
    reasons: tuple[str, ...]


def v(id_: str, tier: str, reasons: tuple[str, ...], **changes: Any) -> Vignette:
    return Vignette(id_, build(**changes), tier, reasons)


RECENT_SEEN = {"hx_onset": "3w_3m", "hx_seen_doctor": "yes"}


NOTHING = ("no_warning_signs", "few_signs")  # info after the movement questions


VIGNETTES = [
    # --- the emergency step ---------------------------------------------------------------
    v("stroke signs now", "emergency", ("stroke_signs",), rf_stroke_signs="now"),
    v("stroke signs yesterday, gone", "emergency", ("stroke_signs",), rf_stroke_signs="past_24h"),
    v("warning stroke a week ago", "urgent", ("stroke_signs_gone",), rf_stroke_signs="past_2w"),
    v("not sure about stroke signs", "urgent", ("stroke_signs_unsure",), rf_stroke_signs="unsure"),
    v(
        "face weak since yesterday, no doctor",
        "emergency",
        ("new_weakness_unchecked",),
        rf_new_weakness="yes",
        rf_new_weakness_checked="no",
    ),
    v(
        "face weak since yesterday, not sure a doctor checked",
        "emergency",
        ("new_weakness_unchecked",),
        rf_new_weakness="yes",
        rf_new_weakness_checked="unsure",
    ),
    v(
        "face weak since yesterday, seen in the ER",
        "soon",
        ("new_weakness_recent",),
        rf_new_weakness="yes",
        rf_new_weakness_checked="yes",
    ),
    v(
        "not sure the face got weaker, no doctor",
        "urgent",
        ("new_weakness_unsure",),
        rf_new_weakness="unsure",
        rf_new_weakness_checked="no",
    ),
    v(
        "not sure the face got weaker, not sure about a doctor",
        "urgent",
        ("new_weakness_unsure",),
        rf_new_weakness="unsure",
        rf_new_weakness_checked="unsure",
    ),
    v(
        "not sure the face got weaker, a doctor checked",
        "info",
        (*NOTHING, "new_weakness_recent_unsure"),
        rf_new_weakness="unsure",
        rf_new_weakness_checked="yes",
    ),
    v(
        "answered 'checked' although the weakness is not new (hidden, ignored)",
        "info",
        NOTHING,
        rf_new_weakness="no",
        rf_new_weakness_checked="no",
    ),
    v("choking and breathing trouble", "emergency", ("breathing",), rf_breathing="yes"),
    v("not sure about breathing", "urgent", ("breathing_unsure",), rf_breathing="unsure"),
    v(
        "stroke signs and breathing trouble",
        "emergency",
        ("stroke_signs", "breathing"),
        rf_stroke_signs="now",
        rf_breathing="yes",
    ),
    # --- a recent palsy -------------------------------------------------------------------
    v(
        "palsy two weeks ago, never seen a doctor",
        "urgent",
        ("recent_weakness_unseen", "eye_care"),
        hx_onset="lt_3w",
        hx_seen_doctor="no",
    ),
    v(
        "palsy two weeks ago, seen, no warning sign",
        "info",
        ("no_warning_signs", "early"),
        hx_onset="lt_3w",
        hx_seen_doctor="yes",
    ),
    v(
        "palsy two weeks ago, seen, 'hard to move' and 'tight' often (not asked)",
        "info",
        ("no_warning_signs", "early"),
        hx_onset="lt_3w",
        hx_seen_doctor="yes",
        effort_to_move="often",
        face_tight="often",
    ),
    v(
        "palsy six weeks ago, never seen",
        "soon",
        ("weakness_unseen", "early"),
        hx_onset="3w_3m",
        hx_seen_doctor="no",
    ),
    v("palsy six weeks ago, seen, no movements", "info", (*NOTHING, "early"), **RECENT_SEEN),
    v(
        "palsy two months ago, seen, cheek lifts often",
        "consult",
        ("linked_movements", "early"),
        cheek_lifts_eye_close="often",
        **RECENT_SEEN,
    ),
    v(
        "palsy six weeks ago, not seen, ear blisters (both reasons)",
        "urgent",
        ("ear_signs", "weakness_unseen", "eye_care"),
        hx_onset="3w_3m",
        hx_seen_doctor="no",
        rf_ear_signs="yes",
    ),
    *(
        v(
            f"recent palsy with {flag}",
            "urgent",
            (flag.removeprefix("rf_"), "eye_care"),
            **{flag: "yes"},
            **RECENT_SEEN,
        )
        for flag in RECENT
    ),
    *(
        v(
            f"recent palsy, not sure about {flag}",
            "soon",
            (flag.removeprefix("rf_") + "_unsure", "early"),
            **{flag: "unsure"},
            **RECENT_SEEN,
        )
        for flag in RECENT
    ),
    v(
        "ear signs after a palsy years ago (not asked: not new)",
        "info",
        NOTHING,
        rf_ear_signs="yes",
        rf_both_sides="yes",
    ),
    v(
        "urgent sign ends the check before the movement questions",
        "urgent",
        ("ear_signs", "eye_care"),
        rf_ear_signs="yes",
        eye_narrows_smile="always",
        **RECENT_SEEN,
    ),
    # --- safety, for everyone -------------------------------------------------------------
    v("new red painful eye", "urgent", ("eye_danger",), rf_eye_danger="yes"),
    v("not sure about the eye", "soon", ("eye_danger_unsure",), rf_eye_danger="unsure"),
    v("sudden hearing loss", "urgent", ("sudden_hearing",), rf_sudden_hearing="yes"),
    v("not sure about hearing", "soon", ("sudden_hearing_unsure",), rf_sudden_hearing="unsure"),
    v("movement being lost again", "soon", ("worsening",), rf_worsening="yes"),
    v(
        "not sure about losing movement",
        "info",
        (*NOTHING, "worsening_unsure"),
        rf_worsening="unsure",
    ),
    v("second palsy on the same side", "soon", ("recurrence",), rf_recurrence="yes"),
    v(
        "not sure about a second palsy",
        "info",
        (*NOTHING, "recurrence_unsure"),
        rf_recurrence="unsure",
    ),
    v("new lump in front of the ear", "soon", ("lump",), rf_lump="yes"),
    v("not sure about a lump", "info", (*NOTHING, "lump_unsure"), rf_lump="unsure"),
    v("past skin cancer of the face", "info", (*NOTHING, "cancer_history"), rf_cancer="yes"),
    v("not sure about past cancer", "info", NOTHING, rf_cancer="unsure"),
    # --- history --------------------------------------------------------------------------
    v("eye does not close", "soon", ("eye_protection",), hx_eye_closes="no"),
    v("not sure the eye closes", "soon", ("eye_protection",), hx_eye_closes="unsure"),
    v(
        "eye does not close, a doctor helps",
        "info",
        (*NOTHING, "eye_protection"),
        hx_eye_closes="no_with_plan",
    ),
    v("nothing came back in years", "soon", ("no_recovery",), hx_recovery="none"),
    v(
        "nothing back yet at six weeks (too early to say)",
        "info",
        (*NOTHING, "early"),
        hx_recovery="none",
        **RECENT_SEEN,
    ),
    v(
        "some came back, 4 months on",
        "consult",
        ("incomplete_recovery",),
        hx_onset="3_6m",
        hx_recovery="some",
    ),
    v("most came back, years on", "consult", ("incomplete_recovery",), hx_recovery="most"),
    v("palsy 'not sure', followed like a palsy", "info", NOTHING, hx_palsy="unsure"),
    # --- a child --------------------------------------------------------------------------
    v(
        "child, palsy six weeks ago, seen",
        "soon",
        ("minor", "early"),
        hx_age="lt_18",
        **RECENT_SEEN,
    ),
    v(
        "child, palsy years ago, never seen",
        "soon",
        ("minor",),
        hx_age="lt_18",
        hx_seen_doctor="no",
    ),
    v("child, palsy years ago, seen", "info", (*NOTHING, "minor"), hx_age="lt_18"),
    v(
        "child, palsy two weeks ago, never seen",
        "urgent",
        ("recent_weakness_unseen", "minor", "eye_care"),
        hx_age="lt_18",
        hx_onset="lt_3w",
        hx_seen_doctor="no",
    ),
    v(
        "child with no palsy",
        "info",
        ("no_warning_signs", "minor", "no_palsy_history"),
        hx_age="lt_18",
        hx_palsy="no",
    ),
    # --- no palsy -------------------------------------------------------------------------
    v("no palsy, nothing else", "info", ("no_warning_signs", "no_palsy_history"), hx_palsy="no"),
    v(
        "no palsy, face keeps twitching",
        "soon",
        ("twitching_without_palsy", "no_palsy_history"),
        hx_palsy="no",
        nh_twitching="yes",
    ),
    v(
        "no palsy, not sure about twitching",
        "info",
        ("no_warning_signs", "twitching_without_palsy_unsure", "no_palsy_history"),
        hx_palsy="no",
        nh_twitching="unsure",
    ),
    v(
        "no palsy, weak-side answers sent anyway (never asked, ignored)",
        "info",
        ("no_warning_signs", "no_palsy_history"),
        hx_palsy="no",
        eye_narrows_smile="always",
        neck_tightens="always",
    ),
    # --- linked movements -----------------------------------------------------------------
    v("eye narrows on a smile, often", "consult", ("linked_movements",), eye_narrows_smile="often"),
    v("tears when eating, always", "consult", ("linked_movements",), eye_waters_eating="always"),
    v(
        "neck on eye closure, often (a new item)",
        "consult",
        ("linked_movements",),
        neck_tightens_eye_close="often",
    ),
    v(
        "eye on a pucker and chin, sometimes",
        "consult",
        ("linked_movements",),
        eye_narrows_pucker="sometimes",
        chin_dimples="sometimes",
    ),
    v("one movement sometimes", "info", NOTHING, cheek_crease="sometimes"),
    v(
        "every movement rarely (score 25)",
        "consult",
        ("linked_movements",),
        **dict.fromkeys(SIGNS, "rarely"),
    ),
    v("eleven movements rarely (score 23)", "info", NOTHING, **dict.fromkeys(SIGNS[:11], "rarely")),
    v(
        "losing movement and linked movements",
        "soon",
        ("worsening", "linked_movements"),
        rf_worsening="yes",
        neck_tightens="often",
    ),
    v(
        "linked movements, incomplete recovery, past cancer",
        "consult",
        ("linked_movements", "incomplete_recovery", "cancer_history"),
        hx_recovery="some",
        chin_dimples="always",
        rf_cancer="yes",
    ),
]
