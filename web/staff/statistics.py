"""The dashboard's numbers: funnel counts in, tables out. Pure: pandas only, no Streamlit, no
database (screening/ may not import pandas, so this lives with the page that shows it).

The input is Store.funnel_counts as a DataFrame: one row per day, kind, step, tier, language and
channel with its `count`. A channel is (utm_source, utm_campaign); visits without them are
"(direct)". Every table also has an "all channels" row first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

COUNT_COLUMNS = (
    "day", "kind", "step", "tier", "lang", "utm_source", "utm_medium", "utm_campaign",
    "utm_content", "count",
)  # fmt: skip
SOURCE, CAMPAIGN = "source", "campaign"
CHANNEL = [SOURCE, CAMPAIGN]
ALL = "all channels"
DIRECT = "(direct)"
NO_CAMPAIGN = "(none)"
STARTED, RESULT = "started", "result"  # the first and last stage of the step funnel


def counts_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Store.funnel_counts rows as a DataFrame with every column, even when there are none."""
    frame = pd.DataFrame(list(rows), columns=list(COUNT_COLUMNS))
    frame["count"] = frame["count"].astype("int64")
    return frame


def _label(values: pd.Series, empty: str) -> pd.Series:
    text = values.astype(object)
    return text.where(text.notna() & (text != ""), empty).astype(str)


def _labelled(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts with channel labels, and every row once more under "all channels"."""
    frame = counts.assign(
        **{
            SOURCE: _label(counts["utm_source"], DIRECT),
            CAMPAIGN: _label(counts["utm_campaign"], NO_CAMPAIGN),
        }
    )
    if frame.empty:
        return frame
    everything = frame.assign(**{SOURCE: ALL, CAMPAIGN: ""})
    return pd.concat([everything, frame], ignore_index=True)


def _channels(frame: pd.DataFrame) -> pd.MultiIndex:
    """All channels first, then the busiest channels (most started), then by name."""
    started = frame[frame["kind"] == "started"].groupby(CHANNEL)["count"].sum()
    seen = {(s, c) for s, c in zip(frame[SOURCE], frame[CAMPAIGN], strict=True)}
    seen.discard((ALL, ""))
    rest = sorted(seen, key=lambda ch: (-int(started.get(ch, 0)), ch))
    return pd.MultiIndex.from_tuples([(ALL, ""), *rest], names=CHANNEL)


def _total(frame: pd.DataFrame, kind: str, index: pd.MultiIndex) -> pd.Series:
    chosen = frame[frame["kind"] == kind].groupby(CHANNEL)["count"].sum()
    return chosen.reindex(index, fill_value=0).astype("int64")


def _rate(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as a fraction; NaN where whole is 0 (no rate to speak of)."""
    return part.astype("float64") / whole.where(whole > 0).astype("float64")


def channel_summary(counts: pd.DataFrame) -> pd.DataFrame:
    """Per channel: started, completed (a result shown), completion_rate, contact_requests and
    contact_rate (requests per completed screening)."""
    frame = _labelled(counts)
    index = _channels(frame)
    out = pd.DataFrame(index=index)
    out["started"] = _total(frame, "started", index)
    out["completed"] = _total(frame, "result_shown", index)
    out["completion_rate"] = _rate(out["completed"], out["started"])
    out["contact_requests"] = _total(frame, "contact_requested", index)
    out["contact_rate"] = _rate(out["contact_requests"], out["completed"])
    return out.reset_index()


def tier_mix(counts: pd.DataFrame, tiers: Sequence[str]) -> pd.DataFrame:
    """Per channel and tier (in the given order; others after): count and share of results."""
    frame = _labelled(counts)
    index = _channels(frame)
    shown = frame[frame["kind"] == "result_shown"]
    known = list(tiers) + sorted(set(shown["tier"].dropna()) - set(tiers))
    per = shown.groupby([*CHANNEL, "tier"])["count"].sum()
    full = pd.MultiIndex.from_tuples(
        [(s, c, t) for s, c in index for t in known], names=[*CHANNEL, "tier"]
    )
    out = per.reindex(full, fill_value=0).astype("int64").rename("count").reset_index()
    completed = out.groupby(CHANNEL)["count"].transform("sum")
    out["share"] = _rate(out["count"], completed)
    return out


def step_funnel(counts: pd.DataFrame, steps: Sequence[str]) -> pd.DataFrame:
    """Per channel and stage (started, each step, result): how many reached it, as a share of
    those who started, and `drop_off`: of the people *shown* a step, the share who stopped there
    (reached it but never left it forwards, step_done). Steps are shown to some people only
    (show_if), so a step's drop-off is never measured against the stage before it. NaN for
    started and result, and where a channel has no step_done counts (data older than them)."""
    frame = _labelled(counts)
    index = _channels(frame)
    stages = [STARTED, *steps, RESULT]
    stage = frame["kind"].map({"started": STARTED, "result_shown": RESULT})
    stage = stage.where(frame["kind"] != "step_reached", frame["step"])
    frame = frame.assign(stage=stage)
    per = frame[frame["stage"].isin(stages)].groupby([*CHANNEL, "stage"])["count"].sum()
    full = pd.MultiIndex.from_tuples(
        [(s, c, st) for s, c in index for st in stages], names=[*CHANNEL, "stage"]
    )
    out = per.reindex(full, fill_value=0).astype("int64").rename("reached").reset_index()
    by_channel = out.groupby(CHANNEL)["reached"]
    out["of_started"] = _rate(out["reached"], by_channel.transform("first"))
    done_rows = frame[frame["kind"] == "step_done"]
    done = done_rows.groupby([*CHANNEL, "step"])["count"].sum()
    done.index = done.index.set_names([*CHANNEL, "stage"])
    left_forwards = done.reindex(full, fill_value=0).astype("int64").to_numpy()
    measured = set(done_rows.groupby(CHANNEL)["count"].sum().index)
    has_data = pd.Series(
        [(s, c) in measured for s, c in zip(out[SOURCE], out[CAMPAIGN], strict=True)]
    )
    is_step = out["stage"].isin(list(steps))
    stopped = (out["reached"] - left_forwards).clip(lower=0)
    rate = _rate(stopped, out["reached"]).clip(upper=1.0)
    out["drop_off"] = rate.where(is_step & has_data)
    return out


def weekly(counts: pd.DataFrame) -> pd.DataFrame:
    """Per week (starting Monday) and channel: started, completed, contact requests; the
    "all channels" rows first. Weeks without any count are left out."""
    frame = _labelled(counts)
    if frame.empty:
        return pd.DataFrame(columns=["week", SOURCE, CAMPAIGN, "started", "completed",
                                     "contact_requests"])  # fmt: skip
    days = pd.to_datetime(frame["day"])
    frame = frame.assign(week=(days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date)
    kinds = {"started": "started", "result_shown": "completed",
             "contact_requested": "contact_requests"}  # fmt: skip
    frame = frame[frame["kind"].isin(list(kinds))].assign(what=frame["kind"].map(kinds))
    table = frame.pivot_table(
        index=["week", SOURCE, CAMPAIGN], columns="what", values="count", aggfunc="sum",
        fill_value=0,
    )  # fmt: skip
    table = table.reindex(columns=list(kinds.values()), fill_value=0).astype("int64")
    out = table.rename_axis(columns=None).reset_index()
    out["_all"] = out[SOURCE] != ALL
    out = out.sort_values(
        ["week", "_all", "started", SOURCE, CAMPAIGN], ascending=[True, True, False, True, True]
    )
    return out.drop(columns="_all").reset_index(drop=True)[
        ["week", SOURCE, CAMPAIGN, "started", "completed", "contact_requests"]
    ]


def daily(counts: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Screenings started and completed on each day from start to end (all channels)."""
    days = pd.Index(pd.date_range(start, end, freq="D").date, name="day")
    out = pd.DataFrame(index=days)
    for kind, column in (("started", "started"), ("result_shown", "completed")):
        chosen = counts[counts["kind"] == kind].groupby("day")["count"].sum()
        out[column] = chosen.reindex(days, fill_value=0).astype("int64")
    return out.reset_index()
