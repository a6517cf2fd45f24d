"""Nothing lost: the place in the check kept under a random resume id (storage/resume.py) and the
screens in the address (web/selfcheck/address.py, resume.py).

The store runs against SQLite and PostgreSQL (tests/backends.py); its clock is passed in, so the
30 minutes and 2 hours are crossed without waiting. The app's flows use AppTest: a new AppTest
with the same address is a reload, or a return after Streamlit forgot the session.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    APP,
    FIRST,
    answer,
    app_env,
    click,
    consult,
    fill_form,
    open_app,
    progress_line,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from server_process import start as start_server
from streamlit.testing.v1 import AppTest
from streamlit_client import session

from screening.questionnaire.models import Questionnaire
from screening.records.storage import Lifetime, ResumeStore, Store, open_store
from screening.records.storage.resume import STATE_MAX, PlaceWriter, digest, is_id, new_id, writer
from screening.records.storage.schema import resume_points

T0 = 1_800_000_000.0  # seconds since 1970
PLACE = {"screen": 2, "lang": "es", "answers": {"hx_age": "40_64", "hx_treatment": ["botox"]}}


@pytest.fixture
def points(store: Store) -> ResumeStore:
    return ResumeStore(store.engine, Lifetime(idle=30 * 60, keep=2 * 60 * 60))


def rows(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(resume_points))]


# The store


def test_a_place_comes_back_by_its_id_and_only_by_it(points: ResumeStore, store: Store) -> None:
    rid = new_id()
    points.save(rid, PLACE, T0)
    assert points.load(rid, T0 + 60) == PLACE
    assert points.load(new_id(), T0 + 60) is None
    # The table holds a hash of the id, never the id itself.
    [row] = rows(store)
    assert row["id_digest"] == digest(rid)
    assert rid not in json.dumps(row, default=str)


def test_a_change_replaces_the_place(points: ResumeStore, store: Store) -> None:
    rid = new_id()
    points.save(rid, PLACE, T0)
    points.save(rid, {**PLACE, "screen": 3}, T0 + 10)
    assert points.load(rid, T0 + 20) == {**PLACE, "screen": 3}
    assert points.count() == 1


def test_thirty_minutes_without_a_change_and_the_place_is_gone(points: ResumeStore) -> None:
    rid = new_id()
    points.save(rid, PLACE, T0)
    assert points.load(rid, T0 + 30 * 60) == PLACE  # 30 minutes away: still there
    assert points.load(rid, T0 + 30 * 60 + 1) is None


def test_two_hours_after_it_began_the_place_is_gone_however_busy(points: ResumeStore) -> None:
    rid = new_id()
    for minute in range(0, 120, 20):  # a change every 20 minutes
        points.save(rid, PLACE, T0 + minute * 60)
    assert points.load(rid, T0 + 2 * 60 * 60) == PLACE
    assert points.load(rid, T0 + 2 * 60 * 60 + 1) is None
    # A change after that is a new place with its own clock: the old row was deleted first.
    points.save(rid, {**PLACE, "screen": 5}, T0 + 2 * 60 * 60 + 5)
    assert points.count() == 1
    assert points.load(rid, T0 + 2 * 60 * 60 + 10) == {**PLACE, "screen": 5}
    assert points.load(rid, T0 + 4 * 60 * 60 + 6) is None


def test_expired_places_are_deleted_by_the_next_write_and_by_purge(
    points: ResumeStore, store: Store
) -> None:
    old, fresh = new_id(), new_id()
    points.save(old, PLACE, T0)
    points.save(fresh, PLACE, T0 + 31 * 60)  # the write deletes the idle one
    assert [r["id_digest"] for r in rows(store)] == [digest(fresh)]
    assert points.purge(T0 + 31 * 60 + 30 * 60 + 1) == 1
    assert rows(store) == []


def test_delete_forgets_at_once(points: ResumeStore) -> None:
    rid = new_id()
    points.save(rid, PLACE, T0)
    assert points.delete(rid) is True
    assert points.load(rid, T0) is None
    assert points.delete(rid) is False


@pytest.mark.parametrize(
    "bad", ["", "short", "a" * 21, "a" * 23, "../../etc/passwd.....", "ü" * 22, "a b" * 7 + "c"]
)
def test_anything_but_an_id_is_never_looked_up_or_kept(points: ResumeStore, bad: str) -> None:
    assert not is_id(bad)
    assert points.load(bad, T0) is None
    assert points.delete(bad) is False
    with pytest.raises(ValueError):
        points.save(bad, PLACE, T0)


def test_a_state_too_large_is_refused(points: ResumeStore) -> None:
    with pytest.raises(ValueError):
        points.save(new_id(), {"answers": {"x": "y" * STATE_MAX}}, T0)
    assert points.count() == 0


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0))
def test_ids_are_random_and_url_safe(_: int) -> None:
    rid = new_id()
    assert is_id(rid)
    assert rid != new_id()


def test_the_writer_keeps_the_newest_change_and_a_delete_wins(
    points: ResumeStore, store: Store
) -> None:
    late = PlaceWriter(interval=0.05)
    a, b = new_id(), new_id()
    for screen in range(10):
        late.put(points, a, {**PLACE, "screen": screen})
    late.put(points, b, PLACE)
    assert late.waiting(points, a) == (True, {**PLACE, "screen": 9})
    late.put(points, b, None)  # "Start over" right after a change
    assert late.waiting(points, b) == (True, None)
    assert late.flush()
    assert late.waiting(points, a) == (False, None)
    assert [r["id_digest"] for r in rows(store)] == [digest(a)]
    assert points.load(a, time.time()) == {**PLACE, "screen": 9}
    late.put(points, a, None)
    assert late.flush()
    assert rows(store) == []


def test_a_failed_write_is_logged_without_the_id_or_the_answers(
    tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    broken = open_store(f"sqlite:///{tmp_path / 'gone.db'}")
    with broken.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE resume_points"))
    late = PlaceWriter(interval=0.01)
    rid = new_id()
    late.put(ResumeStore(broken.engine), rid, PLACE)
    assert late.flush()
    broken.close()
    assert late.dropped == 1
    assert "could not keep 1 places" in caplog.text
    assert rid not in caplog.text and digest(rid) not in caplog.text
    assert "40_64" not in caplog.text and "botox" not in caplog.text


def test_the_lifetimes_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Lifetime(idle=0)
    with pytest.raises(ValueError):
        Lifetime(keep=-1)


# The app


@pytest.fixture
def kept() -> Iterator[ResumeStore]:
    """The resume points of the app's database (apptest_support points it at tmp_path)."""
    opened = open_store(os.environ["SCREENING_DATABASE_URL"])
    yield Flushed(opened.engine)
    opened.close()


class Flushed(ResumeStore):
    """The app's places once the background writer has written what it holds."""

    def count(self) -> int:
        assert writer.flush(), "the places were not written in time"
        return super().count()

    def states(self) -> list[str]:
        assert writer.flush(), "the places were not written in time"
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(resume_points.c.state)).scalars())


def reopen(at: AppTest) -> AppTest:
    """The same address in a new session: a reload, or a return after the session was lost."""
    again = AppTest.from_file(APP, default_timeout=30)
    for key in at.query_params:
        again.query_params[key] = at.query_params[key]
    again.run()
    assert not again.exception
    return again


def param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def to_about_you(lang: str | None = None) -> AppTest:
    at = open_app(lang)
    click(at, "nav.start")
    answer(at, FIRST)
    click(at, "nav.next")
    return answer(at, {"hx_age": "18_39", "hx_palsy": "yes"})


def test_the_address_names_the_step_and_the_resume_id_and_nothing_else() -> None:
    at = open_app()
    assert param(at, "step") is None and param(at, "resume") is None  # nothing to keep yet
    at = to_about_you()
    assert param(at, "step") == "about_you"
    assert is_id(param(at, "resume"))
    assert sorted(at.query_params) == ["resume", "step"]


def test_a_reload_takes_up_the_place_with_every_answer_and_the_language() -> None:
    at = to_about_you()
    at.radio(key="ui.lang").set_value("es").run()
    again = reopen(at)
    assert again.session_state["screen"] == 1
    assert again.radio(key="q.hx_age").value == "18_39"
    assert again.radio(key="q.hx_palsy").value == "yes"
    assert progress_line(again).startswith("Paso 2")
    click(again, "nav.back")
    assert all(again.radio(key=f"q.{k}").value == v for k, v in FIRST.items())


def test_the_places_lifetime_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, kept: ResumeStore
) -> None:
    monkeypatch.setenv("SCREENING_RESUME_IDLE_SECONDS", "600")
    at = to_about_you()
    # Eleven minutes away (the row's clock moved back rather than the test waiting).
    assert writer.flush()
    with kept.engine.begin() as conn:
        conn.execute(resume_points.update().values(touched=resume_points.c.touched - 660))
    again = reopen(at)
    assert again.session_state["screen"] == "welcome"
    assert again.session_state["answers"] == {}
    assert param(again, "resume") is None and param(again, "step") is None


def test_the_address_goes_back_and_forward_between_reached_steps() -> None:
    at = to_about_you()
    # The browser's Back: the run carries the previous entry's address.
    at.query_params["step"] = "emergency"
    at.run()
    assert at.session_state["screen"] == 0
    at.query_params["step"] = "about_you"  # Forward
    at.run()
    assert at.session_state["screen"] == 1
    assert at.radio(key="q.hx_age").value == "18_39"
    # Forward to a step these answers do not reach yet: nothing moves, the address is put right.
    at.query_params["step"] = "movements_eye"
    at.run()
    assert at.session_state["screen"] == 1
    assert param(at, "step") == "about_you"
    at.query_params["step"] = "result"
    at.run()
    assert at.session_state["screen"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"step": "movements_eye"},
        {"step": "result"},
        {"step": "<script>"},
        {"resume": "x" * 500},
        {"resume": new_id(), "step": "safety"},
    ],
)
def test_a_made_up_address_starts_afresh(query: dict[str, str]) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.session_state["screen"] == "welcome"
    assert at.session_state["answers"] == {}


def test_start_over_deletes_the_place(kept: ResumeStore) -> None:
    at = to_about_you()
    old = param(at, "resume")
    assert kept.count() == 1
    at.query_params["step"] = "emergency"
    at.run()
    answer(at, {"rf_breathing": "yes"})  # ends at once: the result
    click(at, "nav.restart")
    assert kept.count() == 0
    assert param(at, "resume") is None
    again = AppTest.from_file(APP, default_timeout=30)
    again.query_params["resume"] = str(old)
    again.run()
    assert again.session_state["screen"] == "welcome"


def test_a_sent_request_deletes_the_place_and_no_detail_is_ever_kept(
    kept: ResumeStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    at = consult(open_app())
    resume_id = str(param(at, "resume"))
    assert kept.count() == 1
    # A refused Send: what was typed stays in the form, and nothing of it in the place.
    fill_form(at, name="Ana Díaz", phone="12", consent=True)
    assert at.text_input(key="contact.name").value == "Ana Díaz"
    assert at.text_input(key="contact.phone").value == "12"
    [state] = kept.states()
    assert "Ana" not in state and '"12"' not in state
    fill_form(at, phone="806-555-0142")
    assert at.session_state["contact.done"] is not None
    assert kept.count() == 0
    click(at, "nav.back")  # still in the app, but the finished check is kept no more
    assert kept.count() == 0
    logged = caplog.text
    assert resume_id not in logged and digest(resume_id) not in logged


def test_a_screening_kept_before_a_reload_is_not_kept_twice(kept: ResumeStore) -> None:
    at = consult(open_app())
    again = reopen(at)
    assert again.session_state["screen"] == "result"
    store = open_store(os.environ["SCREENING_DATABASE_URL"])
    try:
        assert len(store.screening_rows()) == 1
    finally:
        store.close()


def test_the_place_written_holds_the_screen_language_and_answers_only(
    kept: ResumeStore,
) -> None:
    at = to_about_you("es")
    [state] = kept.states()
    place = json.loads(state)
    assert set(place) == {"screen", "lang", "answers", "tracked"}
    assert place["screen"] == 1 and place["lang"] == "es"
    assert place["answers"] == {**FIRST, "hx_age": "18_39", "hx_palsy": "yes"}
    counted = ("started", "step_reached", "step_done", "result_shown")
    assert all(t[0] in counted for t in place["tracked"])
    assert at.session_state["resume.id"] == param(at, "resume")


def test_a_server_stopped_right_after_a_change_writes_it_first(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """A deploy's SIGTERM a moment after a tap: the change still waiting in the writer is
    written before the process ends (web/site/shutdown.py; uvicorn skips atexit)."""
    url = f"sqlite:///{tmp_path / 'stopped.db'}"
    server = start_server(tmp_path / "server.log", {"SCREENING_DATABASE_URL": url})
    try:
        with session(server.base) as tab:
            tab.press("nav.start")
            no = questionnaire.question("rf_stroke_signs").option_ids.index("no")
            tab.choose("q.rf_stroke_signs", no)
            tab.run()
            server.stop()
    finally:
        server.stop()
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            [state] = conn.execute(sa.select(resume_points.c.state)).scalars()
    finally:
        store.close()
    assert json.loads(state)["answers"] == {"rf_stroke_signs": "no"}


def test_back_over_a_language_switch_switches_back_and_keeps_the_answers() -> None:
    at = to_about_you()
    at.radio(key="ui.lang").set_value("es").run()
    assert progress_line(at).startswith("Paso 2")
    at.query_params["lang"] = "en"  # the browser's Back: the entry before the switch
    at.run()
    assert not at.exception
    assert progress_line(at).startswith("Step 2")
    assert at.radio(key="ui.lang").value == "en"
    assert at.radio(key="q.hx_age").value == "18_39"
    assert at.radio(key="q.hx_palsy").value == "yes"
    at.query_params["lang"] = "es"  # and Forward
    at.run()
    assert progress_line(at).startswith("Paso 2")
    assert at.radio(key="q.hx_palsy").value == "yes"
