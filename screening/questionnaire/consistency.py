"""Checks across a questionnaire that a schema cannot express: ids, references, ranges, texts.

Each check is a small function that collects problems; none stops at the first.
"""

from __future__ import annotations

import string
from collections.abc import Iterator

from ..errors import Problem
from .models import Condition, Question, Questionnaire, texts_of
from .yamlread import Path_

TIERS = ("emergency", "urgent", "soon", "consult", "info")

# Ids that other parts of the product (and the clinic's records) rely on; they never change.
CONTRACT: dict[str, tuple[str, ...]] = {
    "rf_stroke_signs": ("now", "past_24h", "past_2w", "no", "unsure"),
    "rf_new_weakness": ("yes", "no", "unsure"),
    "rf_new_weakness_checked": ("yes", "no", "unsure"),
    "rf_breathing": ("yes", "no", "unsure"),
    "hx_age": ("lt_18", "18_39", "40_64", "65_plus"),
    "hx_palsy": ("yes", "no", "unsure"),
    "hx_onset": ("lt_3w", "3w_3m", "3_6m", "6_12m", "1_5y", "gt_5y"),
    "hx_seen_doctor": ("yes", "no"),
    "rf_ear_signs": ("yes", "no", "unsure"),
    "rf_other_nerves": ("yes", "no", "unsure"),
    "rf_both_sides": ("yes", "no", "unsure"),
    "rf_injury": ("yes", "no", "unsure"),
    "rf_pregnancy": ("yes", "no", "unsure"),
    "rf_infection": ("yes", "no", "unsure"),
    "rf_eye_danger": ("yes", "no", "unsure"),
    "rf_sudden_hearing": ("yes", "no", "unsure"),
    "rf_worsening": ("yes", "no", "unsure"),
    "rf_recurrence": ("yes", "no", "unsure"),
    "rf_lump": ("yes", "no", "unsure"),
    "rf_cancer": ("yes", "no", "unsure"),
    "hx_eye_closes": ("yes", "no_with_plan", "no", "unsure"),
    "hx_recovery": ("none", "some", "most", "full"),
    "hx_side": ("left", "right", "unsure"),
    "hx_treatment": ("none", "therapy", "botox", "surgery", "other"),
    "nh_twitching": ("yes", "no", "unsure"),
}
SIGN_OPTIONS = ("never", "rarely", "sometimes", "often", "always")
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

# Placeholders the app fills in; any other {name} in a text is a typo.
PLACEHOLDERS = frozenset(
    {
        "clinic_name",
        "clinic_phone",
        "clinic_text",
        "accessibility_phone",
        "emergency_number",
        "step",
        "total",
        "minutes",
        "size",  # the camera aid's download, in MB (web/selfcheck/mirror.py)
    }
)


class _Collector:
    def __init__(self, lines: dict[Path_, int], label: str) -> None:
        self.lines = lines
        self.label = label
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, *path: str | int) -> None:
        line = None
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                line = self.lines[path[:end]]
                break
        field = ".".join(str(p) for p in path)
        self.problems.append(Problem(code, message, self.label, line, field))


def check(q: Questionnaire, lines: dict[Path_, int], label: str) -> list[Problem]:
    """Every consistency problem of a schema-valid questionnaire."""
    c = _Collector(lines, label)
    _check_ids(q, c)
    _check_questions(q, c)
    _check_show_if(q, c)
    _check_tiers(q, c)
    _check_rules(q, c)
    _check_thresholds(q, c)
    _check_unused_thresholds(q, c)
    _check_placeholders(q, c)
    _check_contract(q, c)
    return c.problems


def resolve(q: Questionnaire, version: str) -> Questionnaire:
    """Copy scale options into each question that names a scale, and stamp the version."""
    steps = []
    for step in q.steps:
        questions = tuple(
            question.model_copy(update={"options": q.scales[question.scale].options})
            if question.scale
            else question
            for question in step.questions
        )
        steps.append(step.model_copy(update={"questions": questions}))
    return q.model_copy(update={"steps": tuple(steps), "version": version})


def _options(q: Questionnaire, question: Question) -> tuple[str, ...]:
    if question.scale and question.scale in q.scales:
        return tuple(o.id for o in q.scales[question.scale].options)
    return question.option_ids


def _question_paths(q: Questionnaire) -> Iterator[tuple[tuple[str | int, ...], Question]]:
    for si, step in enumerate(q.steps):
        for qi, question in enumerate(step.questions):
            yield ("steps", si, "questions", qi), question


def _check_ids(q: Questionnaire, c: _Collector) -> None:
    seen_steps: set[str] = set()
    for si, step in enumerate(q.steps):
        if step.id in seen_steps:
            c.add("E300", f"step id '{step.id}' is used twice", "steps", si, "id")
        seen_steps.add(step.id)
    seen: set[str] = set()
    for path, question in _question_paths(q):
        if question.id in seen:
            c.add("E300", f"question id '{question.id}' is used twice", *path, "id")
        seen.add(question.id)
    for name, scale in q.scales.items():
        ids = [o.id for o in scale.options]
        for i, oid in enumerate(ids):
            if oid in ids[:i]:
                c.add(
                    "E301", f"option id '{oid}' is used twice", "scales", name, "options", i, "id"
                )


def _check_questions(q: Questionnaire, c: _Collector) -> None:
    for path, question in _question_paths(q):
        if bool(question.scale) == bool(question.options):
            c.add("E202", "give either a scale or a list of options, not both or neither", *path)
            continue
        if question.scale and question.scale not in q.scales:
            c.add("E305", f"no scale named '{question.scale}'", *path, "scale")
            continue
        _check_options(q, question, path, c)
        if question.key_sign and not question.sign:
            c.add("E202", "a key sign must also be a sign", *path, "key_sign")
        if question.sign:
            _check_sign(q, question, path, c)


def _check_options(
    q: Questionnaire, question: Question, path: tuple[str | int, ...], c: _Collector
) -> None:
    ids = [o.id for o in question.options]
    for i, oid in enumerate(ids):
        if oid in ids[:i]:
            c.add("E301", f"option id '{oid}' is used twice", *path, "options", i, "id")
    for oid in question.exclusive:
        if oid not in _options(q, question):
            c.add("E304", f"'{oid}' is not an option of this question", *path, "exclusive")
    if question.exclusive and not question.multiple:
        c.add("E202", "exclusive options only make sense with multiple: true", *path)


def _check_sign(
    q: Questionnaire, question: Question, path: tuple[str | int, ...], c: _Collector
) -> None:
    scale = q.scales.get(question.scale or "")
    if scale is None or any(o.points is None for o in scale.options) or question.multiple:
        c.add("E313", "a sign needs one answer on a scale whose options all have points", *path)
    # The pictures help people answer; whether each file exists is checked by a test
    # (tests/test_illustrations.py) so that loading stays free of file access.
    for name in ("try_it", "illustration"):
        if getattr(question, name) is None:
            c.add("E314", f"a movement question needs {name}", *path)


def _check_show_if(q: Questionnaire, c: _Collector) -> None:
    asked: dict[str, Question] = {}
    for si, step in enumerate(q.steps):
        # A step's show_if may read only earlier steps: its own questions are not yet shown.
        if step.show_if is not None:
            _check_earlier(q, step.show_if, ("steps", si, "show_if"), asked, c)
        for qi, question in enumerate(step.questions):
            if question.show_if is not None:
                path = ("steps", si, "questions", qi, "show_if")
                _check_earlier(q, question.show_if, path, asked, c)
            asked[question.id] = question


def _check_earlier(
    q: Questionnaire,
    show_if: Condition,
    path: tuple[str | int, ...],
    asked: dict[str, Question],
    c: _Collector,
) -> None:
    for cpath, cond in _walk(show_if, path):
        if cond.score_at_least is not None or cond.signs is not None:
            c.add("E202", "show_if may only test earlier answers", *cpath)
        elif cond.question is not None and cond.question not in asked:
            known = {x.id for _, x in _question_paths(q)}
            code = "E303" if cond.question in known else "E302"
            what = "is asked later (or is this question)" if code == "E303" else "is unknown"
            c.add(code, f"question '{cond.question}' {what}", *cpath, "question")
        else:
            _check_condition_values(q, cond, asked, cpath, c)


def _walk(
    cond: Condition, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], Condition]]:
    yield path, cond
    for key in ("all", "any"):
        for i, child in enumerate(getattr(cond, key) or ()):
            yield from _walk(child, (*path, key, i))


def _check_condition_values(
    q: Questionnaire,
    cond: Condition,
    known: dict[str, Question],
    path: tuple[str | int, ...],
    c: _Collector,
) -> None:
    forms = [
        cond.all is not None,
        cond.any is not None,
        cond.question is not None,
        cond.score_at_least is not None,
        cond.signs is not None,
    ]
    if sum(forms) != 1:
        c.add(
            "E202",
            "a condition needs exactly one of: all, any, question, score_at_least, signs",
            *path,
        )
        return
    if cond.question is None:
        if cond.is_ or cond.is_not or cond.at_least:
            c.add("E202", "is / is_not / at_least go with a question", *path)
        return
    question = known.get(cond.question)
    if question is None:
        c.add("E302", f"question '{cond.question}' is unknown", *path, "question")
        return
    tests = [cond.is_ is not None, cond.is_not is not None, cond.at_least is not None]
    if sum(tests) != 1:
        c.add("E202", "a question test needs exactly one of: is, is_not, at_least", *path)
    options = _options(q, question)
    for key, values in (("is", cond.is_), ("is_not", cond.is_not), ("at_least", (cond.at_least,))):
        for value in values or ():
            if value is not None and value not in options:
                c.add("E304", f"'{value}' is not an option of '{question.id}'", *path, key)


def _check_tiers(q: Questionnaire, c: _Collector) -> None:
    ids = [t.id for t in q.tiers]
    for i, tid in enumerate(ids):
        if tid in ids[:i]:
            c.add("E300", f"tier '{tid}' is defined twice", "tiers", i, "id")
    for expected in TIERS:
        if expected not in ids:
            c.add("E312", f"the tier '{expected}' has no texts", "tiers")
    if [t for t in ids if t in TIERS] != [t for t in TIERS if t in ids]:
        c.add("E312", f"tiers must be listed highest first: {', '.join(TIERS)}", "tiers")
    if q.fallback.tier not in ids:
        c.add("E312", f"no tier '{q.fallback.tier}'", "fallback", "tier")
    if q.fallback.reason not in q.reasons:
        c.add("E308", f"reason '{q.fallback.reason}' has no text", "fallback", "reason")


def _check_rules(q: Questionnaire, c: _Collector) -> None:
    questions = {x.id: x for _, x in _question_paths(q)}
    given = {q.fallback.reason}
    for ri, rule in enumerate(q.rules):
        given.add(rule.reason)
        if rule.reason not in q.reasons:
            c.add(
                "E308", f"reason '{rule.reason}' has no text under reasons", "rules", ri, "reason"
            )
        if rule.tier is not None and rule.tier not in [t.id for t in q.tiers]:
            c.add("E312", f"no tier '{rule.tier}'", "rules", ri, "tier")
        if rule.with_tier is not None and rule.tier is not None:
            c.add("E202", "with_tier goes with a note (a rule without a tier)", "rules", ri)
        for tid in rule.with_tier or ():
            if tid not in [t.id for t in q.tiers]:
                c.add("E312", f"no tier '{tid}'", "rules", ri, "with_tier")
        for cpath, cond in _walk(rule.when, ("rules", ri, "when")):
            if cond.question is not None and cond.question not in questions:
                close = [x for x in questions if x.startswith(cond.question[:4])][:1]
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                c.add("E302", f"question '{cond.question}' is unknown{hint}", *cpath, "question")
            else:
                _check_condition_values(q, cond, questions, cpath, c)
            for name in _threshold_names(cond):
                if name not in q.thresholds:
                    c.add("E306", f"no threshold named '{name}'", *cpath)
    for name in q.reasons:
        if name not in given:
            c.add("E309", f"no rule gives the reason '{name}'", "reasons", name)


def _threshold_names(cond: Condition) -> list[str]:
    names = [cond.score_at_least] if cond.score_at_least else []
    if cond.signs is not None:
        names += [cond.signs.level, cond.signs.count]
    return names


def _check_unused_thresholds(q: Questionnaire, c: _Collector) -> None:
    used = {
        name
        for rule in q.rules
        for _, cond in _walk(rule.when, ())
        for name in _threshold_names(cond)
    }
    for name in q.thresholds:
        if name not in used:
            c.add("E315", f"no rule uses the threshold '{name}'", "thresholds", name)


def _check_thresholds(q: Questionnaire, c: _Collector) -> None:
    levels = _options(q, q.signs()[0]) if q.signs() else ()
    for ri, rule in enumerate(q.rules):
        for _cpath, cond in _walk(rule.when, ("rules", ri, "when")):
            uses: list[tuple[str, str]] = []
            if cond.score_at_least:
                uses.append((cond.score_at_least, "score"))
            if cond.signs is not None:
                uses += [(cond.signs.level, "level"), (cond.signs.count, "count")]
                pool = [s for s in q.signs() if s.key_sign or not cond.signs.key_only]
            for name, use in uses:
                t = q.thresholds.get(name)
                if t is None:
                    continue
                where = ("thresholds", name, "value")
                if use == "score" and not (isinstance(t.value, int) and 0 <= t.value <= 100):
                    c.add(
                        "E307",
                        f"a score threshold must be a whole number 0-100, not {t.value!r}",
                        *where,
                    )
                elif use == "count" and not (
                    isinstance(t.value, int) and 1 <= t.value <= len(pool)
                ):
                    c.add(
                        "E307",
                        f"a count must be a whole number 1-{len(pool)}, not {t.value!r}",
                        *where,
                    )
                elif use == "level" and t.value not in levels:
                    c.add(
                        "E307",
                        f"a level must be one of {', '.join(levels)}, not {t.value!r}",
                        *where,
                    )


def _check_placeholders(q: Questionnaire, c: _Collector) -> None:
    for path, text in texts_of(q):
        for lang in ("en", "es"):
            for _, name, _, _ in string.Formatter().parse(text.get(lang)):
                if name is not None and name not in PLACEHOLDERS:
                    c.add(
                        "E310",
                        f"unknown placeholder {{{name}}} in the '{lang}' text",
                        *_model_path_to_data(path),
                        lang,
                    )


def _model_path_to_data(path: str) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isdigit() else ("is" if p == "is_" else p) for p in path.split("."))


def _check_contract(q: Questionnaire, c: _Collector) -> None:
    questions = {x.id: x for _, x in _question_paths(q)}
    for qid, options in {**CONTRACT, **{s: SIGN_OPTIONS for s in SIGNS}}.items():
        question = questions.get(qid)
        if question is None:
            c.add("E311", f"the question '{qid}' is missing", "steps")
            continue
        missing = [o for o in options if o not in _options(q, question)]
        if missing:
            c.add("E311", f"'{qid}' lacks the options {', '.join(missing)}", "steps")
    for qid in SIGNS:
        if qid in questions and not questions[qid].sign:
            c.add("E311", f"'{qid}' must be a sign (sign: true)", "steps")
    for qid in KEY_SIGNS:
        if qid in questions and not questions[qid].key_sign:
            c.add("E311", f"'{qid}' must be a key sign (key_sign: true)", "steps")
