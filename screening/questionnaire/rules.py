"""The routing rules: answers in, result out. Pure: no clock, no files, no session state.

A questionnaire is walked step by step. A step whose show_if does not hold is skipped (the
movement questions are never asked of someone without a palsy). After each step the rules are
applied to the answers so far; a tier that `interrupts` (emergency) stops at once, a tier that
`ends_questionnaire` (urgent) stops after the step. Answers to questions that are hidden
(show_if) or that lie in steps never reached are ignored.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import AnswersError, Problem
from .models import Condition, Question, Questionnaire, Rule, SignCount, Step

AnswerValue = str | Sequence[str]
Answers = Mapping[str, AnswerValue]


@dataclass(frozen=True)
class Result:
    """Where the answers route a person, and why."""

    tier: str
    reasons: tuple[str, ...]  # highest tier's reasons first, then lower ones, then notes
    score: int | None  # 0-100 for routing and statistics only; never shown to the person
    evidence: tuple[str, ...]  # question ids whose answers led to the reasons, in asked order
    steps_reached: tuple[str, ...]
    questionnaire_version: str
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)  # the answers that counted


@dataclass(frozen=True)
class Progress:
    """How far a set of answers gets through the questionnaire."""

    steps_reached: tuple[str, ...]
    complete: bool  # every reached step is fully answered (or an interrupting tier applies)
    stopped_by: str | None  # the tier that ended the questionnaire early, if any
    missing: tuple[str, ...]  # required, visible, unanswered questions in reached steps


def is_answered(value: AnswerValue | None) -> bool:
    """True when a value counts as an answer (a list counts even when empty: optional multi)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value != ""
    return True


def is_visible(question: Question, answers: Answers) -> bool:
    """Whether a question is shown, given the answers to earlier questions."""
    return question.show_if is None or _match(question.show_if, answers, None)[0]


def is_step_shown(step: Step, answers: Answers) -> bool:
    """Whether a step applies to this person, given the answers to earlier steps."""
    return step.show_if is None or _match(step.show_if, answers, None)[0]


# Why a memo: one script run asks for the same walk many times (the step counter, whether Next
# ends the check, the step after and before, the resume snapshot), and each walk matches every
# rule after every step: most of a rerun's CPU under load (bench/RESULTS.md). Keyed by the
# questionnaire object (dropped with it) and the answers' values; bounded, cleared when full.
_WALKS: dict[int, dict[tuple[tuple[str, object], ...], Progress]] = {}
_WALKS_KEPT = 2048


def _frozen(answers: Answers) -> tuple[tuple[str, object], ...] | None:
    """The answers as a hashable key, or None when a value is of no known shape."""
    items: list[tuple[str, object]] = []
    for qid, value in answers.items():
        if isinstance(value, str):
            items.append((qid, value))
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            items.append((qid, tuple(value)))
        else:
            return None
    return tuple(sorted(items))


def progress(q: Questionnaire, answers: Answers) -> Progress:
    """Walk the steps in order and tell where these answers stop."""
    key = _frozen(answers)
    if key is None:
        return _walk(q, answers)
    walks = _WALKS.get(id(q))
    if walks is None:
        walks = _WALKS[id(q)] = {}
        weakref.finalize(q, _WALKS.pop, id(q), None)  # an id is reused only after q is gone
    found = walks.get(key)
    if found is None:
        if len(walks) >= _WALKS_KEPT:
            walks.clear()
        found = walks[key] = _walk(q, answers)
    return found


def _walk(q: Questionnaire, answers: Answers) -> Progress:
    reached: list[str] = []
    counted: dict[str, AnswerValue] = {}
    for step in q.steps:
        if not is_step_shown(step, counted):
            continue
        reached.append(step.id)
        missing = []
        for question in step.questions:
            if not is_visible(question, counted):
                continue
            value = answers.get(question.id)
            if is_answered(value):
                counted[question.id] = value  # type: ignore[assignment]
            elif question.required:
                missing.append(question.id)
        stop = interrupting_tier(q, counted)
        if stop is not None:
            return Progress(tuple(reached), True, stop, ())
        if missing:
            return Progress(tuple(reached), False, None, tuple(missing))
        tier = _tier_of(q, counted)
        if tier is not None and q.tier(tier).ends_questionnaire:
            return Progress(tuple(reached), True, tier, ())
    return Progress(tuple(reached), True, None, ())


def interrupting_tier(q: Questionnaire, answers: Answers) -> str | None:
    """The tier that stops the questionnaire at once, if one applies and is settled.

    Settled: every shown question its rule reads is answered, so "new weakness: yes" waits
    for "has a doctor checked it?" before it can stop the questionnaire.
    """
    for rule in q.rules:
        if rule.tier is None or not q.tier(rule.tier).interrupts:
            continue
        if not _match(rule.when, answers, q)[0]:
            continue
        open_questions = [
            qid
            for qid in rule.when.questions()
            if not is_answered(answers.get(qid)) and is_visible(q.question(qid), answers)
        ]
        if not open_questions:
            return rule.tier
    return None


def effective_answers(
    q: Questionnaire, answers: Answers, walked: Progress | None = None
) -> dict[str, AnswerValue]:
    """The answers that count: visible questions in reached steps, in asked order. `walked`:
    progress(q, answers) when the caller has it already (it is most of the work)."""
    reached = set((walked or progress(q, answers)).steps_reached)
    counted: dict[str, AnswerValue] = {}
    for step in q.steps:
        if step.id not in reached:
            continue
        for question in step.questions:
            value = answers.get(question.id)
            if is_visible(question, counted) and is_answered(value):
                counted[question.id] = value  # type: ignore[assignment]
    return counted


def step_after(q: Questionnaire, answers: Answers, index: int) -> int | None:
    """The index of the next step shown to this person, or None when the check is over."""
    stop = progress(q, answers)
    if stop.stopped_by is not None and not stop.missing:
        return None
    counted = effective_answers(q, answers, stop)
    for later in range(index + 1, len(q.steps)):
        if is_step_shown(q.steps[later], counted):
            return later
    return None


def step_before(q: Questionnaire, answers: Answers, index: int) -> int | None:
    """The index of the step shown before this one, or None from the first."""
    counted = effective_answers(q, answers)
    for earlier in range(index - 1, -1, -1):
        if is_step_shown(q.steps[earlier], counted):
            return earlier
    return None


def steps_ahead(q: Questionnaire, answers: Answers) -> tuple[str, ...]:
    """The steps this person is shown, or may still be shown: a step counts until the answers
    its show_if reads are given and rule it out. For "step 2 of 7"."""
    counted = effective_answers(q, answers)
    return tuple(
        step.id
        for step in q.steps
        if step.show_if is None
        or is_step_shown(step, counted)
        or any(_still_open(q, qid, counted) for qid in step.show_if.questions())
    )


def _still_open(q: Questionnaire, question_id: str, counted: Answers) -> bool:
    """Not answered, and it may yet be asked (it is shown, or what decides that is open)."""
    if is_answered(counted.get(question_id)):
        return False
    show_if = q.question(question_id).show_if
    return (
        show_if is None
        or _match(show_if, counted, None)[0]
        or any(_still_open(q, qid, counted) for qid in show_if.questions())
    )


def validate(q: Questionnaire, answers: Answers) -> list[Problem]:
    """Every problem with a set of answers: unknown ids, invalid values, missing answers."""
    problems: list[Problem] = []
    known = {question.id: question for question in q.questions()}
    for qid, value in answers.items():
        question = known.get(qid)
        if question is None:
            problems.append(Problem("A100", f"'{qid}' is not a question", field=qid))
            continue
        problems += _check_value(question, value)
    if problems:
        return problems
    for qid in progress(q, answers).missing:
        problems.append(Problem("A102", "this question needs an answer", field=qid))
    return problems


def _check_value(question: Question, value: object) -> list[Problem]:
    options = question.option_ids
    if question.multiple:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return [Problem("A101", "expected a list of option ids", field=question.id)]
        bad = [v for v in value if v not in options]
        if bad:
            return [
                Problem("A101", f"{bad[0]!r} is not one of {', '.join(options)}", field=question.id)
            ]
        if len(set(value)) != len(value):
            return [Problem("A101", "an option is given twice", field=question.id)]
        alone = [v for v in value if v in question.exclusive]
        if alone and len(value) > 1:
            return [
                Problem(
                    "A101", f"'{alone[0]}' cannot be combined with other answers", field=question.id
                )
            ]
        return []
    if not isinstance(value, str) or value not in options:
        shown = repr(value)[:40]
        return [Problem("A101", f"{shown} is not one of {', '.join(options)}", field=question.id)]
    return []


def evaluate(q: Questionnaire, answers: Answers) -> Result:
    """Route a complete set of answers to a tier with its reasons; AnswersError if not valid."""
    problems = validate(q, answers)
    if problems:
        raise AnswersError(problems)
    return _route(q, answers)


def route_partial(q: Questionnaire, answers: Answers) -> Result:
    """Route whatever has been answered so far (the app uses this while a step is open)."""
    valid = {k: v for k, v in answers.items() if _is_valid_pair(q, k, v)}
    return _route(q, valid)


def _is_valid_pair(q: Questionnaire, qid: str, value: object) -> bool:
    try:
        return not _check_value(q.question(qid), value)
    except KeyError:
        return False


def _route(q: Questionnaire, answers: Answers) -> Result:
    state = progress(q, answers)
    counted = effective_answers(q, answers)
    movements_reached = all(
        step.id in state.steps_reached for step in q.steps if any(x.sign for x in step.questions)
    )
    tier, chosen, fell_back = _decide(q, counted)
    reasons = [r.reason for r, _ in chosen]
    if fell_back:
        reasons.insert(0, q.fallback.reason)
    used = frozenset().union(*(e for _, e in chosen)) if chosen else frozenset()
    evidence = tuple(qid for qid in counted if qid in used and noticed(q.question(qid), counted))
    return Result(
        tier=tier,
        reasons=tuple(dict.fromkeys(reasons)),
        score=score(q, counted) if movements_reached else None,
        evidence=evidence,
        steps_reached=state.steps_reached,
        questionnaire_version=q.version,
        answers=counted,
    )


def _decide(
    q: Questionnaire, counted: Answers
) -> tuple[str, list[tuple[Rule, frozenset[str]]], bool]:
    """The tier, the rules that speak (tier rules highest first, then the notes that go with the
    tier) with the questions each used, and whether the fallback tier was taken."""
    matched = [(rule, why) for rule in q.rules for ok, why in [_match(rule.when, counted, q)] if ok]
    tiered = [(r, e) for r, e in matched if r.tier is not None]
    tiered.sort(key=lambda pair: q.tier_rank(pair[0].tier or ""))  # stable: keeps file order
    tier = tiered[0][0].tier or "" if tiered else q.fallback.tier
    notes = [
        (r, e)
        for r, e in matched
        if r.tier is None and (r.with_tier is None or tier in r.with_tier)
    ]
    return tier, tiered + notes, not tiered


def _tier_of(q: Questionnaire, answers: Answers) -> str | None:
    ranks = [q.tier_rank(r.tier) for r in q.rules if r.tier and _match(r.when, answers, q)[0]]
    return q.tiers[min(ranks)].id if ranks else None


def score(q: Questionnaire, answers: Answers) -> int:
    """100 x sign points / maximum points, rounded half up; unanswered signs count 0."""
    signs = q.signs()
    if not signs:
        return 0
    top = max(o.points or 0 for o in signs[0].options)
    total = sum(_points(s, answers) for s in signs)
    denominator = top * len(signs)
    # Integer arithmetic: round half up without float surprises (2.5 -> 3, not banker's 2).
    return (200 * total + denominator) // (2 * denominator)


def noticed(question: Question, answers: Answers) -> bool:
    """A movement is named on the result and the summary only when it comes at least at the
    middle of the scale ("sometimes"): a rare one is no evidence a person should be shown."""
    if not question.sign:
        return True
    top = max(o.points or 0 for o in question.options)
    return 2 * _points(question, answers) >= top


def _points(question: Question, answers: Answers) -> int:
    value = answers.get(question.id)
    if not isinstance(value, str):
        return 0
    opt = question.option(value)
    return opt.points or 0 if opt else 0


def _level(question: Question, option_id: str) -> int:
    ids = question.option_ids
    return ids.index(option_id) if option_id in ids else -1


Matched = tuple[bool, frozenset[str]]
_NONE: frozenset[str] = frozenset()


def _match(cond: Condition, answers: Answers, q: Questionnaire | None) -> Matched:
    """Whether a condition holds, and which answered questions made it hold."""
    if cond.all is not None:
        return _match_all(cond.all, answers, q)
    if cond.any is not None:
        return _match_any(cond.any, answers, q)
    if cond.question is not None:
        return _match_question(cond, answers, q)
    if q is None:  # show_if may only test answers; the loader refuses anything else
        return False, _NONE
    if cond.score_at_least is not None:
        return _match_score(q, cond.score_at_least, answers)
    if cond.signs is not None:
        return _match_signs(q, cond.signs, answers)
    return False, _NONE


def _match_all(conds: Sequence[Condition], answers: Answers, q: Questionnaire | None) -> Matched:
    results = [_match(c, answers, q) for c in conds]
    ok = all(r[0] for r in results)
    return ok, frozenset().union(*(r[1] for r in results)) if ok else _NONE


def _match_any(conds: Sequence[Condition], answers: Answers, q: Questionnaire | None) -> Matched:
    found = [why for ok, why in (_match(c, answers, q) for c in conds) if ok]
    return bool(found), frozenset().union(*found) if found else _NONE


def _match_score(q: Questionnaire, threshold: str, answers: Answers) -> Matched:
    limit = q.thresholds[threshold].value
    ok = isinstance(limit, int) and score(q, answers) >= limit
    moved = frozenset(s.id for s in q.signs() if _points(s, answers) > 0)
    return ok, moved if ok else _NONE


def _match_signs(q: Questionnaire, signs: SignCount, answers: Answers) -> Matched:
    level = str(q.thresholds[signs.level].value)
    count = q.thresholds[signs.count].value
    pool = [s for s in q.signs() if s.key_sign or not signs.key_only]
    hits = frozenset(
        s.id
        for s in pool
        if isinstance(answers.get(s.id), str) and _level(s, str(answers[s.id])) >= _level(s, level)
    )
    ok = isinstance(count, int) and len(hits) >= count
    return ok, hits if ok else _NONE


def _match_question(
    cond: Condition, answers: Answers, q: Questionnaire | None
) -> tuple[bool, frozenset[str]]:
    qid = cond.question or ""
    value = answers.get(qid)
    given = [value] if isinstance(value, str) else list(value or [])
    hit = frozenset({qid}) if given else frozenset()
    if cond.is_ is not None:
        ok = any(v in cond.is_ for v in given)
        return ok, hit if ok else frozenset()
    if cond.is_not is not None:
        return not any(v in cond.is_not for v in given), hit
    if cond.at_least is not None and q is not None and isinstance(value, str):
        question = q.question(qid)
        ok = _level(question, value) >= _level(question, cond.at_least)
        return ok, hit if ok else frozenset()
    return False, frozenset()
