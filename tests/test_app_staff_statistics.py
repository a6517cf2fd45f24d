"""The statistics as staff read them: a real screening counted through the self-check (each step
left forwards counted as step_done), then the Statistics tab in plain words: step titles and
result headlines, no internal ids, no "None", no negative shares."""

from __future__ import annotations

import re

import pytest
from apptest_support import app_env, consult, db_rows, open_with  # noqa: F401
from staff_support import ADMIN, add_account, open_staff, sign_in_as

from screening.questionnaire.loader import load_questionnaire

pytestmark = pytest.mark.usefixtures("clock")
Q = load_questionnaire()


def test_each_step_left_forwards_is_counted_once_and_the_tables_speak_plainly() -> None:
    import os

    consult(open_with({"utm_source": "flyer"}))
    events, _, _ = db_rows()
    reached = {e["step"] for e in events if e["kind"] == "step_reached"}
    done = {e["step"] for e in events if e["kind"] == "step_done"}
    assert done == reached and done  # every step shown was left forwards, to the result
    assert all(e["count"] == 1 for e in events if e["kind"] == "step_done")

    add_account(os.environ["SCREENING_DATABASE_URL"], ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    assert not at.exception
    tables = {tuple(d.value.columns): d.value for d in at.dataframe}
    funnel = tables[("stage", "people", "share of started", "stopped at this step")]
    titles = [s.title.get("en") for s in Q.steps]
    stages = list(funnel["stage"])
    assert (stages[0], stages[-1]) == ("Started", "Result shown")
    assert set(funnel["stage"]) <= {"Started", "Result shown", *titles}
    tiers = tables[("channel", "result", "people", "share of results")]
    assert not set(tiers["result"]) & {t.id for t in Q.tiers}
    ids = {s.id for s in Q.steps} | {t.id for t in Q.tiers} | {"None", "nan", "NaN"}
    for table in (funnel, tiers, tables[("channel", "started", "completed", "completion rate",
                                          "contact requests", "requests per completed")]):
        cells = {str(v) for column in table.columns for v in table[column]}
        assert not cells & ids, cells & ids
        assert not [c for c in cells if re.fullmatch(r"-\d+%", c)]
    assert "week of" in {c for t in tables for c in t}


def test_a_campaign_is_named_with_its_source_in_every_table_by_channel() -> None:
    import os

    consult(open_with({"utm_source": "flyer", "utm_campaign": "spring"}))
    add_account(os.environ["SCREENING_DATABASE_URL"], ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    assert not at.exception
    by_channel = [d.value for d in at.dataframe if "channel" in d.value.columns]
    assert len(by_channel) == 3  # the channels, the results by tier, week by week
    for table in by_channel:
        assert "flyer / spring" in set(table["channel"]), list(table["channel"])


def test_a_channel_without_a_campaign_or_a_source_is_named_in_plain_words() -> None:
    import os

    consult(open_with({"utm_source": "flyer"}))
    consult(open_with({}))
    add_account(os.environ["SCREENING_DATABASE_URL"], ADMIN, "admin")
    at = sign_in_as(open_staff(), ADMIN)
    assert not at.exception
    by_channel = [d.value for d in at.dataframe if "channel" in d.value.columns]
    assert len(by_channel) == 3
    for table in by_channel:
        names = set(table["channel"])
        assert {"all channels", "flyer", "direct visits (no campaign link)"} <= names, names
        assert not [n for n in names if "(none)" in n or "(direct)" in n], names
    picked = at.selectbox(key="staff.funnel_channel")
    assert "flyer" in picked.options and not [o for o in picked.options if "(none)" in o]
