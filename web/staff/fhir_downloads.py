"""The dashboard's FHIR downloads: kept screenings as an HL7 FHIR R4 Bundle (JSON), for the
clinic's records system. The JSON is built by screening.outputs.fhir, only when a button is pressed.

Nothing typed by the public is shown here: the labels are our own words, ids, times and tiers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from screening.errors import StorageError
from screening.outputs import fhir
from screening.questionnaire.models import Clinic, Questionnaire
from screening.records.storage import Store

from . import access
from .access import Staff
from .person import tier_words
from .requests import when

log = logging.getLogger("screening.app")
RANGE = "staff.fhir_range"
CHOSEN = "staff.fhir_id"
MEDIA_TYPE = "application/fhir+json"


def in_days(rows: Sequence[Mapping[str, Any]], start: date, end: date) -> list[Mapping[str, Any]]:
    """The screenings kept on the days start..end (UTC), oldest first."""
    return [r for r in rows if start <= r["created_at"].astimezone(UTC).date() <= end]


def bundle_json(
    q: Questionnaire, clinic: Clinic, rows: Sequence[Mapping[str, Any]], now: datetime
) -> bytes:
    """A FHIR Bundle (collection) of these screenings as UTF-8 JSON."""
    data = fhir.bundle(q, clinic, rows, now)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def show(db: Store, staff: Staff, q: Questionnaire, clinic: Clinic, today: date) -> None:
    """A date range and two downloads: every screening in it, or one chosen screening."""
    st.subheader("FHIR export")
    st.text(
        "Kept screenings as an HL7 FHIR R4 Bundle (JSON): the Questionnaire in each language "
        "the screenings used, then one QuestionnaireResponse per screening with its result. "
        "No names or contact details. docs/FHIR.md says how to load it into a records system."
    )
    chosen = st.date_input(
        "Screenings kept on these days (UTC)",
        value=(today - timedelta(days=29), today),
        max_value=today,
        key=RANGE,
    )
    if not isinstance(chosen, tuple) or len(chosen) != 2:
        st.text("Pick the last day of the range too.")
        return
    start, end = chosen
    since = datetime.combine(start, time(), UTC)
    try:
        rows = in_days(db.screening_rows(since), start, end)
    except StorageError as exc:
        log.error("the dashboard could not read screenings: %s", exc)
        st.error("The screenings cannot be read right now. Try again in a minute.")
        return

    def everything() -> tuple[bytes, int]:
        fresh = in_days(db.screening_rows(since), start, end)
        return bundle_json(q, clinic, fresh, datetime.now(UTC)), len(fresh)

    st.download_button(
        f"Download these {len(rows)} screening(s) (FHIR JSON)",
        data=access.export(
            staff, f"screenings {start.isoformat()} to {end.isoformat()} (FHIR)", everything
        ),
        file_name=f"screenings-{start.isoformat()}-to-{end.isoformat()}.fhir.json",
        mime=MEDIA_TYPE,
        key="staff.fhir_bundle",
        on_click="ignore",
        disabled=not rows,
    )
    if not rows:
        return
    zone = ZoneInfo(clinic.timezone)
    labels = {
        int(r["id"]): f"#{r['id']}, {when(r['created_at'], zone)}, "
        f"{tier_words(q, clinic, r['tier'])}"
        for r in rows
    }
    picked = st.selectbox(
        "One screening", sorted(labels, reverse=True), format_func=labels.__getitem__, key=CHOSEN
    )
    one = [r for r in rows if int(r["id"]) == picked]
    st.download_button(
        "Download this screening (FHIR JSON)",
        data=access.export(
            staff,
            f"screening {picked} (FHIR)",
            lambda: (bundle_json(q, clinic, one, datetime.now(UTC)), len(one)),
        ),
        file_name=f"screening-{picked}.fhir.json",
        mime=MEDIA_TYPE,
        key="staff.fhir_one",
        on_click="ignore",
    )
