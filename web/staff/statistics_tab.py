"""The dashboard's statistics: a date range, the numbers by channel, and charts where a picture
says more than a table. The arithmetic is in statistics.py (pure, tested with tables)."""

from __future__ import annotations

import json
import logging
import math
from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from screening.errors import StorageError
from screening.questionnaire.models import Questionnaire
from screening.records.storage import Store

from . import statistics as stats

log = logging.getLogger("screening.app")
RANGE = "staff.range"
FUNNEL_CHANNEL = "staff.funnel_channel"


def _percent_column(label: str) -> ColumnConfig:
    return st.column_config.NumberColumn(label, format="percent")


def _channel_name(source: str, campaign: str) -> str:
    return source if not campaign else f"{source} / {campaign}"


def show(db: Store, q: Questionnaire, today: date) -> None:
    """Everything on the Statistics tab for the chosen days (UTC)."""
    chosen = st.date_input(
        "Days (UTC)", value=(today - timedelta(days=29), today), max_value=today, key=RANGE
    )
    if not isinstance(chosen, tuple) or len(chosen) != 2:
        st.text("Pick the last day of the range too.")
        return
    start, end = chosen
    try:
        counts = stats.counts_frame(db.funnel_counts(start, end))
    except StorageError as exc:
        log.error("the dashboard could not read the counts: %s", exc)
        st.error("The statistics cannot be read right now. Try again in a minute.")
        return
    summary = stats.channel_summary(counts)
    _headline(summary)
    st.altair_chart(_daily_chart(stats.daily(counts, start, end)), width="stretch")

    st.subheader("By channel")
    summary = summary.assign(
        channel=[
            _channel_name(s, c)
            for s, c in zip(summary[stats.SOURCE], summary[stats.CAMPAIGN], strict=True)
        ]
    )
    st.dataframe(
        summary.drop(columns=["channel"]),
        hide_index=True,
        column_config={
            "completion_rate": _percent_column("completion rate"),
            "contact_requests": "contact requests",
            "contact_rate": _percent_column("requests per completed"),
        },
        key="staff.channels",
    )

    st.subheader("Where people stop")
    names = list(summary["channel"])
    picked = st.selectbox(
        "Channel", range(len(names)), format_func=names.__getitem__, key=FUNNEL_CHANNEL
    )
    funnel = stats.step_funnel(counts, [s.id for s in q.steps])
    source, campaign = summary.loc[picked or 0, [stats.SOURCE, stats.CAMPAIGN]]
    one = funnel[(funnel[stats.SOURCE] == source) & (funnel[stats.CAMPAIGN] == campaign)]
    st.altair_chart(_funnel_chart(one), width="stretch")
    st.dataframe(
        one.drop(columns=stats.CHANNEL),
        hide_index=True,
        column_config={
            "of_started": _percent_column("share of started"),
            "drop_off": _percent_column("drop-off"),
        },
        key="staff.funnel",
    )
    st.caption(
        "Emergency and urgent results end the questionnaire after the safety questions, so the "
        "drop after the first step includes people who got such a result."
    )

    st.subheader("Results by tier")
    mix = stats.tier_mix(counts, [t.id for t in q.tiers])
    mix = mix.assign(
        channel=[
            _channel_name(s, c) for s, c in zip(mix[stats.SOURCE], mix[stats.CAMPAIGN], strict=True)
        ]
    )
    st.altair_chart(_tier_chart(mix, [t.id for t in q.tiers]), width="stretch")
    st.dataframe(
        mix.drop(columns=["channel"]),
        hide_index=True,
        column_config={"share": _percent_column("share of results")},
        key="staff.tiers",
    )


def _headline(summary: pd.DataFrame) -> None:
    everything = summary.iloc[0]
    cells = st.columns(5)
    cells[0].metric("Started", int(everything["started"]))
    cells[1].metric("Completed", int(everything["completed"]))
    cells[2].metric("Completion rate", _percent(float(everything["completion_rate"])))
    cells[3].metric("Contact requests", int(everything["contact_requests"]))
    cells[4].metric("Requests per completed", _percent(float(everything["contact_rate"])))


def _percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0%}"


def _daily_chart(days: pd.DataFrame) -> alt.Chart:
    long = days.melt(id_vars="day", var_name="what", value_name="screenings")
    long["day"] = pd.to_datetime(long["day"])
    chart: alt.Chart = (
        alt.Chart(long, title="Screenings per day")
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=None),
            y=alt.Y("screenings:Q", title="screenings", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("what:N", title=None, sort=["started", "completed"]),
            tooltip=["day:T", "what:N", "screenings:Q"],
        )
    )
    return chart


def _funnel_chart(funnel: pd.DataFrame) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(funnel, title="How many reached each stage")
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=list(funnel["stage"]), title=None),
            x=alt.X("reached:Q", title="people", axis=alt.Axis(tickMinStep=1)),
            tooltip=["stage:N", "reached:Q", alt.Tooltip("of_started:Q", format=".0%")],
        )
    )
    return chart


def _tier_chart(mix: pd.DataFrame, tiers: list[str]) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(mix[mix["count"] > 0], title="Share of results by tier")
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", sort=list(dict.fromkeys(mix["channel"])), title=None),
            x=alt.X(
                "count:Q", stack="normalize", title="share of results", axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "tier:N",
                sort=tiers,
                title="tier",
                scale=alt.Scale(domain=tiers, scheme="redyellowblue"),
            ),
            order=alt.Order("tier_rank:Q"),
            tooltip=["channel:N", "tier:N", "count:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .transform_calculate(tier_rank=_rank_expression(tiers))
    )
    return chart


def _rank_expression(tiers: list[str]) -> str:
    # Stack the tiers in their order (emergency first).
    return f"indexof({json.dumps(list(tiers))}, datum.tier)"
