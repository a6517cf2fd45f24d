"""The routing rules against their specification: tiers, reasons, notes, score and stopping."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from core_spec import (
    CHECKED,
    FOLLOW_UPS,
    HISTORY_OPTIONS,
    KEY_SIGNS,
    LEVELS,
    NOTES,
    REASONS,
    SAFETY,
    SIGNS,
    TIERS,
    AnswerSet,
    build,
    expected_score,
    points,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from screening import rules
from screening.errors import AnswersError
from screening.loader import DEFAULT_QUESTIONS, load_questionnaire
from screening.models import Questionnaire

NO_PALSY = {"hx_palsy": "no", **dict.fromkeys(FOLLOW_UPS)}  # follow-ups hidden, so not given
NEVER = dict.fromkeys(SIGNS, "never")


def signs(**levels: str) -> dict[str, str]:
    """Sign answers: the given levels, every other sign "never"."""
    return {**NEVER, **levels}


# Ten points exactly (score 25) with one sign at "sometimes" or more and no key sign at
# "often" or more, so only the score can make it a consult. Score 24 cannot happen: each point
# is worth 2.5, so the nearest score below 25 is 23 (9 points, 22.5 rounded half up).
SCORE_25 = signs(
    face_tight="always",
    eye_narrows_smile="rarely",
    eye_narrows_talk_chew="rarely",
    cheek_lifts_eye_close="rarely",
    neck_tightens="rarely",
    chin_dimples="rarely",
    effort_to_move="rarely",
)
SCORE_23 = {**SCORE_25, "effort_to_move": "never"}

# (changes to the baseline, tier, reasons in order)
ROUTING = [
    pytest.param({}, "info", ("few_signs",), id="nothing-notable"),
    # emergency
    pytest.param({"rf_stroke_signs": "yes"}, "emergency", ("stroke_signs",), id="stroke-signs"),
    pytest.param(
        {"rf_new_weakness": "yes", CHECKED: "no"},
        "emergency",
        ("new_weakness_unchecked",),
        id="new-weakness-not-checked",
    ),
    pytest.param(
        {"rf_stroke_signs": "yes", "rf_new_weakness": "yes", CHECKED: "no"},
        "emergency",
        ("stroke_signs", "new_weakness_unchecked"),
        id="both-emergency-reasons-in-order",
    ),
    # urgent
    pytest.param(
        {"rf_new_weakness": "yes", CHECKED: "yes"},
        "urgent",
        ("new_weakness_recent",),
        id="new-weakness-already-checked",
    ),
    pytest.param({"rf_ear_signs": "yes"}, "urgent", ("ear_signs",), id="ear-signs"),
    pytest.param({"rf_eye_danger": "yes"}, "urgent", ("eye_danger",), id="eye-danger"),
    pytest.param({"rf_both_sides": "yes"}, "urgent", ("both_sides",), id="both-sides"),
    # soon
    pytest.param({"rf_worsening": "yes"}, "soon", ("worsening",), id="worsening"),
    pytest.param({"rf_recurrence": "yes"}, "soon", ("recurrence",), id="recurrence"),
    pytest.param({"rf_lump": "yes"}, "soon", ("lump",), id="lump"),
    *[
        pytest.param(
            {"hx_recovery": "none", "hx_onset": onset},
            "soon",
            ("no_recovery",),
            id=f"no-recovery-after-{onset}",
        )
        for onset in ("3_6m", "6_12m", "1_5y", "gt_5y")
    ],
    pytest.param(
        {"hx_recovery": "none", "hx_onset": "lt_3m"},
        "info",
        ("few_signs", "early"),
        id="no-recovery-but-under-3-months-is-only-early",
    ),
    pytest.param(
        {"hx_recovery": "some", "hx_onset": "gt_5y"},
        "info",
        ("few_signs",),
        id="some-recovery-is-not-no-recovery",
    ),
    *[
        pytest.param(
            {**NO_PALSY, "twitching": level},
            "soon",
            ("twitching_without_palsy", "no_palsy_history"),
            id=f"twitching-{level}-without-palsy",
        )
        for level in ("sometimes", "often", "always")
    ],
    pytest.param(
        {**NO_PALSY, "twitching": "rarely"},
        "info",
        ("few_signs", "no_palsy_history"),
        id="twitching-rarely-without-palsy",
    ),
    pytest.param(
        {"twitching": "always"},
        "info",
        ("few_signs",),
        id="twitching-after-palsy-is-one-sign",
    ),
    pytest.param(
        {"hx_palsy": "unsure", "twitching": "sometimes"},
        "info",
        ("few_signs",),
        id="twitching-palsy-unsure-is-not-without-palsy",
    ),
    # consult: a key sign often or always
    *[
        pytest.param(
            signs(**{key: level}),
            "consult",
            ("linked_movements",),
            id=f"key-sign-{key}-{level}",
        )
        for key in KEY_SIGNS
        for level in ("often", "always")
    ],
    pytest.param(
        signs(eye_narrows_smile="sometimes"),
        "info",
        ("few_signs",),
        id="one-key-sign-sometimes",
    ),
    pytest.param(
        signs(face_tight="always"),
        "info",
        ("few_signs",),
        id="one-non-key-sign-always",
    ),
    # consult: two signs sometimes or more
    pytest.param(
        signs(face_tight="sometimes", cheek_crease="sometimes"),
        "consult",
        ("linked_movements",),
        id="two-signs-sometimes",
    ),
    pytest.param(
        signs(face_tight="sometimes", eye_waters_eating="rarely", cheek_crease="rarely"),
        "info",
        ("few_signs",),
        id="one-sign-sometimes-others-rarely",
    ),
    pytest.param(
        signs(eye_narrows_smile="sometimes", chin_dimples="sometimes"),
        "consult",
        ("linked_movements",),
        id="two-key-signs-sometimes",
    ),
    # consult: the score alone
    pytest.param(SCORE_25, "consult", ("linked_movements",), id="score-exactly-25"),
    pytest.param(SCORE_23, "info", ("few_signs",), id="score-23-just-below"),
    pytest.param(
        dict.fromkeys(SIGNS, "rarely"), "consult", ("linked_movements",), id="all-ten-rarely-is-25"
    ),
    pytest.param(
        {**dict.fromkeys(SIGNS[1:], "rarely"), SIGNS[0]: "never"},
        "info",
        ("few_signs",),
        id="nine-rarely-is-23",
    ),
    # notes change wording, never the tier
    pytest.param({"hx_onset": "lt_3m"}, "info", ("few_signs", "early"), id="early-note-on-info"),
    pytest.param(
        {"hx_onset": "lt_3m", **signs(neck_tightens="always")},
        "consult",
        ("linked_movements", "early"),
        id="early-note-on-consult",
    ),
    pytest.param(
        {**NO_PALSY, **signs(chin_dimples="often")},
        "consult",
        ("linked_movements", "no_palsy_history"),
        id="no-palsy-note-on-consult",
    ),
    # the winning tier's reasons first, then lower tiers' reasons, then notes
    pytest.param(
        {"rf_lump": "yes", "hx_onset": "lt_3m", **signs(eye_narrows_smile="always")},
        "soon",
        ("lump", "linked_movements", "early"),
        id="soon-then-consult-then-note",
    ),
    pytest.param(
        {"rf_worsening": "yes", "rf_ear_signs": "yes"},
        "urgent",
        ("ear_signs", "worsening"),
        id="urgent-then-soon",
    ),
    pytest.param(
        {"rf_lump": "yes", "rf_eye_danger": "yes", "rf_stroke_signs": "yes"},
        "emergency",
        ("stroke_signs", "eye_danger", "lump"),
        id="emergency-then-urgent-then-soon",
    ),
    pytest.param(
        {"rf_worsening": "yes", "rf_lump": "yes", "hx_recovery": "none"},
        "soon",
        ("worsening", "lump", "no_recovery"),
        id="several-soon-reasons",
    ),
]


@pytest.mark.parametrize(("changes", "tier", "reasons"), ROUTING)
def test_routing(
    questionnaire: Questionnaire, changes: dict[str, Any], tier: str, reasons: tuple[str, ...]
) -> None:
    answers = build(**changes)
    result = rules.evaluate(questionnaire, answers)
    assert (result.tier, result.reasons) == (tier, reasons)
    if tier in ("emergency", "urgent"):
        assert result.score is None
        assert result.steps_reached == ("safety",)
    else:
        assert result.score == expected_score(points(answers))


def test_table_covers_every_reason_and_note(questionnaire: Questionnaire) -> None:
    covered = {reason for param in ROUTING for reason in param.values[2]}
    specified = {r for group in REASONS.values() for r in group} | set(NOTES)
    assert covered == specified == set(questionnaire.reasons)


def test_each_reason_belongs_to_its_tier(questionnaire: Questionnaire) -> None:
    for param in ROUTING:
        _changes, tier, reasons = param.values
        assert reasons[0] in REASONS[tier], param.id


@pytest.mark.parametrize(
    ("total", "score"),
    [(0, 0), (1, 3), (2, 5), (5, 13), (9, 23), (10, 25), (11, 28), (39, 98), (40, 100)],
)
def test_score_rounds_half_up(questionnaire: Questionnaire, total: int, score: int) -> None:
    # 100 x total / 40: 2.5 -> 3, 12.5 -> 13, 22.5 -> 23 (banker's rounding would give 2, 12, 22).
    levels = [min(4, max(0, total - 4 * i)) for i in range(len(SIGNS))]
    answers = {sign: LEVELS[level] for sign, level in zip(SIGNS, levels, strict=True)}
    assert rules.score(questionnaire, answers) == score == expected_score(total)


def test_score_for_every_points_total(questionnaire: Questionnaire) -> None:
    for total in range(4 * len(SIGNS) + 1):
        levels = [min(4, max(0, total - 4 * i)) for i in range(len(SIGNS))]
        answers = {sign: LEVELS[level] for sign, level in zip(SIGNS, levels, strict=True)}
        assert rules.score(questionnaire, answers) == expected_score(total), total


def test_boundary_answer_sets_hit_the_intended_scores(questionnaire: Questionnaire) -> None:
    assert rules.score(questionnaire, SCORE_25) == 25
    assert rules.score(questionnaire, SCORE_23) == 23
    assert questionnaire.thresholds["consult_score"].value == 25


# --- stopping early -------------------------------------------------------------------------


def test_stroke_signs_alone_is_a_complete_answer(questionnaire: Questionnaire) -> None:
    result = rules.evaluate(questionnaire, {"rf_stroke_signs": "yes"})
    assert result.tier == "emergency"
    assert result.reasons == ("stroke_signs",)
    assert result.score is None
    assert result.steps_reached == ("safety",)


def test_unchecked_new_weakness_alone_is_a_complete_answer(questionnaire: Questionnaire) -> None:
    answers = {"rf_stroke_signs": "no", "rf_new_weakness": "yes", CHECKED: "no"}
    result = rules.evaluate(questionnaire, answers)
    assert (result.tier, result.reasons) == ("emergency", ("new_weakness_unchecked",))


def test_new_weakness_waits_for_the_checked_answer(questionnaire: Questionnaire) -> None:
    # "new weakness: yes" cannot settle the tier until "has a doctor checked it?" is answered.
    answers = build(rf_new_weakness="yes")
    progress = rules.progress(questionnaire, answers)
    assert (progress.complete, progress.stopped_by, progress.missing) == (False, None, (CHECKED,))
    with pytest.raises(AnswersError) as caught:
        rules.evaluate(questionnaire, answers)
    assert [(p.code, p.field) for p in caught.value.problems] == [("A102", CHECKED)]


def test_emergency_ignores_every_later_step(questionnaire: Questionnaire) -> None:
    answers = build(
        rf_stroke_signs="yes",
        hx_recovery="none",
        hx_onset="lt_3m",
        **signs(eye_narrows_smile="always", neck_tightens="always"),
    )
    result = rules.evaluate(questionnaire, answers)
    assert result.tier == "emergency"
    assert result.reasons == ("stroke_signs",)  # no linked_movements, no early note
    assert result.score is None
    assert set(result.answers) <= set(SAFETY) | {CHECKED}


def test_urgent_ends_after_the_safety_step(questionnaire: Questionnaire) -> None:
    safety_only = {**dict.fromkeys(SAFETY, "no"), "rf_ear_signs": "yes"}
    result = rules.evaluate(questionnaire, safety_only)  # no history or movement answers needed
    assert result.tier == "urgent"
    assert result.score is None
    assert result.steps_reached == ("safety",)
    progress = rules.progress(questionnaire, safety_only)
    assert (progress.complete, progress.stopped_by, progress.missing) == (True, "urgent", ())


def test_urgent_ignores_movement_answers(questionnaire: Questionnaire) -> None:
    answers = build(rf_both_sides="yes", **signs(eye_narrows_smile="always"))
    result = rules.evaluate(questionnaire, answers)
    assert result.reasons == ("both_sides",)
    assert result.score is None
    assert not set(result.answers) & set(SIGNS)


def test_urgent_still_needs_the_rest_of_the_safety_step(questionnaire: Questionnaire) -> None:
    answers = {**dict.fromkeys(SAFETY, "no"), "rf_ear_signs": "yes"}
    del answers["rf_lump"]
    with pytest.raises(AnswersError) as caught:
        rules.evaluate(questionnaire, answers)
    assert [(p.code, p.field) for p in caught.value.problems] == [("A102", "rf_lump")]


# --- visibility -----------------------------------------------------------------------------


def test_hidden_history_answers_are_ignored(questionnaire: Questionnaire) -> None:
    # hx_palsy "no" hides the follow-ups: their answers must not give no_recovery or early.
    answers = build(hx_palsy="no", hx_recovery="none", hx_onset="3_6m")
    result = rules.evaluate(questionnaire, answers)
    assert (result.tier, result.reasons) == ("info", ("few_signs", "no_palsy_history"))
    assert not set(result.answers) & set(FOLLOW_UPS)
    early = rules.evaluate(questionnaire, build(hx_palsy="no", hx_onset="lt_3m"))
    assert "early" not in early.reasons


def test_hidden_checked_answer_is_ignored(questionnaire: Questionnaire) -> None:
    result = rules.evaluate(questionnaire, build(rf_new_weakness="no", **{CHECKED: "yes"}))
    assert result.tier == "info"
    assert CHECKED not in result.answers


@pytest.mark.parametrize("palsy", ["yes", "unsure"])
def test_palsy_yes_or_unsure_asks_the_follow_ups(questionnaire: Questionnaire, palsy: str) -> None:
    answers = build(hx_palsy=palsy, **dict.fromkeys(FOLLOW_UPS))
    progress = rules.progress(questionnaire, answers)
    assert progress.steps_reached == ("safety", "history")
    assert progress.missing == ("hx_onset", "hx_recovery", "hx_side")  # treatment is optional
    with pytest.raises(AnswersError) as caught:
        rules.evaluate(questionnaire, answers)
    assert {(p.code, p.field) for p in caught.value.problems} == {
        ("A102", "hx_onset"),
        ("A102", "hx_recovery"),
        ("A102", "hx_side"),
    }


def test_unsure_palsy_with_no_recovery_is_soon(questionnaire: Questionnaire) -> None:
    result = rules.evaluate(questionnaire, build(hx_palsy="unsure", hx_recovery="none"))
    assert (result.tier, result.reasons) == ("soon", ("no_recovery",))


def test_checked_question_needs_no_answer_without_new_weakness(
    questionnaire: Questionnaire,
) -> None:
    answers = build(**{CHECKED: None})
    assert rules.validate(questionnaire, answers) == []


# --- invalid answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("treatment", "ok"),
    [
        pytest.param([], True, id="empty-list"),
        pytest.param(["none"], True, id="none-alone"),
        pytest.param(["therapy", "botox", "surgery", "other"], True, id="several"),
        pytest.param(None, True, id="skipped"),
        pytest.param(["none", "therapy"], False, id="none-combined"),
        pytest.param(["botox", "none"], False, id="none-combined-last"),
        pytest.param(["therapy", "therapy"], False, id="twice"),
        pytest.param(["bogus"], False, id="unknown-option"),
        pytest.param("therapy", False, id="text-not-list"),
    ],
)
def test_treatment_multi_select(questionnaire: Questionnaire, treatment: Any, ok: bool) -> None:
    answers = build(hx_treatment=treatment)
    problems = rules.validate(questionnaire, answers)
    if ok:
        assert problems == []
        assert rules.evaluate(questionnaire, answers).tier == "info"
    else:
        assert [(p.code, p.field) for p in problems] == [("A101", "hx_treatment")]
        with pytest.raises(AnswersError):
            rules.evaluate(questionnaire, answers)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(build(nope="yes"), [("A100", "nope")], id="unknown-question"),
        pytest.param(build(rf_lump="maybe"), [("A101", "rf_lump")], id="not-an-option"),
        pytest.param(build(rf_lump="Yes"), [("A101", "rf_lump")], id="option-text-not-id"),
        pytest.param(build(rf_lump=["yes"]), [("A101", "rf_lump")], id="list-for-single"),
        pytest.param(build(twitching="3"), [("A101", "twitching")], id="points-not-option"),
        pytest.param(build(hx_onset="lt_3m "), [("A101", "hx_onset")], id="trailing-space"),
        pytest.param(build(hx_onset=None), [("A102", "hx_onset")], id="missing-follow-up"),
        pytest.param(
            build(face_tight=None, twitching=None),
            [("A102", "face_tight"), ("A102", "twitching")],
            id="missing-signs",
        ),
        pytest.param(
            build(rf_lump=None, rf_worsening=None),
            [("A102", "rf_worsening"), ("A102", "rf_lump")],
            id="missing-safety",
        ),
        pytest.param(
            build(nope="yes", rf_lump="maybe"),
            [("A101", "rf_lump"), ("A100", "nope")],
            id="all-value-problems-together",
        ),
        pytest.param({}, [("A102", qid) for qid in SAFETY], id="nothing-answered"),
    ],
)
def test_invalid_answers(
    questionnaire: Questionnaire, answers: AnswerSet, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(AnswersError) as caught:
        rules.evaluate(questionnaire, answers)
    assert sorted((p.code, p.field) for p in caught.value.problems) == sorted(expected)
    assert sorted((p.code, p.field) for p in rules.validate(questionnaire, answers)) == sorted(
        expected
    )


def test_complete_baseline_is_valid(questionnaire: Questionnaire) -> None:
    assert rules.validate(questionnaire, build()) == []
    progress = rules.progress(questionnaire, build())
    assert progress.complete
    assert progress.stopped_by is None
    assert progress.steps_reached == tuple(step.id for step in questionnaire.steps)


# --- partial routing ------------------------------------------------------------------------


def test_route_partial_drops_invalid_pairs(questionnaire: Questionnaire) -> None:
    result = rules.route_partial(
        questionnaire, {"rf_stroke_signs": "yes", "junk": "x", "rf_lump": "maybe"}
    )
    assert result.tier == "emergency"
    assert "rf_lump" not in result.answers


def test_route_partial_without_movements_has_no_score(questionnaire: Questionnaire) -> None:
    result = rules.route_partial(questionnaire, dict.fromkeys(SAFETY, "no"))
    assert result.score is None
    assert result.steps_reached == ("safety", "history")


# --- the real file --------------------------------------------------------------------------


def test_real_questionnaire_matches_the_spec() -> None:
    q = load_questionnaire(DEFAULT_QUESTIONS)
    steps = [step.id for step in q.steps]
    assert steps[:2] == ["safety", "history"]
    safety = [question.id for question in q.steps[0].questions]
    assert safety == [*SAFETY[:2], CHECKED, *SAFETY[2:]]
    for qid in safety:
        assert q.question(qid).option_ids == ("yes", "no")
        assert q.question(qid).required
    assert q.question(CHECKED).show_if is not None
    history = [question.id for question in q.steps[1].questions]
    assert history == list(HISTORY_OPTIONS)
    for qid, options in HISTORY_OPTIONS.items():
        assert q.question(qid).option_ids == options
    for qid in FOLLOW_UPS:
        assert q.question(qid).show_if is not None
    treatment = q.question("hx_treatment")
    assert (treatment.multiple, treatment.required, treatment.exclusive) == (True, False, ("none",))
    movement = [question for step in q.steps[2:] for question in step.questions]
    assert sorted(x.id for x in movement) == sorted(SIGNS)
    assert {x.id for x in q.signs()} == set(SIGNS)
    assert {x.id for x in q.signs() if x.key_sign} == set(KEY_SIGNS)
    for question in movement:
        assert question.required and question.sign and question.show_if is None
        assert question.option_ids == LEVELS
        assert [o.points for o in question.options] == [0, 1, 2, 3, 4]
    assert [t.id for t in q.tiers] == list(TIERS)
    assert q.tier("emergency").interrupts
    assert q.tier("urgent").ends_questionnaire and not q.tier("urgent").interrupts
    assert re.fullmatch(r"[0-9a-f]{12}", q.version)


CITATION = re.compile(r"\b[A-Z][A-Za-z-]+(?: et al\.?)?,? \(?(?:19|20)\d{2}\)?")


def test_every_threshold_says_where_it_comes_from(questionnaire: Questionnaire) -> None:
    assert questionnaire.thresholds
    for name, threshold in questionnaire.thresholds.items():
        basis = threshold.basis
        assert basis.startswith("Product choice.") or CITATION.search(basis), name


def test_citation_pattern_knows_a_citation() -> None:
    assert CITATION.search("Bylund 2017 reports 21% at 12 months.")
    assert CITATION.search("Mehta et al. (2007)")
    assert not CITATION.search("Chosen because it looks about right.")


def test_loaded_models_are_frozen(questionnaire: Questionnaire) -> None:
    with pytest.raises(ValueError):
        questionnaire.minutes = 5  # type: ignore[misc]
    with pytest.raises(ValueError):
        questionnaire.thresholds["consult_score"].value = 1  # type: ignore[misc]


# --- properties -----------------------------------------------------------------------------


@functools.cache
def real() -> Questionnaire:
    """The real questionnaire for property tests (a fixture's long repr would flood reports)."""
    return load_questionnaire()


@st.composite
def complete_answers(draw: st.DrawFn) -> AnswerSet:
    """Complete answer sets; about half raise no red flag, so later steps get exercised."""
    answers: AnswerSet = {}
    risky = draw(st.booleans())
    for qid in SAFETY:
        answers[qid] = draw(st.sampled_from(["no", "yes"])) if risky else "no"
    if answers["rf_new_weakness"] == "yes" or draw(st.booleans()):  # hidden answers too
        answers[CHECKED] = draw(st.sampled_from(["no", "yes"]))
    answers["hx_palsy"] = draw(st.sampled_from(HISTORY_OPTIONS["hx_palsy"]))
    if answers["hx_palsy"] != "no" or draw(st.booleans()):
        for qid in ("hx_onset", "hx_recovery", "hx_side"):
            answers[qid] = draw(st.sampled_from(HISTORY_OPTIONS[qid]))
        treatment = draw(
            st.one_of(
                st.none(),
                st.just(["none"]),
                st.lists(st.sampled_from(HISTORY_OPTIONS["hx_treatment"][1:]), unique=True),
            )
        )
        if treatment is not None:
            answers["hx_treatment"] = treatment
    for sign in SIGNS:
        answers[sign] = draw(st.sampled_from(LEVELS))
    return answers


def _rank(tier: str) -> int:
    return TIERS.index(tier)


def _ignored(answers: AnswerSet, tier: str) -> set[str]:
    """Questions whose answers must not count: hidden ones and those in steps never reached."""
    ignored = set()
    if answers["rf_new_weakness"] != "yes":
        ignored.add(CHECKED)
    if answers["hx_palsy"] == "no":
        ignored |= set(FOLLOW_UPS)
    if tier in ("emergency", "urgent"):
        ignored |= set(HISTORY_OPTIONS) | set(SIGNS)
    return ignored


@settings(max_examples=200, deadline=None)
@given(answers=complete_answers())
def test_score_is_in_range_and_none_only_before_movements(answers: AnswerSet) -> None:
    q = real()
    result = rules.evaluate(q, answers)
    if result.tier in ("emergency", "urgent"):
        assert result.score is None
    else:
        assert result.score is not None
        assert 0 <= result.score <= 100
        assert result.score == expected_score(points(answers))


@settings(max_examples=200, deadline=None)
@given(answers=complete_answers(), sign=st.sampled_from(SIGNS))
def test_raising_a_sign_never_lowers_score_or_tier(answers: AnswerSet, sign: str) -> None:
    q = real()
    level = LEVELS.index(answers[sign])
    if level == len(LEVELS) - 1:
        return
    before = rules.evaluate(q, answers)
    after = rules.evaluate(q, {**answers, sign: LEVELS[level + 1]})
    assert _rank(after.tier) <= _rank(before.tier)
    if before.score is not None:
        assert after.score is not None and after.score >= before.score


@settings(max_examples=200, deadline=None)
@given(answers=complete_answers(), stroke=st.booleans())
def test_an_emergency_answer_always_gives_emergency(answers: AnswerSet, stroke: bool) -> None:
    if stroke:
        answers["rf_stroke_signs"] = "yes"
    else:
        answers["rf_new_weakness"] = "yes"
        answers[CHECKED] = "no"
    result = rules.evaluate(real(), answers)
    assert result.tier == "emergency"
    assert result.reasons[0] in REASONS["emergency"]
    assert result.score is None


@settings(max_examples=200, deadline=None)
@given(answers=complete_answers(), data=st.data())
def test_hidden_or_unreached_answers_never_change_the_result(
    answers: AnswerSet, data: st.DataObject
) -> None:
    q = real()
    before = rules.evaluate(q, answers)
    ignored = _ignored(answers, before.tier)
    assert not ignored & set(before.answers)
    changed = dict(answers)
    for qid in ignored:
        options = q.question(qid).option_ids
        if q.question(qid).multiple:
            changed[qid] = data.draw(st.lists(st.sampled_from(options[1:]), unique=True))
        else:
            changed[qid] = data.draw(st.sampled_from(options))
    after = rules.evaluate(q, changed)
    assert (after.tier, after.reasons, after.score) == (before.tier, before.reasons, before.score)


_QUESTION_IDS = [*SAFETY, CHECKED, *HISTORY_OPTIONS, *SIGNS]
_OPTION_IDS = sorted({*LEVELS, "yes", "no", *(o for v in HISTORY_OPTIONS.values() for o in v)})
_keys = st.one_of(st.sampled_from(_QUESTION_IDS), st.text(max_size=20))
_values = st.one_of(st.sampled_from(_OPTION_IDS), st.text(max_size=12))


@settings(max_examples=200, deadline=None)
@given(answers=st.dictionaries(_keys, _values, max_size=30))
def test_route_partial_never_raises(answers: dict[str, str]) -> None:
    result = rules.route_partial(real(), answers)
    assert result.tier in TIERS
    assert result.score is None or 0 <= result.score <= 100


@settings(max_examples=200, deadline=None)
@given(
    answers=st.dictionaries(
        _keys, st.one_of(_values, st.lists(_values, max_size=4), st.none()), max_size=30
    )
)
def test_evaluate_raises_only_answers_error(answers: dict[str, Any]) -> None:
    try:
        result = rules.evaluate(real(), answers)
    except AnswersError as exc:
        assert exc.problems
        assert {p.code for p in exc.problems} <= {"A100", "A101", "A102"}
    else:
        assert result.tier in TIERS
