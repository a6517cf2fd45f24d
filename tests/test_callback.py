"""The call-back workflow: who to call next (a table of cases and a property), the person's result
and answers in the same words as their PDF, call attempts with an outcome and a note (in the
audit trail without the note), tap-to-call and tap-to-text, times in the clinic's time zone."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apptest_support import app_env, texts  # noqa: F401  (app_env is an autouse fixture)
from core_spec import build
from hypothesis import given
from hypothesis import strategies as st
from staff_support import ADMIN, VIEWER, add_account, audit_rows, open_staff, sign_in_as
from streamlit.testing.v1 import AppTest

from screening.errors import ContentError
from screening.outputs.report import answer_groups
from screening.outputs.summary import describe
from screening.questionnaire.loader import DEFAULT_CLINIC, load_clinic, load_questionnaire
from screening.questionnaire.rules import evaluate
from screening.records import callback
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import StoredCalls, open_store
from web.staff.person import person

pytestmark = pytest.mark.usefixtures("clock")
Q = load_questionnaire()
CLINIC = load_clinic()
TIERS = [t.id for t in Q.tiers]
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
# A palsy 3 weeks to 3 months old, one key movement often: a consult result.
CONSULT = evaluate(Q, build(hx_onset="3w_3m", eye_narrows_smile="often"))
NAME = "Bartholomew **Quillon**"
NOTE_TYPED = "Rang twice Zanzibarite"


# --- next to call --------------------------------------------------------------------------------


def row(i: int, tier: str | None, hours_ago: float, handled: bool = False) -> dict[str, Any]:
    return {"id": i, "tier": tier, "created_at": T0 - timedelta(hours=hours_ago),
            "handled_at": T0 if handled else None}  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "order"),
    [
        ([row(1, "info", 50), row(2, "soon", 1), row(3, "consult", 20)], [2, 3, 1]),
        ([row(1, "consult", 1), row(2, "consult", 30), row(3, "consult", 5)], [2, 3, 1]),
        ([row(1, None, 90), row(2, "info", 1)], [2, 1]),  # no result kept: after every tier
        ([row(1, "soon", 9, handled=True), row(2, "info", 1)], [2]),  # handled: off the list
        ([], []),
    ],
)
def test_next_to_call_orders_by_tier_then_waiting(
    rows: list[dict[str, Any]], order: list[int]
) -> None:
    assert [r["id"] for r in callback.next_to_call(rows, TIERS)] == order


@given(st.lists(st.tuples(st.sampled_from([*TIERS, None]), st.integers(0, 10_000)), max_size=20))
def test_next_to_call_never_puts_a_lower_tier_or_a_newer_request_first(
    cases: list[tuple[str | None, int]],
) -> None:
    rows = [row(i, tier, minutes / 60) for i, (tier, minutes) in enumerate(cases)]
    order = callback.next_to_call(rows, TIERS)
    assert len(order) == len(rows)
    rank = {t: i for i, t in enumerate(TIERS)}
    keys = [(rank.get(r["tier"], len(TIERS)), r["created_at"]) for r in order]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(0, "0 min"), (59, "59 min"), (60, "1 hour"), (150, "2 hours"), (1440, "1 day"),
     (1440 * 3 + 120, "3 days 2 h")],
)  # fmt: skip
def test_waiting_time_in_words(minutes: int, words: str) -> None:
    assert callback.waited(T0, T0 + timedelta(minutes=minutes)) == words


# --- the person's result and answers, as in their PDF --------------------------------------------


def test_the_persons_view_is_the_text_of_their_pdf() -> None:
    stored = {"tier": CONSULT.tier, "reasons": list(CONSULT.reasons), "answers": CONSULT.answers}
    view = person(Q, CLINIC, stored)
    assert view is not None
    told = describe(Q, CLINIC, CONSULT, "en")
    assert (view.headline, view.summary, view.why) == (told.headline, told.summary, told.why)
    pdf = [(g.title, r.question, r.answer) for g in answer_groups(Q, CLINIC, CONSULT, "en")
           for r in g.rows]  # fmt: skip
    assert list(view.answers) == pdf and pdf
    words = str(view.answers)
    for internal in ("movements_eye", "eye_narrows_smile", "3w_3m"):
        assert internal not in words


def test_no_kept_screening_has_no_view() -> None:
    assert person(Q, CLINIC, None) is None


# --- the time zone in clinic.yaml ----------------------------------------------------------------


def test_clinic_yaml_names_a_time_zone_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    assert CLINIC.timezone == "America/Chicago"
    text = DEFAULT_CLINIC.read_text(encoding="utf-8").replace(
        "timezone: America/Chicago", "timezone: America/Lubbock"
    )
    bad = tmp_path / "clinic.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_clinic(bad)
    assert "not a time zone name" in str(raised.value.problems[0])


# --- on the dashboard ----------------------------------------------------------------------------


def url() -> str:
    return os.environ["SCREENING_DATABASE_URL"]


def seed(name: str = NAME, hours_ago: float = 2) -> int:
    store = open_store(url())
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    try:
        screening = store.save_screening(CONSULT, Channel(), "en", now=at)
        request = ContactRequest(name=name, phone="+18065550123", email="bq@example.org",
                                 way="text", time="evening", note="")  # fmt: skip
        return store.save_contact(request, consent_text="I agree", lang="en", channel=Channel(),
                                  screening_id=screening, idempotency_key=name, now=at)  # fmt: skip
    finally:
        store.close()


def frame(at: AppTest, column: str) -> Any:
    """The table on screen whose first column is `column` (AppTest finds tables by position)."""
    [found] = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [column]]
    return found


def shown_headings(at: AppTest) -> set[str]:
    """Bold part titles drawn as Markdown (our own words, escaped)."""
    return {str(m.value).strip("*").replace("\\", "") for m in at.markdown}


def signed_in(role_email: str = VIEWER) -> AppTest:
    add_account(url(), ADMIN, "admin")
    add_account(url(), VIEWER, "viewer")
    return sign_in_as(open_staff(), role_email)


def test_the_card_has_tap_to_call_and_text_and_the_persons_answers_in_words() -> None:
    request = seed()
    at = signed_in()
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert links["Call (806) 555-0123"] == "tel:+18065550123"  # read as written, dials exactly
    assert links["Text"] == "sms:+18065550123"
    assert links["Write an e-mail"] == "mailto:bq@example.org"
    shown = texts(at)
    told = describe(Q, CLINIC, CONSULT, "en")
    assert f"Request #{request}" in shown and told.headline in shown
    assert "Would like: a text message in the evening" in shown
    # Plain lines, one per answer under its part's title, read on a phone without a table
    # wider than the screen.
    view = person(Q, CLINIC, {"answers": CONSULT.answers, "tier": CONSULT.tier})
    assert view is not None and view.answers
    lines = [t.value for t in at.text]
    for _, question, answer in view.answers:
        assert f"{question} — {answer}" in lines
    assert "Often" in {answer for _, _, answer in view.answers}
    assert {part for part, _, _ in view.answers} <= shown_headings(at)
    assert not [d for d in at.dataframe if list(d.value.columns)[:1] == ["part"]]
    table = frame(at, "request")
    assert list(table["result"]) == [told.headline]
    assert list(table["phone"]) == ["(806) 555-0123"]
    # What a phone shows of the list before scrolling sideways: who, their result, how long.
    assert list(table.columns)[:4] == ["request", "name", "result", "waiting"]
    assert table["received"][0].endswith(("CST", "CDT"))  # the clinic's time, not UTC
    assert "None" not in str(table.to_dict()) and "nan" not in str(table.to_dict())


def test_untrusted_text_on_the_card_never_reaches_markdown() -> None:
    seed(name="**Bold** [link](http://evil.example)")
    at = signed_in()
    markdown = "\n".join(str(m.value) for m in at.markdown)
    assert "evil.example" not in markdown
    assert "Name: **Bold** [link](http://evil.example)" in [t.value for t in at.text]


def test_a_call_attempt_is_kept_with_its_note_and_audited_without_it() -> None:
    request = seed()
    at = signed_in()
    at.radio(key="staff.call_outcome").set_value("left_message")
    at.text_area(key="staff.call_note").set_value(NOTE_TYPED)
    at.button(key="staff.call_save").click().run()
    assert not at.exception
    assert f"Saved for request #{request}: Left a message." in texts(at)
    table = frame(at, "request")
    assert list(table["calls"]) == ["1, last: Left a message"]
    lines = [t.value for t in at.text]
    [attempt] = [line for line in lines if line.endswith(f"Left a message, by {VIEWER}")]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d C[SD]T: ", attempt), attempt
    assert f"Their note: {NOTE_TYPED}" not in lines and f"Note: {NOTE_TYPED}" in lines
    rows = [r for r in audit_rows(url()) if r["action"] == "call_attempt"]
    assert [(r["actor"], r["target"], r["detail"]) for r in rows] == [
        (VIEWER, f"contact request {request}", "Left a message")]  # fmt: skip
    assert "Zanzibarite" not in str(audit_rows(url()))


def test_booked_closes_the_request_and_the_next_one_comes_up() -> None:
    first = seed("First Caller", hours_ago=5)
    second = seed("Second Caller", hours_ago=1)
    at = signed_in()
    assert at.selectbox(key="staff.handle_id").value == first
    at.radio(key="staff.call_outcome").set_value("booked")
    at.button(key="staff.call_save").click().run()
    assert "The request is handled." in texts(at)
    assert list(frame(at, "request")["request"]) == [second]
    assert at.selectbox(key="staff.handle_id").value == second


def test_an_attempt_without_an_outcome_is_refused() -> None:
    seed()
    at = signed_in()
    at.button(key="staff.call_save").click().run()
    assert "Choose what the call came to." in texts(at)
    assert [r for r in audit_rows(url()) if r["action"] == "call_attempt"] == []


def test_forgetting_a_person_deletes_their_call_notes() -> None:
    request = seed()
    at = signed_in(ADMIN)
    at.radio(key="staff.call_outcome").set_value("no_answer")
    at.text_area(key="staff.call_note").set_value(NOTE_TYPED)
    at.button(key="staff.call_save").click().run()
    at.checkbox(key="staff.forget_sure").check().run()
    at.selectbox(key="staff.forget_id").set_value(request)
    at.button(key="staff.forget").click().run()
    store = open_store(url())
    try:
        assert StoredCalls(store.engine).attempts() == []
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM call_attempts").scalar() == 0
    finally:
        store.close()


def test_the_pickers_name_the_person_so_nobody_calls_or_forgets_the_wrong_one() -> None:
    first = seed("Wilhelmina Quarrington", hours_ago=3)
    seed("Bartholomew Ashcombe", hours_ago=1)
    at = signed_in(ADMIN)
    request = at.selectbox(key="staff.handle_id")
    assert request.options[0].startswith(f"#{first} Wilhelmina Quarrington, ")
    assert any("Bartholomew Ashcombe" in o for o in request.options)
    forget = at.selectbox(key="staff.forget_id")
    assert sorted(o.split(",")[0] for o in forget.options) == [
        f"#{first} Wilhelmina Quarrington", f"#{first + 1} Bartholomew Ashcombe"]  # fmt: skip
