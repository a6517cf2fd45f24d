"""The dashboard's arithmetic: funnel counts in, tables out (written out row by row)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from web.staff.statistics import (
    ALL,
    DIRECT,
    NO_CAMPAIGN,
    channel_summary,
    counts_frame,
    daily,
    step_funnel,
    tier_mix,
    weekly,
)

NAN = np.nan
DAY1, DAY2 = date(2026, 3, 1), date(2026, 3, 2)
STEPS = ["emergency", "about_you"]  # the first two steps of contract 2: everyone is shown both
TIERS = ["emergency", "consult", "info"]


def row(
    kind: str,
    count: int,
    source: str | None = None,
    campaign: str | None = None,
    *,
    step: str | None = None,
    tier: str | None = None,
    day: date = DAY1,
) -> dict[str, Any]:
    return {"day": day, "kind": kind, "step": step, "tier": tier, "lang": "en",
            "utm_source": source, "utm_medium": None, "utm_campaign": campaign,
            "utm_content": None, "count": count}  # fmt: skip


# Instagram "fall": 10 start, 8 reach about_you, 4 finish (3 consult, 1 emergency), 1 asks for a
# call. Direct: 2 start, 2 finish as info (one on each day), nobody asks.
COUNTS = counts_frame([
    row("started", 10, "instagram", "fall"),
    row("step_reached", 10, "instagram", "fall", step="emergency"),
    row("step_reached", 8, "instagram", "fall", step="about_you"),
    row("result_shown", 3, "instagram", "fall", tier="consult"),
    row("result_shown", 1, "instagram", "fall", tier="emergency"),
    row("contact_requested", 1, "instagram", "fall"),
    row("started", 2),
    row("step_reached", 2, step="emergency"),
    row("step_reached", 2, step="about_you"),
    row("result_shown", 1, tier="info"),
    row("result_shown", 1, tier="info", day=DAY2),
])  # fmt: skip
EMPTY = counts_frame([])


def frame(columns: list[str], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        actual.reset_index(drop=True), expected, check_dtype=False, atol=1e-9
    )


SUMMARY = ["source", "campaign", "started", "completed", "completion_rate", "contact_requests",
           "contact_rate"]  # fmt: skip


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        pytest.param(COUNTS, [
            (ALL, "", 12, 6, 0.5, 1, 1 / 6),
            ("instagram", "fall", 10, 4, 0.4, 1, 0.25),
            (DIRECT, NO_CAMPAIGN, 2, 2, 1.0, 0, 0.0),
        ], id="two-channels"),
        pytest.param(EMPTY, [(ALL, "", 0, 0, NAN, 0, NAN)], id="no-data-no-rates"),
        pytest.param(counts_frame([row("started", 3, "flyer")]), [
            (ALL, "", 3, 0, 0.0, 0, NAN),
            ("flyer", NO_CAMPAIGN, 3, 0, 0.0, 0, NAN),
        ], id="started-only"),
    ],
)  # fmt: skip
def test_channel_summary(counts: pd.DataFrame, expected: list[tuple[Any, ...]]) -> None:
    same(channel_summary(counts), frame(SUMMARY, expected))


def test_busiest_channel_comes_first_after_all() -> None:
    counts = counts_frame([row("started", 1, "email", "a"), row("started", 5, "tiktok", "b")])
    assert list(channel_summary(counts)["source"]) == [ALL, "tiktok", "email"]


def test_tier_mix() -> None:
    expected = frame(["source", "campaign", "tier", "count", "share"], [
        (ALL, "", "emergency", 1, 1 / 6),
        (ALL, "", "consult", 3, 0.5),
        (ALL, "", "info", 2, 2 / 6),
        ("instagram", "fall", "emergency", 1, 0.25),
        ("instagram", "fall", "consult", 3, 0.75),
        ("instagram", "fall", "info", 0, 0.0),
        (DIRECT, NO_CAMPAIGN, "emergency", 0, 0.0),
        (DIRECT, NO_CAMPAIGN, "consult", 0, 0.0),
        (DIRECT, NO_CAMPAIGN, "info", 2, 1.0),
    ])  # fmt: skip
    same(tier_mix(COUNTS, TIERS), expected)


def test_tier_mix_keeps_a_tier_it_was_not_told_about_last() -> None:
    counts = counts_frame([row("result_shown", 1, tier="retired")])
    assert list(tier_mix(counts, ["info"])["tier"])[:2] == ["info", "retired"]


# The same visits with the steps they left forwards (step_done): instagram's 10 all leave the
# first step but 2 of them get an emergency result there (they leave it forwards too); 8 reach
# about_you and 3 leave it: 5 stop there. Direct: both leave both steps.
DONE = counts_frame([
    *COUNTS.to_dict("records"),
    row("step_done", 10, "instagram", "fall", step="emergency"),
    row("step_done", 3, "instagram", "fall", step="about_you"),
    row("step_done", 2, step="emergency"),
    row("step_done", 2, step="about_you"),
])  # fmt: skip


def test_step_funnel_counts_drop_off_among_those_shown_each_step() -> None:
    expected = frame(["source", "campaign", "stage", "reached", "of_started", "drop_off"], [
        (ALL, "", "started", 12, 1.0, NAN),
        (ALL, "", "emergency", 12, 1.0, 0.0),
        (ALL, "", "about_you", 10, 10 / 12, 0.5),
        (ALL, "", "result", 6, 0.5, NAN),
        ("instagram", "fall", "started", 10, 1.0, NAN),
        ("instagram", "fall", "emergency", 10, 1.0, 0.0),
        ("instagram", "fall", "about_you", 8, 0.8, 5 / 8),
        ("instagram", "fall", "result", 4, 0.4, NAN),
        (DIRECT, NO_CAMPAIGN, "started", 2, 1.0, NAN),
        (DIRECT, NO_CAMPAIGN, "emergency", 2, 1.0, 0.0),
        (DIRECT, NO_CAMPAIGN, "about_you", 2, 1.0, 0.0),
        (DIRECT, NO_CAMPAIGN, "result", 2, 1.0, NAN),
    ])  # fmt: skip
    same(step_funnel(DONE, STEPS), expected)


def test_a_conditional_step_shown_to_few_is_not_a_drop_and_never_negative() -> None:
    # 10 start; only 3 are shown "recent" (show_if), all 3 go on; all 10 reach "safety".
    counts = counts_frame([
        row("started", 10), row("step_reached", 10, step="about_you"),
        row("step_done", 10, step="about_you"), row("step_reached", 3, step="recent"),
        row("step_done", 3, step="recent"), row("step_reached", 10, step="safety"),
        row("step_done", 9, step="safety"),
    ])  # fmt: skip
    out = step_funnel(counts, ["about_you", "recent", "safety"])
    mine = out[out["source"] == ALL].set_index("stage")["drop_off"]
    assert (mine["about_you"], mine["recent"], mine["safety"]) == (0.0, 0.0, 0.1)
    assert (out["drop_off"].dropna() >= 0).all() and (out["drop_off"].dropna() <= 1).all()


def test_without_step_done_counts_there_is_no_drop_off_to_show() -> None:
    assert step_funnel(COUNTS, STEPS)["drop_off"].isna().all()


def test_weekly_by_channel() -> None:
    days = counts_frame([
        row("started", 3, "flyer", day=date(2026, 3, 2)),  # a Monday
        row("started", 1, "flyer", day=date(2026, 3, 8)),  # its Sunday: the same week
        row("result_shown", 2, "flyer", tier="info", day=date(2026, 3, 9)),
        row("contact_requested", 1, day=date(2026, 3, 10)),
    ])  # fmt: skip
    expected = frame(["week", "source", "campaign", "started", "completed", "contact_requests"], [
        (date(2026, 3, 2), ALL, "", 4, 0, 0),
        (date(2026, 3, 2), "flyer", NO_CAMPAIGN, 4, 0, 0),
        (date(2026, 3, 9), ALL, "", 0, 2, 1),
        (date(2026, 3, 9), DIRECT, NO_CAMPAIGN, 0, 0, 1),  # equal starts: by name
        (date(2026, 3, 9), "flyer", NO_CAMPAIGN, 0, 2, 0),
    ])  # fmt: skip
    same(weekly(days), expected)


def test_step_funnel_without_data_has_every_stage_and_no_rates() -> None:
    out = step_funnel(EMPTY, STEPS)
    assert list(out["stage"]) == ["started", "emergency", "about_you", "result"]
    assert list(out["reached"]) == [0, 0, 0, 0]
    assert out["of_started"].isna().all() and out["drop_off"].isna().all()


def test_daily_fills_every_day_of_the_range() -> None:
    expected = frame(["day", "started", "completed"], [
        (date(2026, 2, 28), 0, 0),
        (DAY1, 12, 5),
        (DAY2, 0, 1),
    ])  # fmt: skip
    same(daily(COUNTS, date(2026, 2, 28), DAY2), expected)


def test_empty_strings_count_as_direct() -> None:
    counts = counts_frame([row("started", 1, "", "")])
    assert list(channel_summary(counts)["source"]) == [ALL, DIRECT]
