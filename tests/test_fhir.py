"""HL7 FHIR export: the Questionnaire, QuestionnaireResponses and Bundles validate against the
R4B models of fhir.resources (R4B covers R4), cover every question, and round-trip."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from core_spec import (
    FALLBACK,
    LEVELS,
    NOTES,
    REASONS,
    SIGNS,
    TIERS,
)
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir_support import AUTHORED, EXAMPLES, ROUTED, items
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.errors import AnswersError
from screening.outputs import fhir
from screening.outputs.summary import fill
from screening.questionnaire import rules
from screening.questionnaire.models import Clinic, Condition, Question, Questionnaire
from screening.questionnaire.rules import evaluate
from screening.records.channel import Channel
from screening.records.storage import open_store

ROOT = Path(__file__).resolve().parent.parent




def translation(element: Mapping[str, Any]) -> dict[str, str]:
    """lang -> content of the translation extensions on a primitive's `_field` element."""
    out = {}
    for extension in element["extension"]:
        assert extension["url"] == fhir.TRANSLATION
        parts = {
            e["url"]: e.get("valueCode") or e.get("valueString") for e in extension["extension"]
        }
        out[parts["lang"]] = parts["content"]
    return out


# --- Questionnaire ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_questionnaire_validates_and_covers_every_question(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    data = fhir.questionnaire(questionnaire, clinic, lang)
    model = FhirQuestionnaire.model_validate(data)
    assert model.status == "active" and model.version == questionnaire.version
    assert data["url"] == fhir.canonical_url(clinic) and data["language"] == lang
    assert data["id"] == f"facial-movement-self-check-{lang}"  # one server can keep both
    assert [i["linkId"] for i in data["item"]] == [s.id for s in questionnaire.steps]
    by_id = {i["linkId"]: i for i in items(data)}
    assert len(by_id) == len(items(data)), "linkIds are unique"
    for step in questionnaire.steps:
        assert by_id[step.id]["type"] == "group"
        assert ("enableWhen" in by_id[step.id]) is (step.show_if is not None), step.id
    assert sum(step.show_if is not None for step in questionnaire.steps) >= 6
    for question in questionnaire.questions():
        item = by_id[question.id]
        assert item["type"] == "choice"
        assert item["text"] == fill(questionnaire, clinic, question.text, lang)
        assert item["required"] is question.required
        assert item.get("repeats", False) is question.multiple
        codings = [o["valueCoding"] for o in item["answerOption"]]
        assert [c["code"] for c in codings] == list(question.option_ids)
        assert {c["system"] for c in codings} == {fhir.answer_system(clinic, question.id)}
        assert [c["display"] for c in codings] == [o.text.get(lang) for o in question.options]
        assert ("enableWhen" in item) is (question.show_if is not None)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_other_language_rides_in_translation_extensions(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    other = "es" if lang == "en" else "en"
    data = fhir.questionnaire(questionnaire, clinic, lang)
    assert translation(data["_title"]) == {other: questionnaire.title.get(other)}
    by_id = {i["linkId"]: i for i in items(data)}
    for step in questionnaire.steps:
        assert translation(by_id[step.id]["_text"]) == {other: step.title.get(other)}
    for question in questionnaire.questions():
        item = by_id[question.id]
        assert translation(item["_text"]) == {
            other: fill(questionnaire, clinic, question.text, other)
        }
        for option, answer in zip(question.options, item["answerOption"], strict=True):
            assert translation(answer["valueCoding"]["_display"]) == {other: option.text.get(other)}
    spanish = json.dumps(fhir.questionnaire(questionnaire, clinic, "es"), ensure_ascii=False)
    assert "¿Cuándo empezó la debilidad?" in spanish and "Sí" in spanish


def test_help_texts_are_help_items(questionnaire: Questionnaire, clinic: Clinic) -> None:
    by_id = {i["linkId"]: i for i in items(fhir.questionnaire(questionnaire, clinic))}
    stroke_help = by_id["rf_stroke_signs.help"]
    assert stroke_help["type"] == "display"
    control = stroke_help["extension"][0]
    assert control["url"] == fhir.ITEM_CONTROL
    assert control["valueCodeableConcept"]["coding"][0]["code"] == "help"
    assert (
        by_id["eye_narrows_smile.try_it"]["text"]
        == questionnaire.question("eye_narrows_smile").try_it.en
    )  # type: ignore[union-attr]


def enabled(item: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """FHIR R4 enableWhen semantics for coded answers ('=' and '!=')."""
    results = []
    for condition in item["enableWhen"]:
        value = answers.get(condition["question"])
        given = [value] if isinstance(value, str) else list(value or [])
        code = condition["answerCoding"]["code"]
        results.append(code in given if condition["operator"] == "=" else code not in given)
    return any(results) if item.get("enableBehavior", "any") == "any" else all(results)


def test_enable_when_shows_a_question_exactly_when_show_if_does(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    by_id = {i["linkId"]: i for i in items(fhir.questionnaire(questionnaire, clinic))}
    checked = 0
    for question in questionnaire.questions():
        if question.show_if is None:
            continue
        for source in set(question.show_if.questions()):
            for option in (*questionnaire.question(source).option_ids, None):
                answers = {} if option is None else {source: option}
                assert enabled(by_id[question.id], answers) is rules.is_visible(question, answers)
                checked += 1
    assert checked >= 10


def test_enable_when_shows_a_step_exactly_when_its_show_if_does(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    # recent only with a palsy under 3 months, history only with a palsy, no_palsy only
    # without one, the movement steps only with a palsy 3 weeks old or more.
    by_id = {i["linkId"]: i for i in fhir.questionnaire(questionnaire, clinic)["item"]}
    shown: dict[str, set[str | None]] = {}
    for step in questionnaire.steps:
        if step.show_if is None:
            assert "enableWhen" not in by_id[step.id]
            continue
        sources = sorted(set(step.show_if.questions()))
        assert sources, step.id
        for source in sources:
            for option in (*questionnaire.question(source).option_ids, None):
                answers = {} if option is None else {source: option}
                visible = rules.is_step_shown(step, answers)
                assert enabled(by_id[step.id], answers) is visible, (step.id, answers)
                if visible:
                    shown.setdefault(step.id, set()).add(option)
    assert shown["recent"] == {"lt_3w", "3w_3m"}
    assert shown["history"] == {"yes", "unsure"}
    assert shown["no_palsy"] == {"no"}
    for movements in ("movements_eye", "movements_mouth", "movements_feel"):
        assert shown[movements] == {"3w_3m", "3_6m", "6_12m", "1_5y", "gt_5y"}


def _question(show_if: Condition) -> Question:
    return Question.model_validate(
        {"id": "later", "text": {"en": "x", "es": "y"}, "short": {"en": "x", "es": "y"},
         "options": [{"id": "a", "text": {"en": "a", "es": "b"}},
                     {"id": "b", "text": {"en": "b", "es": "c"}}],
         "show_if": show_if.model_dump(by_alias=True, exclude_none=True)}
    )  # fmt: skip


def on(question: str, *options: str) -> dict[str, Any]:
    return {"question": question, "is": list(options)}


@pytest.mark.parametrize(
    "condition",
    [
        {"question": "hx_onset", "is_not": ["lt_3w", "3_6m"]},
        {"all": [on("hx_palsy", "yes"), on("hx_side", "left")]},
        {"any": [on("hx_palsy", "no"), on("twitching", "always")]},
        {"any": [on("hx_palsy", "no", "unsure"), on("hx_side", "left")]},
    ],
    ids=["is-not", "all", "any", "any-of-lists"],
)
def test_enable_when_forms_match_show_if(
    questionnaire: Questionnaire, clinic: Clinic, condition: dict[str, Any]
) -> None:
    cond = Condition.model_validate(condition)
    conditions, behavior = fhir.enable_when(questionnaire, clinic, cond)
    item = {"enableWhen": conditions, "enableBehavior": behavior}
    sources = sorted(set(cond.questions()))
    first = questionnaire.question(sources[0]).option_ids
    second = questionnaire.question(sources[-1]).option_ids
    for a in (*first, None):
        for b in (*second, None):
            answers = {k: v for k, v in ((sources[0], a), (sources[-1], b)) if v is not None}
            assert enabled(item, answers) is rules.is_visible(_question(cond), answers), answers


def test_at_least_becomes_the_options_from_that_level_up(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    # (rules.is_visible does not apply at_least in a show_if today; no question uses it.)
    cond = Condition.model_validate({"question": "twitching", "at_least": "often"})
    conditions, behavior = fhir.enable_when(questionnaire, clinic, cond)
    assert [(c["operator"], c["answerCoding"]["code"]) for c in conditions] == [
        ("=", "often"),
        ("=", "always"),
    ]
    assert behavior == "any"


def test_nested_conditions_that_fhir_cannot_express_are_refused(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    nested = Condition.model_validate(
        {"all": [{"question": "hx_palsy", "is": ["yes", "unsure"]},
                 {"question": "hx_side", "is": ["left"]}]}
    )  # fmt: skip
    with pytest.raises(ValueError, match="enableWhen"):
        fhir.enable_when(questionnaire, clinic, nested)


# --- QuestionnaireResponse -----------------------------------------------------------------------


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_response_validates_and_round_trips(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    result = evaluate(questionnaire, EXAMPLES[example])
    data = fhir.questionnaire_response(questionnaire, clinic, result, lang, AUTHORED)
    model = QuestionnaireResponse.model_validate(data)
    assert model.status == "completed" and data["language"] == lang
    assert data["questionnaire"] == f"{fhir.canonical_url(clinic)}|{questionnaire.version}"
    assert data["authored"] == "2025-01-31T14:30:00+00:00"
    observation = data["contained"][0]
    assert observation["resourceType"] == "Observation" and observation["id"] == fhir.RESULT_ID
    assert observation["derivedFrom"] == [{"reference": "#"}]
    assert "score" not in json.dumps(data)
    back = fhir.answers_from_response(questionnaire, data)
    expected = {k: v for k, v in result.answers.items() if v != []}
    assert back == expected
    again = evaluate(questionnaire, back)
    assert (again.tier, again.reasons, again.score) == (result.tier, result.reasons, result.score)
    assert fhir.result_from_response(data) == (result.tier, result.reasons)
    # Only the steps this path showed are in the response, in asked order.
    assert [i["linkId"] for i in data["item"]] == list(result.steps_reached)


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_each_path_routes_as_contract_2_says(questionnaire: Questionnaire, example: str) -> None:
    tier, reasons, steps = ROUTED[example]
    result = evaluate(questionnaire, EXAMPLES[example])
    assert (result.tier, result.reasons) == (tier, reasons)
    if steps is not None:
        assert result.steps_reached == steps


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_result_observation_holds_contract_2_codes(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    result = evaluate(questionnaire, EXAMPLES[example])
    data = fhir.questionnaire_response(questionnaire, clinic, result, lang, AUTHORED)
    observation = data["contained"][0]
    [tier] = observation["valueCodeableConcept"]["coding"]
    assert tier["system"] == fhir.tier_system(clinic) and tier["code"] in TIERS
    assert tier["code"] == ROUTED[example][0]
    assert tier["display"] == fill(questionnaire, clinic, questionnaire.tier(tier["code"]).headline,
                                   lang)
    known = {code for codes in REASONS.values() for code in codes} | set(NOTES) | {FALLBACK[1]}
    codes = []
    for component in observation["component"]:
        assert component["code"]["coding"] == [{"system": fhir.result_system(clinic),
                                                "code": "reason"}]
        [coding] = component["valueCodeableConcept"]["coding"]
        assert coding["system"] == fhir.reason_system(clinic)
        assert coding["code"] in known, coding["code"]
        text = questionnaire.reasons[coding["code"]].text
        assert coding["display"] == fill(questionnaire, clinic, text, lang)
        codes.append(coding["code"])
    assert tuple(codes) == ROUTED[example][1]


def test_answers_are_grouped_like_the_questionnaire_with_displays(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    result = evaluate(questionnaire, EXAMPLES["soon"])
    data = fhir.questionnaire_response(questionnaire, clinic, result, "es", AUTHORED)
    # A palsy years ago: neither the recent-palsy step nor the no-palsy step is shown.
    assert [i["linkId"] for i in data["item"]] == list(result.steps_reached)
    assert "recent" not in result.steps_reached and "no_palsy" not in result.steps_reached
    by_id = {i["linkId"]: i for i in items(data)}
    treatment = by_id["hx_treatment"]["answer"]
    assert [a["valueCoding"]["display"] for a in treatment] == ["Inyecciones de bótox", "Cirugía"]
    assert by_id["rf_lump"]["answer"][0]["valueCoding"] == {
        "system": fhir.answer_system(clinic, "rf_lump"),
        "code": "yes",
        "display": "Sí",
    }
    tier = data["contained"][0]["valueCodeableConcept"]["coding"][0]
    assert (tier["code"], tier["display"]) == ("soon", "Vea a un médico pronto")


@st.composite
def answer_sets(draw: st.DrawFn, q: Questionnaire) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in q.questions():
        if question.multiple:
            chosen = draw(st.lists(st.sampled_from(question.option_ids), unique=True))
            alone = [c for c in chosen if c in question.exclusive]
            answers[question.id] = alone[:1] if alone else chosen
        else:
            answers[question.id] = draw(st.sampled_from(question.option_ids))
    return answers


@settings(max_examples=60, deadline=None)
@given(data=st.data(), lang=st.sampled_from(["en", "es"]))
def test_any_answer_set_round_trips_to_the_same_tier(
    questionnaire: Questionnaire, clinic: Clinic, data: st.DataObject, lang: str
) -> None:
    result = evaluate(questionnaire, data.draw(answer_sets(questionnaire)))
    response = fhir.questionnaire_response(questionnaire, clinic, result, lang, AUTHORED)
    back = fhir.answers_from_response(questionnaire, json.loads(json.dumps(response)))
    again = evaluate(questionnaire, back)
    assert (again.tier, again.reasons, again.score) == (result.tier, result.reasons, result.score)


@pytest.mark.parametrize(
    ("response", "code"),
    [
        ({"resourceType": "Patient"}, "A103"),
        ({"resourceType": "QuestionnaireResponse", "item": [
            {"linkId": "nope", "answer": [{"valueCoding": {"code": "yes"}}]}]}, "A100"),
        ({"resourceType": "QuestionnaireResponse", "item": [
            {"linkId": "rf_lump", "answer": [{"valueCoding": {"code": "yes"}},
                                              {"valueCoding": {"code": "no"}}]}]}, "A101"),
        ({"resourceType": "QuestionnaireResponse", "item": [
            {"linkId": "rf_lump", "answer": [{"valueString": "yes"}]}]}, "A103"),
    ],
    ids=["not-a-response", "unknown-question", "two-answers", "not-coded"],
)  # fmt: skip
def test_a_response_that_is_not_ours_is_refused_with_a_code(
    questionnaire: Questionnaire, response: dict[str, Any], code: str
) -> None:
    with pytest.raises(AnswersError) as caught:
        fhir.answers_from_response(questionnaire, response)
    assert [p.code for p in caught.value.problems] == [code]


def response_of(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> dict[str, Any]:
    result = evaluate(questionnaire, EXAMPLES[example])
    return fhir.questionnaire_response(questionnaire, clinic, result, lang, AUTHORED)


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_response_sent_back_is_read_by_code_not_display(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    data = response_of(questionnaire, clinic, example, lang)
    expected = fhir.answers_from_response(questionnaire, data)
    # Another tool may rewrite or drop displays and texts: only system + code count.
    for item in items(data):
        item.pop("text", None)
        for answer in item.get("answer", []):
            answer["valueCoding"]["display"] = "something else entirely"
    back = fhir.read_response(questionnaire, clinic, data)
    assert back == expected and evaluate(questionnaire, back).tier == ROUTED[example][0]


def _mutated(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(data))
    if path == "questionnaire":
        if value is None:
            del copy["questionnaire"]
        else:
            copy["questionnaire"] = value
    else:  # the system of the first answer
        [first] = [i for i in items(copy) if i.get("answer")][:1]
        first["answer"][0]["valueCoding"]["system"] = value
    return copy


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("questionnaire", "https://example.org/Questionnaire/phq-9|1.0", "A104"),
        ("questionnaire", "{url}|0123456789ab", "A104"),
        ("questionnaire", "{url}", "A104"),
        ("questionnaire", None, "A104"),
        ("system", "http://loinc.org", "A101"),
        ("system", None, "A101"),
    ],
    ids=["other-form", "other-version", "no-version", "no-questionnaire", "other-system",
         "no-system"],
)  # fmt: skip
def test_a_response_for_another_questionnaire_or_code_system_is_refused(
    questionnaire: Questionnaire, clinic: Clinic, path: str, value: str | None, code: str
) -> None:
    data = response_of(questionnaire, clinic, "consult", "en")
    if isinstance(value, str):
        value = value.format(url=fhir.canonical_url(clinic))
    with pytest.raises(AnswersError) as caught:
        fhir.read_response(questionnaire, clinic, _mutated(data, path, value))
    assert [p.code for p in caught.value.problems] == [code]


# --- Bundle --------------------------------------------------------------------------------------


def kept(questionnaire: Questionnaire, tmp_path: Path, langs: Any) -> list[dict[str, Any]]:
    """Every example kept as a screening, in the languages given in turn."""
    store = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        for (name, answers), lang in zip(EXAMPLES.items(), langs, strict=False):
            result = evaluate(questionnaire, answers)
            store.save_screening(result, Channel(), lang, now=AUTHORED, idempotency_key=name)
        return store.screening_rows()
    finally:
        store.close()


def test_a_bundle_of_kept_screenings_validates_and_round_trips(
    questionnaire: Questionnaire, clinic: Clinic, tmp_path: Path
) -> None:
    rows = kept(questionnaire, tmp_path, ["en", "es"] * len(EXAMPLES))
    data = fhir.bundle(questionnaire, clinic, rows, datetime(2025, 2, 1, tzinfo=UTC))
    model = Bundle.model_validate(data)
    assert model.type == "collection" and len(data["entry"]) == 2 + len(EXAMPLES)
    definitions = [e["resource"] for e in data["entry"][:2]]
    assert [d["language"] for d in definitions] == ["en", "es"]
    assert {(d["resourceType"], d["url"], d["version"]) for d in definitions} == {
        ("Questionnaire", fhir.canonical_url(clinic), questionnaire.version)
    }
    urls = [e["fullUrl"] for e in data["entry"]]
    assert len(set(urls)) == len(urls)
    for row, entry in zip(rows, data["entry"][2:], strict=True):
        response = entry["resource"]
        assert response["id"] == f"screening-{row['id']}"
        assert response["identifier"]["value"] == str(row["id"])
        assert response["language"] == row["lang"]
        back = fhir.answers_from_response(questionnaire, response)
        assert evaluate(questionnaire, back).tier == row["tier"]
        assert fhir.result_from_response(response) == (row["tier"], tuple(row["reasons"]))
    again = fhir.bundle(questionnaire, clinic, rows, datetime(2025, 2, 1, tzinfo=UTC))
    assert again == data  # stable ids: the same screening is the same entry in every export


def displays(node: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """(linkId, code) -> display of every coding under items: answerOption or answer."""
    found = {}
    for item in items(node):
        for entry in item.get("answerOption", []) + item.get("answer", []):
            coding = entry["valueCoding"]
            found[(item["linkId"], coding["code"])] = coding["display"]
    return found


@pytest.mark.parametrize(
    ("langs", "expected"),
    [(["es"], ["es"]), (["en"], ["en"]), (["es", "en"], ["en", "es"]), ([], ["en"])],
    ids=["spanish-only", "english-only", "both", "no-screenings"],
)
def test_a_bundle_holds_the_questionnaire_of_each_language_its_responses_use(
    questionnaire: Questionnaire, clinic: Clinic, tmp_path: Path, langs: list[str],
    expected: list[str],
) -> None:
    rows = kept(questionnaire, tmp_path, langs * len(EXAMPLES)) if langs else []
    data = fhir.bundle(questionnaire, clinic, rows, AUTHORED)
    Bundle.model_validate(data)
    resources = [e["resource"] for e in data["entry"]]
    definitions = {r["language"]: r for r in resources if r["resourceType"] == "Questionnaire"}
    assert list(definitions) == expected
    for response in resources[len(definitions):]:
        # What LHC-Forms needs to restore an answer: the response names the Questionnaire by
        # url|version, its language picks the one in the bundle, and every answer's display is
        # that Questionnaire's display for the code.
        definition = definitions[response["language"]]
        assert response["questionnaire"] == f"{definition['url']}|{definition['version']}"
        options = displays(definition)
        for key, display in displays(response).items():
            assert options[key] == display, key


def test_an_old_screening_keeps_its_version_and_unknown_answers(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    row = {"id": 7, "created_at": AUTHORED, "questionnaire_version": "0123456789ab",
           "lang": "en", "tier": "info", "reasons": ["few_signs"],
           "answers": {"rf_lump": "no", "retired_question": "maybe"}}  # fmt: skip
    data = fhir.bundle(questionnaire, clinic, [row], AUTHORED)
    Bundle.model_validate(data)
    response = data["entry"][1]["resource"]
    assert response["questionnaire"].endswith("|0123456789ab")
    assert response["item"][-1] == {
        "linkId": "retired_question",
        "answer": [
            {"valueCoding": {"system": fhir.answer_system(clinic, "retired_question"),
                             "code": "maybe"}}
        ],
    }  # fmt: skip


def test_names_come_from_the_clinic(clinic: Clinic) -> None:
    assert fhir.base_url(clinic) == "https://www.facepluspsi.com/fhir"
    public = clinic.model_copy(update={"public_url": "https://check.example.org/"})
    assert fhir.canonical_url(public) == (
        "https://check.example.org/fhir/Questionnaire/facial-movement-self-check"
    )
    bare = clinic.model_copy(update={"website": None, "booking_url": "https://book.example/x?y"})
    assert fhir.base_url(bare) == "https://book.example/fhir"


# --- command line --------------------------------------------------------------------------------


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "screening", "fhir", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_cli_prints_the_questionnaire(questionnaire: Questionnaire) -> None:
    done = run("questionnaire", "--lang", "es")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    FhirQuestionnaire.model_validate(data)
    assert data["language"] == "es" and data["version"] == questionnaire.version
    assert "¿Cuándo empezó la debilidad?" in done.stdout  # UTF-8, not \\u escapes


def test_cli_turns_an_answers_file_into_a_response(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": EXAMPLES["consult"]}), encoding="utf-8")
    done = run("response", str(path), "--lang", "es")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    QuestionnaireResponse.model_validate(data)
    assert data["questionnaire"].endswith(f"|{questionnaire.version}")
    assert fhir.result_from_response(data)[0] == "consult"
    assert datetime.fromisoformat(data["authored"]).tzinfo is not None


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("response", "-"), "not json"),
        (("response", "-"), '{"answers": {"rf_lump": "perhaps"}}'),
        (("response", "-"), '{"answers": {"rf_stroke_signs": "no"}}'),
        (("response", "/no/such/file.json"), ""),
        (("questionnaire", "--lang", "fr"), ""),
        ((), ""),
    ],
    ids=["bad-json", "bad-value", "incomplete", "no-file", "bad-lang", "no-subcommand"],
)
def test_cli_bad_input_exits_2_without_a_traceback(args: tuple[str, ...], stdin: str) -> None:
    done = run(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr and done.stderr.strip()


def test_levels_in_the_spec_match_the_exported_options(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    by_id = {i["linkId"]: i for i in items(fhir.questionnaire(questionnaire, clinic))}
    for sign in SIGNS:
        assert [o["valueCoding"]["code"] for o in by_id[sign]["answerOption"]] == list(LEVELS)


def score(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "screening", "score", *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize(("example", "lang"), [("minor", "es"), ("emergency", "en")])
def test_cli_scores_a_questionnaire_response(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    sent = json.dumps(response_of(questionnaire, clinic, example, lang), ensure_ascii=False)
    done = score("-", stdin=sent)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    tier, reasons, _ = ROUTED[example]
    assert (out["tier"], tuple(out["reasons"])) == (tier, reasons)
    assert out["language"] == lang  # the response's own, when --lang is not given
    again = run("response", "-", "--lang", "en", stdin=sent)
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["language"] == "en"
    assert fhir.read_response(questionnaire, clinic, data) == fhir.read_response(
        questionnaire, clinic, json.loads(sent)
    )


def test_cli_refuses_a_response_to_another_version(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    data = response_of(questionnaire, clinic, "info", "en")
    data["questionnaire"] = f"{fhir.canonical_url(clinic)}|0123456789ab"
    for done in (score("-", stdin=json.dumps(data)), run("response", "-", stdin=json.dumps(data))):
        assert done.returncode == 2 and done.stdout == ""
        assert "A104" in done.stderr and "0123456789ab" in done.stderr
        assert f"|{questionnaire.version}" in done.stderr and "Traceback" not in done.stderr
