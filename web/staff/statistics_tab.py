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

from screening.errors import StorageError
from screening.outputs.summary import fill
from screening.questionnaire.models import Clinic, Questionnaire
from screening.records.storage import Store

from . import statistics as stats

log = logging.getLogger("screening.app")
RANGE = "staff.range"
FUNNEL_CHANNEL = "staff.funnel_channel"


DIRECT_WORDS = "direct visits (no campaign link)"


def channel_name(source: str, campaign: str) -> str:
    """A channel as staff read it: "flyer", "flyer / spring", or the direct visits in words
    (statistics.py's placeholders "(direct)" and "(none)" never reach the screen)."""
    if campaign in ("", stats.NO_CAMPAIGN):
        return DIRECT_WORDS if source == stats.DIRECT else source
    return f"{DIRECT_WORDS if source == stats.DIRECT else source} / {campaign}"


def _channel_names(frame: pd.DataFrame) -> list[str]:
    """Each row's channel as staff read it (channel_name)."""
    return [
        channel_name(str(source), str(campaign))
        for source, campaign in zip(frame[stats.SOURCE], frame[stats.CAMPAIGN], strict=True)
    ]


def percents(values: pd.Series) -> list[str]:
    """Shares as whole percents in words ("40%"); "–" where there is nothing to divide."""
    return [_percent(float(v)) for v in values]


def stage_names(q: Questionnaire, clinic: Clinic) -> dict[str, str]:
    """Stage id -> the words staff read: the step's title as the person saw it."""
    names = {stats.STARTED: "Started", stats.RESULT: "Result shown"}
    names.update({s.id: fill(q, clinic, s.title, "en") for s in q.steps})
    return names


def tier_names(q: Questionnaire, clinic: Clinic) -> dict[str, str]:
    """Tier id -> its headline as the person read it."""
    return {t.id: fill(q, clinic, t.headline, "en") for t in q.tiers}


def funnel_table(one: pd.DataFrame, q: Questionnaire, clinic: Clinic) -> pd.DataFrame:
    """One channel's funnel in plain words: no ids, no None, no negative shares."""
    names = stage_names(q, clinic)
    return pd.DataFrame(
        {
            "stage": [names.get(str(x), str(x)) for x in one["stage"]],
            "people": [int(x) for x in one["reached"]],
            "share of started": percents(one["of_started"]),
            "stopped at this step": percents(one["drop_off"]),
        }
    )


def show(db: Store, q: Questionnaire, clinic: Clinic, today: date) -> None:
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
    summary = summary.assign(channel=_channel_names(summary))
    st.dataframe(
        pd.DataFrame(
            {
                "channel": list(summary["channel"]),
                "started": list(summary["started"]),
                "completed": list(summary["completed"]),
                "completion rate": percents(summary["completion_rate"]),
                "contact requests": list(summary["contact_requests"]),
                "requests per completed": percents(summary["contact_rate"]),
            }
        ),
        hide_index=True,
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
    words = stage_names(q, clinic)
    st.altair_chart(
        _funnel_chart(one.assign(stage=[words.get(str(x), str(x)) for x in one["stage"]])),
        width="stretch",
    )
    st.dataframe(funnel_table(one, q, clinic), hide_index=True, key="staff.funnel")
    st.caption(
        "Some steps are shown to some people only (for example the movement questions, to "
        "people who had facial palsy), so each step's stopping share counts only the people "
        "who were shown it. Emergency and urgent results end the questionnaire early; those "
        "people did not stop, they got their result. \"–\": nothing to count yet."
    )

    st.subheader("Results")
    mix = stats.tier_mix(counts, [t.id for t in q.tiers])
    headlines = tier_names(q, clinic)
    mix = mix.assign(
        channel=_channel_names(mix),
        tier=[headlines.get(str(t), str(t)) for t in mix["tier"]],
    )
    order = [headlines[t.id] for t in q.tiers]
    st.altair_chart(_tier_chart(mix, order), width="stretch")
    st.dataframe(
        pd.DataFrame(
            {
                "channel": list(mix["channel"]),
                "result": list(mix["tier"]),
                "people": list(mix["count"]),
                "share of results": percents(mix["share"]),
            }
        ),
        hide_index=True,
        key="staff.tiers",
    )

    st.subheader("Week by week")
    weeks = stats.weekly(counts)
    if weeks.empty:
        st.text("Nothing counted in these days yet.")
        return
    weeks = weeks.assign(channel=_channel_names(weeks))
    st.altair_chart(_weekly_chart(weeks), width="stretch")
    st.dataframe(
        pd.DataFrame(
            {
                "week of": [str(w) for w in weeks["week"]],
                "channel": list(weeks["channel"]),
                "started": list(weeks["started"]),
                "completed": list(weeks["completed"]),
                "contact requests": list(weeks["contact_requests"]),
            }
        ),
        hide_index=True,
        key="staff.weeks",
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
        alt.Chart(mix[mix["count"] > 0], title="Share of each result, by channel")
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", sort=list(dict.fromkeys(mix["channel"])), title=None),
            x=alt.X(
                "count:Q", stack="normalize", title="share of results", axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "tier:N",
                sort=tiers,
                title="result",
                scale=alt.Scale(domain=tiers, scheme="redyellowblue"),
            ),
            order=alt.Order("tier_rank:Q"),
            tooltip=["channel:N", "tier:N", "count:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .transform_calculate(tier_rank=_rank_expression(tiers))
    )
    return chart


def _weekly_chart(weeks: pd.DataFrame) -> alt.Chart:
    shown = weeks[weeks[stats.SOURCE] != stats.ALL].assign(week=pd.to_datetime(weeks["week"]))
    chart: alt.Chart = (
        alt.Chart(shown, title="Screenings started per week, by channel")
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="week of"),
            y=alt.Y("started:Q", title="started", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("channel:N", title=None),
            tooltip=["week:T", "channel:N", "started:Q", "completed:Q"],
        )
    )
    return chart


def _rank_expression(tiers: list[str]) -> str:
    # Stack the tiers in their order (emergency first).
    return f"indexof({json.dumps(list(tiers))}, datum.tier)"
