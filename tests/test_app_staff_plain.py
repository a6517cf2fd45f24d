"""What staff read on the dashboard's other tabs, as a front desk and a compliance officer read
it: times in the clinic's time zone (clinic.yaml `timezone`) like the requests list, and results
in the words the person read, never a tier id."""

from __future__ import annotations

import os
import re

import pytest
from apptest_support import app_env, consult, open_with  # noqa: F401  (app_env is autouse)
from staff_support import ADMIN, add_account, open_staff, sign_in_as

from screening.questionnaire.loader import load_clinic, load_questionnaire

pytestmark = pytest.mark.usefixtures("clock")
Q = load_questionnaire()
ZONE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d (CST|CDT)")  # clinic.yaml: America/Chicago


def test_the_clinic_is_in_chicago() -> None:
    assert load_clinic().timezone == "America/Chicago"


def test_the_audit_trail_on_screen_is_in_the_clinics_time_zone() -> None:
    add_account(os.environ["SCREENING_DATABASE_URL"], ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    [table] = [d.value for d in at.dataframe if list(d.value.columns)[:2] == ["when", "who"]]
    assert len(table) >= 2
    assert all(ZONE.fullmatch(w) for w in table["when"]), list(table["when"])


def test_the_fhir_picker_names_the_result_in_words_and_the_clinics_time() -> None:
    consult(open_with({}))
    add_account(os.environ["SCREENING_DATABASE_URL"], ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    [label] = at.selectbox(key="staff.fhir_id").options
    consult_tier = next(t for t in Q.tiers if t.id == "consult")
    assert consult_tier.headline.get("en") in label, label
    assert not re.search(r"\bconsult\b", label), label
    assert ZONE.search(label), label


def test_the_charts_speak_of_results_not_tiers() -> None:
    import json

    consult(open_with({}))
    add_account(os.environ["SCREENING_DATABASE_URL"], ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert not [s["title"] for s in specs if "tier" in str(s.get("title", "")).lower()]
    [mix] = [s for s in specs if "stack" in str(s["encoding"]["x"])]  # the results' shares
    assert mix["encoding"]["color"]["title"] == "result"
