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


def test_step_funnel() -> None:
    expected = frame(["source", "campaign", "stage", "reached", "of_started", "drop_off"], [
        (ALL, "", "started", 12, 1.0, NAN),
        (ALL, "", "emergency", 12, 1.0, 0.0),
        (ALL, "", "about_you", 10, 10 / 12, 2 / 12),
        (ALL, "", "result", 6, 0.5, 0.4),
        ("instagram", "fall", "started", 10, 1.0, NAN),
        ("instagram", "fall", "emergency", 10, 1.0, 0.0),
        ("instagram", "fall", "about_you", 8, 0.8, 0.2),
        ("instagram", "fall", "result", 4, 0.4, 0.5),
        (DIRECT, NO_CAMPAIGN, "started", 2, 1.0, NAN),
        (DIRECT, NO_CAMPAIGN, "emergency", 2, 1.0, 0.0),
        (DIRECT, NO_CAMPAIGN, "about_you", 2, 1.0, 0.0),
        (DIRECT, NO_CAMPAIGN, "result", 2, 1.0, 0.0),
    ])  # fmt: skip
    same(step_funnel(COUNTS, STEPS), expected)


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
