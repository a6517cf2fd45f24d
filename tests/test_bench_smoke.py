"""The load benchmark's tools (bench/): the baseline's shape still matches the questionnaire,
and the browserless client takes two people through the real app and the baseline."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

import pytest

from bench import load
from bench.client import Visit
from bench.mix import interactions_needed, plan
from bench.servers import Server
from bench.shape import FRAGMENTS_ENV, STEPS, STOP_AFTER_STEP, STOP_NOW, items
from screening import rules
from screening.loader import load_questionnaire
from screening.storage import open_store


def test_shape_matches_questions_yaml() -> None:
    q = load_questionnaire()
    assert [step for step, _ in STEPS] == [s.id for s in q.steps]
    for (_, shape), step in zip(STEPS, q.steps, strict=True):
        assert [i.id for i in shape] == [x.id for x in step.questions]
        for item, question in zip(shape, step.questions, strict=True):
            assert item.options == tuple(question.option_ids), item.id
            assert item.multiple == question.multiple, item.id
            cond = question.show_if
            shown = None if cond is None else (cond.question, tuple(cond.is_ or ()))
            assert shown == (tuple(item.show_if) if item.show_if else None), item.id


@pytest.mark.parametrize(("qid", "value"), sorted(STOP_NOW | STOP_AFTER_STEP))
def test_stops_match_the_rules(qid: str, value: str) -> None:
    q = load_questionnaire()
    answers = {i.id: "no" for i in STEPS[0][1] if i.show_if is None}
    if items()[qid].show_if is not None:
        answers["rf_new_weakness"] = "yes"
    answers[qid] = value
    interrupts = rules.interrupting_tier(q, answers) is not None
    assert interrupts == ((qid, value) in STOP_NOW)
    assert rules.progress(q, answers).stopped_by is not None


def test_interactions_needed_counts_the_walk() -> None:
    stroke = {i.id: "no" for i in STEPS[0][1] if i.show_if is None} | {"rf_stroke_signs": "yes"}
    assert interactions_needed(stroke) == 3  # the page, Start, the first answer
    ear = dict(stroke, rf_stroke_signs="no", rf_ear_signs="yes")
    assert interactions_needed(ear) == 2 + 8 + 1  # eight safety answers, Next
    full = interactions_needed(dict(INFO))
    assert full == 2 + 8 + 1 + 4 + 1 + 4 + 1 + 3 + 1 + 3 + 1
    rng = random.Random(3)
    assert all(3 <= interactions_needed(plan(rng).answers) <= full + 1 for _ in range(200))


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    work = tmp_path_factory.mktemp("bench")
    url = f"sqlite:///{work / 'bench.db'}"
    started = {
        "real": Server("asgi.py", env={"SCREENING_DATABASE_URL": url}, log=work / "real.log"),
        "baseline": Server("bench/baseline_asgi.py", log=work / "baseline.log"),
        "baseline-fragments": Server(
            "bench/baseline_asgi.py", env={FRAGMENTS_ENV: "1"}, log=work / "fragments.log"
        ),
    }
    try:
        for server in started.values():
            server.start(wait=60)
        yield started
    finally:
        for server in started.values():
            server.stop()


@pytest.mark.parametrize("app", ["real", "baseline", "baseline-fragments"])
def test_two_people_complete_screenings(servers: dict[str, Server], app: str) -> None:
    server = servers[app]
    tally = asyncio.run(load.run(server.base, 2, 2, think=0.01, ramp=0.2, timeout=30, finish=True))
    assert tally.errors == 0, tally.error_samples
    assert tally.completed >= 1
    assert len(tally.latencies) >= 10 * tally.completed
    # Each completed person made exactly the reruns their answers need (the throughput unit).
    assert tally.off_count == 0
    if app == "real":
        url = server.env["SCREENING_DATABASE_URL"]
        store = open_store(url)
        try:
            assert len(store.screening_rows()) == tally.completed
        finally:
            store.close()


INFO = {
    **{i.id: "no" for i in STEPS[0][1] if i.show_if is None},
    **{"hx_palsy": "yes", "hx_onset": "1_5y", "hx_recovery": "most", "hx_side": "left"},
    **{i.id: "never" for _, step in STEPS[2:] for i in step},
}


def test_the_summary_pdf_downloads_from_the_session_that_made_it(
    servers: dict[str, Server],
) -> None:
    async def visit() -> tuple[int, bytes]:
        client = await Visit.open(servers["real"].base, "lang=en", timeout=30)
        try:
            await client.start()
            drawn = await load.walk(client, dict(INFO))
            assert drawn is not None and drawn.headline == "Few linked movements today"
            return await client.download("result.pdf")
        finally:
            await client.close()

    status, body = asyncio.run(visit())
    assert status == 200
    assert body.startswith(b"%PDF")


def test_an_answer_redraws_only_its_question_unless_it_changes_the_page(
    servers: dict[str, Server],
) -> None:
    """What the browser sees on the wire: a tap on an answer reruns only that question's box,
    and the whole step comes back when the answer shows other questions or ends the check."""

    async def visit() -> None:
        client = await Visit.open(servers["real"].base, "lang=en", timeout=30)
        try:
            await client.start()
            step = await client.click("nav.start")
            assert step.widgets["q.rf_stroke_signs"].fragment  # drawn inside a fragment
            whole = step.sent
            tapped = await client.choose("q.rf_stroke_signs", "No")
            assert 0 < tapped.sent <= 3 < whole  # the box's text and its answers only
            assert "nav.next" in tapped.widgets  # the rest of the step is still on the screen
            for qid in [i.id for i in STEPS[0][1] if i.show_if is None][1:]:
                await client.choose(f"q.{qid}", "No")
            history = await client.click("nav.next")
            assert "q.hx_onset" not in history.widgets
            shown = await client.choose("q.hx_palsy", "Yes")
            assert {"q.hx_onset", "q.hx_recovery", "q.hx_side"} <= set(shown.widgets)
            assert shown.sent >= whole // 2  # the step, drawn again with its new questions

            again = await Visit.open(servers["real"].base, "lang=en", timeout=30)
            try:
                await again.start()
                await again.click("nav.start")
                stop = await again.choose("q.rf_stroke_signs", "Yes")
                assert stop.headline == "Call 911 now"
            finally:
                await again.close()
        finally:
            await client.close()

    asyncio.run(visit())
