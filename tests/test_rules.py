"""The routing rules against their specification: paths, stopping, score, validation and
properties. The clinical table (who gets which tier and why) is tests/test_vignettes.py."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from core_spec import (
    ABOUT_OPTIONS,
    CHECKED,
    EMERGENCY,
    HISTORY_OPTIONS,
    KEY_SIGNS,
    LEVELS,
    NO_EMERGENCY,
    REASONS,
    RECENT,
    SAFETY,
    SIGNS,
    STROKE_OPTIONS,
    TIERS,
    YES_NO_UNSURE,
    AnswerSet,
    build,
    expected_score,
    points,
)
from hypothesis import given
from hypothesis import strategies as st

from screening.errors import AnswersError
from screening.questionnaire import rules
from screening.questionnaire.loader import DEFAULT_QUESTIONS, load_questionnaire
from screening.questionnaire.models import Questionnaire

NEVER = dict.fromkeys(SIGNS, "never")
STEPS = (
    "emergency",
    "about_you",
    "recent",
    "safety",
    "history",
    "no_palsy",
    "movements_eye",
    "movements_mouth",
    "movements_feel",
)
MOVEMENT_STEPS = STEPS[6:]
WHOLE_PATH = ("emergency", "about_you", "safety", "history", *MOVEMENT_STEPS)


def signs(**levels: str) -> dict[str, str]:
    """Sign answers: the given levels, every other sign "never"."""
    return {**NEVER, **levels}


# Twelve points exactly (score 25) with one sign at "sometimes" or more and none at "often",
# so only the score can make it a consult. Each point is worth 100/48 = 2.08, so the nearest
# score below 25 is 23 (11 points).
SCORE_25 = signs(**dict.fromkeys(SIGNS[:10], "rarely"), twitching="sometimes")
SCORE_23 = {**SCORE_25, "face_tight": "never"}


@pytest.mark.parametrize(
    ("total", "score"),
    [(0, 0), (1, 2), (3, 6), (6, 13), (11, 23), (12, 25), (13, 27), (47, 98), (48, 100)],
)
def test_score_rounds_half_up(questionnaire: Questionnaire, total: int, score: int) -> None:
    # 100 x total / 48: 6.25 -> 6, 12.5 -> 13 (banker's rounding would give 12).
    levels = [min(4, max(0, total - 4 * i)) for i in range(len(SIGNS))]
    answers = {sign: LEVELS[level] for sign, level in zip(SIGNS, levels, strict=True)}
    assert rules.score(questionnaire, answers) == score == expected_score(total)


def test_score_for_every_points_total(questionnaire: Questionnaire) -> None:
    for total in range(4 * len(SIGNS) + 1):
        levels = [min(4, max(0, total - 4 * i)) for i in range(len(SIGNS))]
        answers = {sign: LEVELS[level] for sign, level in zip(SIGNS, levels, strict=True)}
        assert rules.score(questionnaire, answers) == expected_score(total), total


def test_the_score_alone_can_suggest_a_visit(questionnaire: Questionnaire) -> None:
    assert rules.score(questionnaire, SCORE_25) == 25
    assert rules.score(questionnaire, SCORE_23) == 23
    assert questionnaire.thresholds["consult_score"].value == 25
    assert rules.evaluate(questionnaire, build(**SCORE_25)).tier == "consult"
    assert rules.evaluate(questionnaire, build(**SCORE_23)).tier == "info"


def test_rare_movements_are_not_named_as_evidence(questionnaire: Questionnaire) -> None:
    result = rules.evaluate(questionnaire, build(**SCORE_25))
    assert result.reasons == ("linked_movements",)
    assert [qid for qid in result.evidence if qid in SIGNS] == ["twitching"]


# --- paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        pytest.param({}, WHOLE_PATH, id="palsy-years-ago"),
        pytest.param({"hx_palsy": "unsure"}, WHOLE_PATH, id="palsy-unsure"),
        pytest.param(
            {"hx_palsy": "no"}, ("emergency", "about_you", "safety", "no_palsy"), id="no-palsy"
        ),
        pytest.param(
            {"hx_onset": "lt_3w"},
            ("emergency", "about_you", "recent", "safety", "history"),
            id="palsy-under-3-weeks",
        ),
        pytest.param(
            {"hx_onset": "3w_3m"},
            ("emergency", "about_you", "recent", "safety", "history", *MOVEMENT_STEPS),
            id="palsy-under-3-months",
        ),
    ],
)
def test_each_person_sees_the_steps_of_their_path(
    questionnaire: Questionnaire, changes: dict[str, str], path: tuple[str, ...]
) -> None:
    answers = build(**changes)
    assert rules.progress(questionnaire, answers).steps_reached == path
    assert rules.steps_ahead(questionnaire, answers) == path
    result = rules.evaluate(questionnaire, answers)
    assert (result.score is None) == ("movements_eye" not in path)


def test_steps_ahead_counts_steps_not_yet_ruled_out(questionnaire: Questionnaire) -> None:
    assert rules.steps_ahead(questionnaire, {}) == STEPS
    about = {**NO_EMERGENCY, "hx_age": "40_64", "hx_palsy": "yes"}
    assert "no_palsy" not in rules.steps_ahead(questionnaire, about)
    assert "recent" in rules.steps_ahead(questionnaire, about)  # hx_onset not answered yet


def test_next_and_back_skip_the_steps_a_person_is_not_shown(questionnaire: Questionnaire) -> None:
    ids = [s.id for s in questionnaire.steps]
    no_palsy = build(hx_palsy="no")
    assert ids[rules.step_after(questionnaire, no_palsy, ids.index("about_you")) or 0] == "safety"
    assert ids[rules.step_after(questionnaire, no_palsy, ids.index("safety")) or 0] == "no_palsy"
    assert rules.step_after(questionnaire, no_palsy, ids.index("no_palsy")) is None
    assert ids[rules.step_before(questionnaire, no_palsy, ids.index("no_palsy")) or 0] == "safety"
    palsy = build()
    after_history = rules.step_after(questionnaire, palsy, ids.index("history"))
    assert after_history is not None and ids[after_history] == "movements_eye"
    assert rules.step_before(questionnaire, palsy, ids.index("safety")) == ids.index("about_you")
    assert rules.step_before(questionnaire, palsy, 0) is None


# --- stopping early -------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["now", "past_24h"])
def test_stroke_signs_alone_is_a_complete_answer(questionnaire: Questionnaire, when: str) -> None:
    result = rules.evaluate(questionnaire, {"rf_stroke_signs": when})
    assert result.tier == "emergency"
    assert result.reasons == ("stroke_signs",)
    assert result.score is None
    assert result.steps_reached == ("emergency",)


def test_unchecked_new_weakness_alone_is_a_complete_answer(questionnaire: Questionnaire) -> None:
    answers = {"rf_new_weakness": "yes", CHECKED: "no"}
    result = rules.evaluate(questionnaire, answers)
    assert (result.tier, result.reasons) == ("emergency", ("new_weakness_unchecked",))


@pytest.mark.parametrize("new", ["yes", "unsure"])
def test_new_weakness_waits_for_the_checked_answer(questionnaire: Questionnaire, new: str) -> None:
    # "new weakness" cannot settle the tier until "has a doctor checked it?" is answered.
    answers = build(rf_new_weakness=new, **{CHECKED: None})
    progress = rules.progress(questionnaire, answers)
    assert (progress.complete, progress.stopped_by, progress.missing) == (False, None, (CHECKED,))
    with pytest.raises(AnswersError) as caught:
        rules.evaluate(questionnaire, answers)
    assert [(p.code, p.field) for p in caught.value.problems] == [("A102", CHECKED)]


def test_emergency_ignores_every_later_step(questionnaire: Questionnaire) -> None:
    answers = build(
        rf_stroke_signs="now",
        hx_recovery="none",
        hx_onset="lt_3w",
        hx_seen_doctor="no",
        **signs(eye_narrows_smile="always", neck_tightens="always"),
    )
    result = rules.evaluate(questionnaire, answers)
    assert result.tier == "emergency"
    assert result.reasons == ("stroke_signs",)  # no linked_movements, no early note
    assert result.score is None
    assert set(result.answers) <= {*EMERGENCY, CHECKED}


def test_urgent_ends_after_its_step(questionnaire: Questionnaire) -> None:
    first_step = {**NO_EMERGENCY, "rf_stroke_signs": "past_2w"}
    result = rules.evaluate(questionnaire, first_step)  # nothing after the first step is needed
    assert result.tier == "urgent"
    assert result.score is None
    assert result.steps_reached == ("emergency",)
    progress = rules.progress(questionnaire, first_step)
    assert (progress.complete, progress.stopped_by, progress.missing) == (True, "urgent", ())


def test_urgent_still_needs_the_rest_of_its_step(questionnaire: Questionnaire) -> None:
    answers = {"rf_stroke_signs": "past_2w", "rf_new_weakness": "no"}
    with pytest.raises(AnswersError) as caught:
        rules.evaluate(questionnaire, answers)
    assert [(p.code, p.field) for p in caught.value.problems] == [("A102", "rf_breathing")]


# --- visibility -----------------------------------------------------------------------------


def test_hidden_answers_are_ignored(questionnaire: Questionnaire) -> None:
    # hx_palsy "no" hides the follow-ups: their answers must not give no_recovery or early.
    answers = build(hx_palsy="no", hx_recovery="none", hx_onset="3_6m")
    result = rules.evaluate(questionnaire, answers)
    assert (result.tier, result.reasons) == ("info", ("no_warning_signs", "no_palsy_history"))
    assert not set(result.answers) & {"hx_onset", "hx_seen_doctor", *HISTORY_OPTIONS, *SIGNS}
    early = rules.evaluate(questionnaire, build(hx_palsy="no", hx_onset="lt_3w"))
    assert "early" not in early.reasons


@pytest.mark.parametrize("palsy", ["yes", "unsure"])
def test_palsy_yes_or_unsure_asks_the_follow_ups(questionnaire: Questionnaire, palsy: str) -> None:
    answers = build(hx_palsy=palsy, hx_onset=None, hx_seen_doctor=None)
    progress = rules.progress(questionnaire, answers)
    assert progress.steps_reached == ("emergency", "about_you")
    assert progress.missing == ("hx_onset", "hx_seen_doctor")


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
        pytest.param(build(rf_stroke_signs="yes"), [("A101", "rf_stroke_signs")], id="old-yes"),
        pytest.param(build(twitching="3"), [("A101", "twitching")], id="points-not-option"),
        pytest.param(build(hx_onset="lt_3m"), [("A101", "hx_onset")], id="old-onset"),
        pytest.param(build(hx_onset=None), [("A102", "hx_onset")], id="missing-follow-up"),
        pytest.param(build(hx_age=None), [("A102", "hx_age")], id="missing-age"),
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
        pytest.param({}, [("A102", qid) for qid in EMERGENCY], id="nothing-answered"),
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
    assert progress.steps_reached == WHOLE_PATH


# --- partial routing ------------------------------------------------------------------------


def test_route_partial_drops_invalid_pairs(questionnaire: Questionnaire) -> None:
    result = rules.route_partial(
        questionnaire, {"rf_stroke_signs": "now", "junk": "x", "rf_lump": "maybe"}
    )
    assert result.tier == "emergency"
    assert "rf_lump" not in result.answers


def test_route_partial_without_movements_has_no_score(questionnaire: Questionnaire) -> None:
    result = rules.route_partial(questionnaire, NO_EMERGENCY)
    assert result.score is None
    assert result.steps_reached == ("emergency", "about_you")


# --- the real file --------------------------------------------------------------------------


def test_real_questionnaire_matches_the_spec() -> None:
    q = load_questionnaire(DEFAULT_QUESTIONS)
    assert tuple(step.id for step in q.steps) == STEPS
    by_step = {step.id: [x.id for x in step.questions] for step in q.steps}
    assert by_step["emergency"] == ["rf_stroke_signs", "rf_new_weakness", CHECKED, "rf_breathing"]
    assert q.question("rf_stroke_signs").option_ids == STROKE_OPTIONS
    assert by_step["about_you"] == list(ABOUT_OPTIONS)
    assert by_step["about_you"][0] == "hx_age"  # first: every later result can speak to a parent
    for qid, options in {**ABOUT_OPTIONS, **HISTORY_OPTIONS}.items():
        assert q.question(qid).option_ids == options, qid
    assert by_step["recent"] == list(RECENT)
    assert by_step["safety"] == list(SAFETY)
    assert by_step["history"] == list(HISTORY_OPTIONS)
    assert by_step["no_palsy"] == ["nh_twitching"]
    flags = [*RECENT, *SAFETY, "rf_new_weakness", CHECKED, "rf_breathing", "nh_twitching"]
    for qid in flags:
        assert q.question(qid).option_ids == YES_NO_UNSURE, qid
    for question in q.questions():
        assert not question.options or question.required or question.id == "hx_treatment"
    treatment = q.question("hx_treatment")
    assert (treatment.multiple, treatment.required, treatment.exclusive) == (True, False, ("none",))
    movement = [x for step in q.steps if step.id in MOVEMENT_STEPS for x in step.questions]
    assert [x.id for x in movement] == list(SIGNS)
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
    """Complete answer sets for every path: every question answered (hidden ones too, which must
    be ignored); about half raise no flag at all, so the later steps get exercised."""
    risky = draw(st.booleans())

    def flag(options: tuple[str, ...] = YES_NO_UNSURE) -> str:
        return draw(st.sampled_from(options)) if risky and draw(st.booleans()) else "no"

    answers: AnswerSet = {
        "rf_stroke_signs": flag(STROKE_OPTIONS),
        "rf_new_weakness": flag(),
        CHECKED: draw(st.sampled_from(YES_NO_UNSURE)),
        "rf_breathing": flag(),
    }
    for qid, options in ABOUT_OPTIONS.items():
        answers[qid] = draw(st.sampled_from(options))
    for qid in (*RECENT, *SAFETY):
        answers[qid] = flag()
    for qid in ("hx_eye_closes", "hx_recovery", "hx_side"):
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
    answers["nh_twitching"] = draw(st.sampled_from(YES_NO_UNSURE))
    for sign in SIGNS:
        answers[sign] = draw(st.sampled_from(LEVELS))
    return answers


def _rank(tier: str) -> int:
    return TIERS.index(tier)


STEP_OF = {
    **dict.fromkeys([*EMERGENCY, CHECKED], "emergency"),
    **dict.fromkeys(ABOUT_OPTIONS, "about_you"),
    **dict.fromkeys(RECENT, "recent"),
    **dict.fromkeys(SAFETY, "safety"),
    **dict.fromkeys(HISTORY_OPTIONS, "history"),
    "nh_twitching": "no_palsy",
    **dict.fromkeys(SIGNS, "movements"),
}


def _ignored(answers: AnswerSet, reached: tuple[str, ...]) -> set[str]:
    """Questions whose answers must not count: hidden ones and those in steps not reached,
    from the specification (not from the questionnaire's own show_if)."""
    ignored = {qid for qid, step in STEP_OF.items() if not any(s.startswith(step) for s in reached)}
    if answers["rf_new_weakness"] == "no":
        ignored.add(CHECKED)
    if answers["hx_palsy"] == "no":
        ignored |= {"hx_onset", "hx_seen_doctor", *RECENT, *HISTORY_OPTIONS, *SIGNS}
    else:
        ignored.add("nh_twitching")
        if answers["hx_onset"] not in ("lt_3w", "3w_3m"):
            ignored |= set(RECENT)
        if answers["hx_onset"] == "lt_3w":
            ignored |= set(SIGNS)
    return ignored


@given(answers=complete_answers())
def test_score_is_in_range_and_none_only_without_movements(answers: AnswerSet) -> None:
    result = rules.evaluate(real(), answers)
    asked = "movements_eye" in result.steps_reached
    if not asked:
        assert result.score is None
    else:
        assert result.score == expected_score(points(answers))
        assert 0 <= result.score <= 100
    if "linked_movements" in result.reasons:
        assert asked and answers["hx_palsy"] != "no" and answers["hx_onset"] != "lt_3w"


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


@given(answers=complete_answers(), flag=st.sampled_from([*EMERGENCY, *RECENT, *SAFETY]))
def test_not_sure_lies_between_no_and_yes(answers: AnswerSet, flag: str) -> None:
    """'I'm not sure' on a safety question never gives a higher tier than 'yes', nor a lower one
    than 'no': a person who cannot tell is never reassured more than one who says no."""
    q = real()
    yes = "now" if flag == "rf_stroke_signs" else "yes"
    tiers = [_rank(rules.evaluate(q, {**answers, flag: v}).tier) for v in (yes, "unsure", "no")]
    assert tiers[0] <= tiers[1] <= tiers[2]


@given(answers=complete_answers(), which=st.sampled_from(["now", "past_24h", "weak", "breath"]))
def test_an_emergency_answer_always_gives_emergency(answers: AnswerSet, which: str) -> None:
    if which == "weak":
        answers["rf_new_weakness"] = "yes"
        answers[CHECKED] = "no"
    elif which == "breath":
        answers["rf_breathing"] = "yes"
    else:
        answers["rf_stroke_signs"] = which
    result = rules.evaluate(real(), answers)
    assert result.tier == "emergency"
    assert result.reasons[0] in REASONS["emergency"]
    assert result.score is None
    assert result.steps_reached == ("emergency",)


@given(answers=complete_answers())
def test_a_result_leads_with_a_reason_of_its_own_tier(answers: AnswerSet) -> None:
    result = rules.evaluate(real(), answers)
    if result.tier in REASONS:
        assert result.reasons[0] in REASONS[result.tier]
    else:
        assert result.reasons[0] == "no_warning_signs"


@given(answers=complete_answers(), data=st.data())
def test_hidden_or_unreached_answers_never_change_the_result(
    answers: AnswerSet, data: st.DataObject
) -> None:
    q = real()
    before = rules.evaluate(q, answers)
    ignored = _ignored(answers, before.steps_reached)
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


_QUESTION_IDS = list(STEP_OF)
_OPTION_IDS = sorted(
    {
        *LEVELS,
        *YES_NO_UNSURE,
        *STROKE_OPTIONS,
        *(o for v in {**ABOUT_OPTIONS, **HISTORY_OPTIONS}.values() for o in v),
    }
)
_keys = st.one_of(st.sampled_from(_QUESTION_IDS), st.text(max_size=20))
_values = st.one_of(st.sampled_from(_OPTION_IDS), st.text(max_size=12))


@given(answers=st.dictionaries(_keys, _values, max_size=40))
def test_route_partial_never_raises(answers: dict[str, str]) -> None:
    result = rules.route_partial(real(), answers)
    assert result.tier in TIERS
    assert result.score is None or 0 <= result.score <= 100


@given(
    answers=st.dictionaries(
        _keys, st.one_of(_values, st.lists(_values, max_size=4), st.none()), max_size=40
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



_ANY_ANSWERS = st.dictionaries(
    _keys, st.one_of(_values, st.lists(_values, max_size=4), st.none()), max_size=40
)


@given(answers=st.one_of(complete_answers(), _ANY_ANSWERS), data=st.data())
def test_the_remembered_walk_is_the_walk_for_these_answers(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    # progress() remembers walks by the answers' values: asked again it gives the same walk,
    # and answers changed in place get their own.
    q = real()
    assert rules.progress(q, answers) == rules._walk(q, answers)
    assert rules.progress(q, answers) == rules._walk(q, answers)
    answers[data.draw(st.sampled_from(_QUESTION_IDS))] = data.draw(st.sampled_from(_OPTION_IDS))
    assert rules.progress(q, answers) == rules._walk(q, answers)


@given(a=_ANY_ANSWERS, b=_ANY_ANSWERS)
def test_walks_are_remembered_under_the_answers_values(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    def values(answers: dict[str, Any]) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}

    key_a, key_b = rules._frozen(a), rules._frozen(b)
    if any(v is None for v in (*a.values(), *b.values())):
        return  # None is no answer shape: such answers are walked afresh (key None)
    assert key_a is not None and key_b is not None
    assert (key_a == key_b) == (values(a) == values(b))
    assert rules._frozen({**a}) == key_a  # a copy: the same key


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"hx_treatment": ["therapy"]}, {"hx_treatment": ["botox"]}, False),
        ({"hx_treatment": ["therapy"]}, {"hx_treatment": ("therapy",)}, True),
        ({"hx_palsy": "yes", "hx_age": "adult"}, {"hx_age": "adult", "hx_palsy": "yes"}, True),
        ({"hx_palsy": "yes"}, {"hx_palsy": "no"}, False),
        ({"hx_palsy": "yes"}, {"hx_palsy": ["yes"]}, False),
    ],
)
def test_the_walks_key_tells_answers_apart(
    a: dict[str, Any], b: dict[str, Any], same: bool
) -> None:
    assert (rules._frozen(a) == rules._frozen(b)) is same
