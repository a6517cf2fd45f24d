"""HL7 FHIR R4 JSON of the questionnaire and of a set of answers, as plain dicts. Pure.

- Questionnaire: one `group` item per step, one `choice` item per question (linkId = question
  id; `repeats` for a multi-select), answerOption codes = option ids with their texts,
  `enableWhen` for show_if, `required`, and the content hash as `version`. One resource per
  language (`language`, and the id ends in it), all with the same canonical `url|version`: the
  questions and codes are the same, only the words differ. Texts are in that language; the
  other rides along in the standard translation extension
  (http://hl7.org/fhir/StructureDefinition/translation) for tools that read it (LHC-Forms does
  not, hence the separate resources).
- QuestionnaireResponse: points to that Questionnaire as `url|version`, says its `language`
  (which of the language versions it was answered in, so its displays match that one's),
  carries the answers that counted (the same groups and linkIds), and the result as a
  contained Observation.

Why a contained Observation for the result, not an extension: an Observation is a standard
resource every FHIR system can read and search (`code`, `valueCodeableConcept`, `component`)
without knowing a StructureDefinition of ours; an extension would need one published, and most
receivers drop extensions they do not know. It is how the SDC implementation guide extracts
data from a response (observation-based extraction). It is contained because it has no life of
its own apart from the response; it refers to the response it comes from (`derivedFrom: "#"`).
The tier is its value; each reason is a component. The score is not included: it is for routing
and the clinic's statistics, and a record system could show it to the person.

Code systems are named under the questionnaire's canonical URL, which is built from clinic.yaml
(`public_url`, else `website`, else the booking page's address), so set `public_url` before the
first export and keep it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import AnswersError, Problem
from ..questionnaire.models import LANGUAGES, Clinic, Condition, Question, Questionnaire, Step, Text
from ..questionnaire.rules import AnswerValue, Result
from .summary import fill

QUESTIONNAIRE_ID = "facial-movement-self-check"
QUESTIONNAIRE_NAME = "FacialMovementSelfCheck"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
RESULT_ID = "result"  # the contained Observation's id

Resource = dict[str, Any]


# Names ---------------------------------------------------------------------------------------


def base_url(clinic: Clinic) -> str:
    """Where this questionnaire's FHIR names live: the public address, else the website."""
    if clinic.public_url or clinic.website:
        site = str(clinic.public_url or clinic.website)
    else:
        parts = urlsplit(clinic.booking_url)
        site = f"{parts.scheme}://{parts.netloc}"
    return site.rstrip("/") + "/fhir"


def canonical_url(clinic: Clinic) -> str:
    """The Questionnaire's canonical URL (without the version), the same in every language."""
    return f"{base_url(clinic)}/Questionnaire/{QUESTIONNAIRE_ID}"


def canonical(q: Questionnaire, clinic: Clinic) -> str:
    """What a QuestionnaireResponse of this questionnaire names: `url|version`."""
    return f"{canonical_url(clinic)}|{q.version}"


def resource_id(lang: str) -> str:
    """The Questionnaire resource's id in one language (a server keeps both under one url)."""
    return f"{QUESTIONNAIRE_ID}-{_lang(lang)}"


def answer_system(clinic: Clinic, question_id: str) -> str:
    """The code system of one question's options: codes are the option ids."""
    return f"{base_url(clinic)}/CodeSystem/{QUESTIONNAIRE_ID}/{question_id}"


def tier_system(clinic: Clinic) -> str:
    return f"{base_url(clinic)}/CodeSystem/{QUESTIONNAIRE_ID}/tier"


def reason_system(clinic: Clinic) -> str:
    return f"{base_url(clinic)}/CodeSystem/{QUESTIONNAIRE_ID}/reason"


def result_system(clinic: Clinic) -> str:
    """Codes of the result Observation itself ('tier') and of its components ('reason')."""
    return f"{base_url(clinic)}/CodeSystem/{QUESTIONNAIRE_ID}/result"


# Questionnaire -------------------------------------------------------------------------------


def questionnaire(q: Questionnaire, clinic: Clinic, lang: str = "en") -> Resource:
    """The questionnaire as a FHIR R4 Questionnaire in `lang`, with the other as translations."""
    lang = _lang(lang)
    resource: Resource = {
        "resourceType": "Questionnaire",
        "id": resource_id(lang),
        "language": lang,
        "url": canonical_url(clinic),
        "version": q.version,
        "name": QUESTIONNAIRE_NAME,
    }
    _put(resource, "title", q, clinic, q.title, lang)
    resource.update(
        {
            "status": "active",
            "subjectType": ["Patient"],
            "publisher": clinic.name,
            "contact": [{"name": clinic.name, "telecom": _telecom(clinic)}],
        }
    )
    _put(resource, "description", q, clinic, q.ui.share_description, lang)
    resource["item"] = [_step_item(q, clinic, step, lang) for step in q.steps]
    return resource


def _step_item(q: Questionnaire, clinic: Clinic, step: Step, lang: str) -> Resource:
    item: Resource = {"linkId": step.id, "type": "group"}
    _put(item, "text", q, clinic, step.title, lang)
    _put_enable_when(item, q, clinic, step.show_if)
    children: list[Resource] = []
    if step.intro is not None:
        intro: Resource = {"linkId": f"{step.id}.intro", "type": "display"}
        _put(intro, "text", q, clinic, step.intro, lang)
        children.append(intro)
    children += [_question_item(q, clinic, question, lang) for question in step.questions]
    item["item"] = children
    return item


def _question_item(q: Questionnaire, clinic: Clinic, question: Question, lang: str) -> Resource:
    item: Resource = {"linkId": question.id, "type": "choice"}
    _put(item, "text", q, clinic, question.text, lang)
    _put_enable_when(item, q, clinic, question.show_if)
    item["required"] = question.required
    if question.multiple:
        item["repeats"] = True
    item["answerOption"] = [
        {"valueCoding": _coding(answer_system(clinic, question.id), o.id, o.text, q, clinic, lang)}
        for o in question.options
    ]
    helps = [(f"{question.id}.help", question.help), (f"{question.id}.try_it", question.try_it)]
    children = [_help_item(q, clinic, link, text, lang) for link, text in helps if text]
    if children:
        item["item"] = children
    return item


def _put_enable_when(
    item: Resource, q: Questionnaire, clinic: Clinic, show_if: Condition | None
) -> None:
    if show_if is not None:
        conditions, behavior = enable_when(q, clinic, show_if)
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = behavior


def _help_item(q: Questionnaire, clinic: Clinic, link_id: str, text: Text, lang: str) -> Resource:
    """A display item that form tools show as the question's help (SDC itemControl 'help')."""
    item: Resource = {
        "extension": [
            {
                "url": ITEM_CONTROL,
                "valueCodeableConcept": {
                    "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help"}]
                },
            }
        ],
        "linkId": link_id,
        "type": "display",
    }
    _put(item, "text", q, clinic, text, lang)
    return item


def enable_when(
    q: Questionnaire, clinic: Clinic, condition: Condition
) -> tuple[list[Resource], str]:
    """A show_if as FHIR enableWhen entries and their enableBehavior ('any' or 'all').

    FHIR cannot nest: a condition is expressible when it is one test on one question, or an
    all/any whose parts are single tests (or lists of the same behaviour). ValueError otherwise.
    """
    if condition.question is not None:
        question = q.question(condition.question)
        system = answer_system(clinic, question.id)

        def entry(operator: str, code: str) -> Resource:
            return {
                "question": question.id,
                "operator": operator,
                "answerCoding": {"system": system, "code": code},
            }

        if condition.is_ is not None:
            return [entry("=", code) for code in condition.is_], "any"
        if condition.is_not is not None:
            return [entry("!=", code) for code in condition.is_not], "all"
        if condition.at_least is not None:
            ids = question.option_ids
            return [entry("=", code) for code in ids[ids.index(condition.at_least) :]], "any"
    parts = condition.all if condition.all is not None else condition.any
    if parts is not None:
        behavior = "all" if condition.all is not None else "any"
        converted = [enable_when(q, clinic, part) for part in parts]
        if all(len(items) == 1 or how == behavior for items, how in converted):
            return [item for items, _ in converted for item in items], behavior
    raise ValueError("this show_if cannot be written as FHIR enableWhen")


# QuestionnaireResponse -----------------------------------------------------------------------


def questionnaire_response(
    q: Questionnaire,
    clinic: Clinic,
    result: Result,
    lang: str,
    authored: datetime,
    *,
    response_id: str | None = None,
) -> Resource:
    """The answers that counted as a QuestionnaireResponse, with the result contained."""
    lang = _lang(lang)
    if authored.tzinfo is None:
        raise ValueError("authored must carry a time zone")
    when = authored.isoformat(timespec="seconds")
    resource: Resource = {"resourceType": "QuestionnaireResponse"}
    if response_id is not None:
        resource["id"] = response_id
    resource.update(
        {
            "language": lang,
            "contained": [_observation(q, clinic, result, lang, when)],
            "questionnaire": f"{canonical_url(clinic)}|{result.questionnaire_version}",
            "status": "completed",
            "authored": when,
            "item": _answer_items(q, clinic, result.answers, lang),
        }
    )
    return resource


def _answer_items(
    q: Questionnaire, clinic: Clinic, answers: Mapping[str, AnswerValue], lang: str
) -> list[Resource]:
    items: list[Resource] = []
    known: set[str] = set()
    for step in q.steps:
        children = []
        for question in step.questions:
            known.add(question.id)
            codes = _codes(answers.get(question.id))
            if not codes:  # unanswered, or an optional multi-select left empty
                continue
            child: Resource = {"linkId": question.id, "text": fill(q, clinic, question.text, lang)}
            child["answer"] = [
                {"valueCoding": _answer_coding(q, clinic, question, code, lang)} for code in codes
            ]
            children.append(child)
        if children:
            items.append(
                {"linkId": step.id, "text": fill(q, clinic, step.title, lang), "item": children}
            )
    # Answers to questions this questionnaire no longer has (kept screenings of an older
    # version) keep their codes, so nothing the person said is lost.
    for question_id, value in answers.items():
        if question_id not in known and _codes(value):
            system = answer_system(clinic, question_id)
            items.append(
                {
                    "linkId": question_id,
                    "answer": [
                        {"valueCoding": {"system": system, "code": code}} for code in _codes(value)
                    ],
                }
            )
    return items


def _answer_coding(
    q: Questionnaire, clinic: Clinic, question: Question, code: str, lang: str
) -> Resource:
    option = question.option(code)
    system = answer_system(clinic, question.id)
    if option is None:
        return {"system": system, "code": code}
    return {"system": system, "code": code, "display": fill(q, clinic, option.text, lang)}


def _observation(
    q: Questionnaire, clinic: Clinic, result: Result, lang: str, when: str
) -> Resource:
    try:
        headline: str | None = fill(q, clinic, q.tier(result.tier).headline, lang)
    except KeyError:
        headline = None
    tier: Resource = {"system": tier_system(clinic), "code": result.tier}
    if headline:
        tier["display"] = headline
    components = []
    for reason in result.reasons:
        coding: Resource = {"system": reason_system(clinic), "code": reason}
        if reason in q.reasons:
            coding["display"] = fill(q, clinic, q.reasons[reason].text, lang)
        components.append(
            {
                "code": {"coding": [{"system": result_system(clinic), "code": "reason"}]},
                "valueCodeableConcept": {"coding": [coding]},
            }
        )
    observation: Resource = {
        "resourceType": "Observation",
        "id": RESULT_ID,
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": result_system(clinic), "code": "tier"}],
            "text": fill(q, clinic, q.title, lang),
        },
        "effectiveDateTime": when,
        "derivedFrom": [{"reference": "#"}],  # the QuestionnaireResponse that contains it
        "valueCodeableConcept": {"coding": [tier]},
    }
    if components:
        observation["component"] = components
    return observation


# Reading a response back ---------------------------------------------------------------------


def read_response(
    q: Questionnaire, clinic: Clinic, response: Mapping[str, Any]
) -> dict[str, AnswerValue]:
    """The answers of a QuestionnaireResponse that another system sends back, checked.

    It must name this Questionnaire (`url|version`, A104), and each answer must be a coding of
    the question's own code system; codes are read, displays never (they are in the
    response's language, and a form tool may rewrite them).
    """
    if response.get("resourceType") != "QuestionnaireResponse":
        raise AnswersError([Problem("A103", "not a FHIR QuestionnaireResponse")])
    named = response.get("questionnaire")
    if named != canonical(q, clinic):
        shown = named[:200] if isinstance(named, str) else "nothing"
        raise AnswersError(
            [
                Problem(
                    "A104",
                    f"the response is for {shown}, not {canonical(q, clinic)} (this "
                    "questionnaire's url|version); score it with the questions.yaml of that "
                    "version, or answer the current Questionnaire again",
                    field="questionnaire",
                )
            ]
        )
    return answers_from_response(q, response, clinic=clinic)


def answers_from_response(
    q: Questionnaire, response: Mapping[str, Any], *, clinic: Clinic | None = None
) -> dict[str, AnswerValue]:
    """The answers in a QuestionnaireResponse of this questionnaire (option ids by question id).

    By code only. With `clinic`, a coding's system must be the question's own (A101 if not).
    Raises AnswersError (A103 for a wrong shape, A100 for an unknown question, A101 for more
    than one answer to a single-choice question).
    """
    if response.get("resourceType") != "QuestionnaireResponse":
        raise AnswersError([Problem("A103", "not a FHIR QuestionnaireResponse")])
    questions = {question.id: question for question in q.questions()}
    answers: dict[str, AnswerValue] = {}
    problems: list[Problem] = []
    for item in _walk(response.get("item")):
        link = item.get("linkId")
        given = item.get("answer")
        if not isinstance(link, str) or not given:  # a step's group, or an unanswered item
            continue
        if link not in questions:
            problems.append(Problem("A100", f"'{link[:80]}' is not a question", field=link[:80]))
            continue
        codings = [
            a["valueCoding"]
            for a in (given if isinstance(given, list) else [])
            if isinstance(a, Mapping) and isinstance(a.get("valueCoding"), Mapping)
        ]
        codes = [c.get("code") for c in codings]
        system = None if clinic is None else answer_system(clinic, link)
        if not codes or len(codes) != len(given) or not all(isinstance(c, str) for c in codes):
            problems.append(Problem("A103", "expected answers with a valueCoding", field=link))
        elif system is not None and any(c.get("system") != system for c in codings):
            problems.append(
                Problem("A101", f"expected codes of the code system {system}", field=link)
            )
        elif questions[link].multiple:
            answers[link] = list(codes)
        elif len(codes) > 1:
            problems.append(Problem("A101", "only one answer is allowed", field=link))
        else:
            answers[link] = codes[0]
    if problems:
        raise AnswersError(problems)
    return answers


def result_from_response(response: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The tier and reasons recorded in a response's contained result Observation."""
    for resource in response.get("contained") or ():
        if isinstance(resource, Mapping) and resource.get("id") == RESULT_ID:
            tier = resource["valueCodeableConcept"]["coding"][0]["code"]
            reasons = tuple(
                c["valueCodeableConcept"]["coding"][0]["code"]
                for c in resource.get("component") or ()
            )
            return str(tier), reasons
    raise AnswersError([Problem("A103", "the response has no result Observation")])


def _walk(items: object) -> Iterable[Mapping[str, Any]]:
    """Every item, depth first, including items nested under answers."""
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        yield item
        yield from _walk(item.get("item"))
        for answer in item.get("answer") or ():
            if isinstance(answer, Mapping):
                yield from _walk(answer.get("item"))


# Bundle --------------------------------------------------------------------------------------


def bundle(
    q: Questionnaire, clinic: Clinic, screenings: Sequence[Mapping[str, Any]], now: datetime
) -> Resource:
    """A `collection` Bundle: the Questionnaire in each language the responses use, then one
    response per kept screening.

    `screenings` are Store.screening_rows (id, created_at, questionnaire_version, lang, tier,
    reasons, answers). Each response keeps the version and the result recorded at the time.
    """
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    used = {_lang(str(row.get("lang") or "en")) for row in screenings}
    languages = [lang for lang in LANGUAGES if lang in used] or [clinic.default_language]
    entries: list[Resource] = [
        {
            "fullUrl": f"{base_url(clinic)}/Questionnaire/{resource_id(lang)}",
            "resource": questionnaire(q, clinic, lang),
        }
        for lang in languages
    ]
    for row in screenings:
        result = Result(
            tier=str(row["tier"]),
            reasons=tuple(row.get("reasons") or ()),
            score=None,
            evidence=(),
            steps_reached=(),
            questionnaire_version=str(row["questionnaire_version"]),
            answers=dict(row.get("answers") or {}),
        )
        name = f"{canonical_url(clinic)}/screening/{row['id']}"
        response = questionnaire_response(
            q,
            clinic,
            result,
            str(row.get("lang") or "en"),
            row["created_at"],
            response_id=f"screening-{row['id']}",
        )
        response["identifier"] = {
            "system": f"{base_url(clinic)}/screening-id",
            "value": str(row["id"]),
        }
        entries.append(
            {"fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}", "resource": response}
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(timespec="seconds"),
        "entry": entries,
    }


# Helpers -------------------------------------------------------------------------------------


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def _codes(value: AnswerValue | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _translations(q: Questionnaire, clinic: Clinic, text: Text, lang: str) -> Resource:
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": other},
                    {"url": "content", "valueString": fill(q, clinic, text, other)},
                ],
            }
            for other in LANGUAGES
            if other != lang
        ]
    }


def _put(
    target: Resource, name: str, q: Questionnaire, clinic: Clinic, text: Text, lang: str
) -> None:
    """Set a text field in `lang`, with its other languages in `_name`."""
    target[name] = fill(q, clinic, text, lang)
    target[f"_{name}"] = _translations(q, clinic, text, lang)


def _coding(
    system: str, code: str, text: Text, q: Questionnaire, clinic: Clinic, lang: str
) -> Resource:
    coding: Resource = {"system": system, "code": code}
    _put(coding, "display", q, clinic, text, lang)
    return coding


def _telecom(clinic: Clinic) -> list[Resource]:
    telecom = [{"system": "phone", "value": clinic.phone}]
    if clinic.email:
        telecom.append({"system": "email", "value": clinic.email})
    if clinic.website:
        telecom.append({"system": "url", "value": clinic.website})
    return telecom
