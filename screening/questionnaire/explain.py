"""The questionnaire's rules as plain-English decision tables (docs/RULES.md).

Made from the loaded questionnaire, never written by hand: a clinician reviews what the code
runs. `python -m screening explain > docs/RULES.md` writes it; a test fails when it is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

from .models import Condition, Question, Questionnaire, Rule, Step


def explain(q: Questionnaire) -> str:
    """The whole document, in Markdown."""
    return "\n".join(_document(q)) + "\n"


def _document(q: Questionnaire) -> Iterator[str]:
    yield "# The rules of the self-check"
    yield ""
    yield (
        "Made from `questions.yaml` by `python -m screening explain` (content version "
        f"`{q.version}`). Do not edit by hand: `make rules-doc` writes it again, and a test "
        "fails when it differs from what the code runs."
    )
    yield ""
    yield "## How a result is reached"
    yield ""
    yield (
        "The steps are asked in this order; a step is skipped when it is not for this person. "
        "After each step every rule below is checked against the answers given so far. The "
        "tier is the highest that any rule gives; every rule that matches adds its reason (the "
        "tier's own first, then lower tiers, then notes). Answers to questions a person was "
        "never shown are ignored."
    )
    yield ""
    for tier in q.tiers:
        if tier.interrupts:
            yield f"- **{tier.id}** ends the check at once, before Next."
        elif tier.ends_questionnaire:
            yield f"- **{tier.id}** ends the check at the end of the step in which it applies."
    yield (
        f"- With no tier rule matching, the result is **{q.fallback.tier}** with the reason "
        f"`{q.fallback.reason}`."
    )
    yield (
        "- The movement score is 100 x points / (4 x the number of movements), rounded half up; "
        "it is empty when the movement steps were not reached. It is never shown to the person."
    )
    yield ""
    yield "## Steps and questions"
    yield ""
    yield "| step | who is asked | questions (answer options) |"
    yield "| --- | --- | --- |"
    for step in q.steps:
        yield f"| `{step.id}` | {_who(q, step)} | {_questions(q, step)} |"
    yield ""
    yield "## Thresholds"
    yield ""
    yield "| name | value | where it comes from |"
    yield "| --- | --- | --- |"
    for name, threshold in q.thresholds.items():
        yield f"| `{name}` | {threshold.value} | {_cell(threshold.basis)} |"
    yield ""
    for tier in q.tiers:
        rules = [r for r in q.rules if r.tier == tier.id]
        if not rules:
            continue
        yield f"## Tier: {tier.id} ({_cell(tier.headline.en)})"
        yield ""
        yield from _rule_table(q, rules)
    notes = [r for r in q.rules if r.tier is None]
    if notes:
        yield "## Notes (add a reason, never change the tier)"
        yield ""
        yield from _rule_table(q, notes)


def _rule_table(q: Questionnaire, rules: list[Rule]) -> Iterator[str]:
    yield "| reason | when | what the person reads |"
    yield "| --- | --- | --- |"
    for rule in rules:
        when = describe_condition(q, rule.when)
        if rule.with_tier:
            when += f", on a {' or '.join(rule.with_tier)} result only"
        yield f"| `{rule.reason}` | {_cell(when)} | {_cell(q.reasons[rule.reason].text.en)} |"
    yield ""


def describe_condition(q: Questionnaire, cond: Condition) -> str:
    """A condition in plain English, with the ids a reviewer can look up."""
    if cond.all is not None:
        return " and ".join(_grouped(q, c) for c in cond.all)
    if cond.any is not None:
        return " or ".join(_grouped(q, c) for c in cond.any)
    if cond.question is not None:
        question = q.question(cond.question)
        if cond.is_ is not None:
            return f"`{question.id}` is {_options(question, cond.is_, 'or')}"
        if cond.is_not is not None:
            return f"`{question.id}` is not {_options(question, cond.is_not, 'nor')}"
        if cond.at_least is not None:
            if cond.at_least == question.option_ids[0]:
                return f"`{question.id}` is answered"
            return f"`{question.id}` is {_options(question, (cond.at_least,), 'or')} or more"
    if cond.score_at_least is not None:
        value = q.thresholds[cond.score_at_least].value
        return f"the movement score is {value} or more (`{cond.score_at_least}`)"
    if cond.signs is not None:
        level = q.thresholds[cond.signs.level].value
        count = q.thresholds[cond.signs.count].value
        pool = "of the key movements" if cond.signs.key_only else "movements"
        return f'{count} or more {pool} come "{level}" or more often than on the other side'
    return "never"


def _grouped(q: Questionnaire, cond: Condition) -> str:
    text = describe_condition(q, cond)
    return f"({text})" if cond.all is not None or cond.any is not None else text


def _options(question: Question, ids: tuple[str, ...], joiner: str) -> str:
    words = [f'"{_option_text(question, i)}"' for i in ids]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {joiner} " + words[-1]


def _option_text(question: Question, option_id: str) -> str:
    option = question.option(option_id)
    return option.text.en if option is not None else option_id


def _who(q: Questionnaire, step: Step) -> str:
    return "everyone" if step.show_if is None else _cell(describe_condition(q, step.show_if))


def _questions(q: Questionnaire, step: Step) -> str:
    lines = []
    for question in step.questions:
        options = ", ".join(f"`{o.id}`" for o in question.options)
        extra = []
        if question.show_if is not None:
            extra.append("only if " + describe_condition(q, question.show_if))
        if not question.required:
            extra.append("may be skipped")
        if question.multiple:
            extra.append("several answers")
        if question.key_sign:
            extra.append("a key movement")
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"`{question.id}`: {question.text.en} [{options}]{tail}")
    return _cell("<br>".join(lines))


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")
