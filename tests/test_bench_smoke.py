"""The load benchmark's tools (bench/): the baseline's shape still matches the questionnaire,
and the browserless client takes two people through the real app and the baseline."""

from __future__ import annotations

import asyncio
import random
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from core_spec import build

from bench import load
from bench import resume as resume_bench
from bench.client import Visit
from bench.cluster_check import INFO
from bench.mix import interactions_needed, plan, steps_walked
from bench.servers import Server
from bench.shape import FRAGMENTS_ENV, STEPS, STOP_AFTER_STEP, STOP_NOW, items
from screening.questionnaire import rules
from screening.questionnaire.loader import load_questionnaire
from screening.records.storage import open_store


def _shown(cond: object) -> tuple[str, tuple[str, ...]] | None:
    if cond is None:
        return None
    assert getattr(cond, "question", None) is not None  # one question, "is": what shape holds
    return (cond.question, tuple(cond.is_ or ()))  # type: ignore[attr-defined]


def test_shape_matches_questions_yaml() -> None:
    q = load_questionnaire()
    assert [page.id for page in STEPS] == [s.id for s in q.steps]
    for page, step in zip(STEPS, q.steps, strict=True):
        shape = page.items
        assert _shown(step.show_if) == (tuple(page.show_if) if page.show_if else None), step.id
        assert [i.id for i in shape] == [x.id for x in step.questions]
        for item, question in zip(shape, step.questions, strict=True):
            assert item.options == tuple(question.option_ids), item.id
            assert item.multiple == question.multiple, item.id
            assert _shown(question.show_if) == (
                tuple(item.show_if) if item.show_if else None
            ), item.id


# A palsy 3 weeks to 3 months old, seen by a doctor: every step but no_palsy is shown.
WEEKS_OLD = build(hx_onset="3w_3m")


@pytest.mark.parametrize(("qid", "value"), sorted(STOP_NOW | STOP_AFTER_STEP))
def test_stops_match_the_rules(qid: str, value: str) -> None:
    q = load_questionnaire()
    answers = dict(WEEKS_OLD)
    if items()[qid].show_if is not None:
        answers["rf_new_weakness"] = "yes"
    answers[qid] = value
    interrupts = rules.interrupting_tier(q, rules.effective_answers(q, answers)) is not None
    assert interrupts == ((qid, value) in STOP_NOW)
    stopped = rules.progress(q, answers)
    assert stopped.stopped_by is not None
    assert stopped.steps_reached[-1] == q.step_of(qid).id  # it ends on the step that asks it


def test_every_single_answer_that_ends_the_check_is_in_the_table() -> None:
    q = load_questionnaire()
    for item in items().values():
        for value in item.options:
            answers = dict(WEEKS_OLD)
            if item.show_if is not None:
                answers[item.show_if.question] = item.show_if.values[0]
            answers[item.id] = [value] if item.multiple else value
            if rules.progress(q, answers).stopped_by is not None:
                assert (item.id, value) in STOP_NOW | STOP_AFTER_STEP, (item.id, value)


def test_interactions_needed_counts_the_walk() -> None:
    stroke = dict(INFO, rf_stroke_signs="now")
    assert interactions_needed(stroke) == 3  # the page, Start, the first answer
    unchecked = dict(INFO, rf_new_weakness="yes", rf_new_weakness_checked="no")
    assert interactions_needed(unchecked) == 2 + 3  # stroke, weakness, checked: stops at once
    ear = dict(INFO, hx_onset="3w_3m", rf_ear_signs="yes")
    # emergency: 3 answers, Next; about you: 4, Next; recent: 6, Next (urgent: ends there)
    assert interactions_needed(ear) == 2 + 3 + 1 + 4 + 1 + 6 + 1
    no_palsy = dict(INFO, hx_palsy="no", nh_twitching="no")
    # emergency 3, about you 2 (age, palsy), safety 6, no_palsy 1, each with its Next
    assert interactions_needed(no_palsy) == 2 + 3 + 1 + 2 + 1 + 6 + 1 + 1 + 1
    recent = dict(INFO, hx_onset="lt_3w")  # recent, safety, history; no movement steps
    assert interactions_needed(recent) == 2 + 3 + 1 + 4 + 1 + 6 + 1 + 6 + 1 + 3 + 1
    full = interactions_needed(dict(INFO))
    # emergency 3, about you 4, safety 6, history 3 (no treatment), movements 5, 4 and 3
    assert full == 2 + 3 + 1 + 4 + 1 + 6 + 1 + 3 + 1 + 5 + 1 + 4 + 1 + 3 + 1
    most = full + 6 + 1 + 1  # the recent-palsy step and a treatment answer as well
    rng = random.Random(3)
    assert all(3 <= interactions_needed(plan(rng).answers) <= most for _ in range(200))


def test_the_mix_walks_the_steps_the_rules_show() -> None:
    # The walk the load client and the baseline make for each simulated person goes through
    # the steps the real questionnaire shows that person, and stops where it stops.
    q = load_questionnaire()
    rng = random.Random(11)
    tiers = set()
    for _ in range(300):
        person = plan(rng)
        walked = steps_walked(person.answers)
        real = rules.progress(q, person.answers)
        assert real.complete, person
        assert tuple(step for step, _, _ in walked) == real.steps_reached, person
        assert (walked[-1][2] is not None) is (real.stopped_by is not None), person
        tiers.add(rules.evaluate(q, person.answers).tier)
    assert tiers == {"emergency", "urgent", "soon", "consult", "info"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    work = tmp_path_factory.mktemp("bench")
    url = f"sqlite:///{work / 'bench.db'}"
    started = {
        "real": Server("asgi.py", env={"SCREENING_DATABASE_URL": url}, log=work / "real.log"),
        "baseline": Server("bench/baseline_asgi.py", log=work / "baseline.log"),
        "uncompressed": Server(
            "bench/uncompressed_asgi.py",
            env={"SCREENING_DATABASE_URL": f"sqlite:///{work / 'uncompressed.db'}"},
            log=work / "uncompressed.log",
        ),
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


@pytest.mark.parametrize("app", ["real", "baseline", "baseline-fragments", "uncompressed"])
def test_two_people_complete_screenings(servers: dict[str, Server], app: str) -> None:
    server = servers[app]
    tally = asyncio.run(load.run(server.base, 2, 2, think=0.01, ramp=0.2, timeout=30, finish=True))
    assert tally.errors == 0, tally.error_samples
    assert tally.completed >= 1
    assert len(tally.latencies) >= 10 * tally.completed
    # Each completed person made exactly the reruns their answers need (the throughput unit).
    assert tally.off_count == 0
    if app in ("real", "uncompressed"):
        url = server.env["SCREENING_DATABASE_URL"]
        store = open_store(url)
        try:
            assert len(store.screening_rows()) == tally.completed
        finally:
            store.close()


def test_the_uncompressed_server_differs_from_the_real_one_only_in_compression(
    servers: dict[str, Server],
) -> None:
    """What `compare.py --uncompressed` measures against: the same page, sent as it is."""
    pages = {}
    for app in ("real", "uncompressed"):
        request = urllib.request.Request(
            servers[app].base + "/?lang=es", headers={"Accept-Encoding": "br, gzip"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding")
        pages[app] = brotli.decompress(body) if encoding == "br" else body
        assert (encoding == "br") is (app == "real"), (app, encoding)
    # The page's first words (the shell) and its tags are there in both.
    for page in pages.values():
        assert b"911" in page and b'lang="es"' in page


def test_the_summary_pdf_downloads_from_the_session_that_made_it(
    servers: dict[str, Server],
) -> None:
    async def visit() -> tuple[int, bytes]:
        client = await Visit.open(servers["real"].base, "lang=en", timeout=30)
        try:
            await client.start()
            drawn = await load.walk(client, dict(INFO))
            info = load_questionnaire().tier("info").headline.en
            assert drawn is not None and drawn.headline == info
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
            for qid in [i.id for i in STEPS[0].items if i.show_if is None][1:]:
                await client.choose(f"q.{qid}", "No")
            about = await client.click("nav.next")
            assert {"q.hx_age", "q.hx_palsy"} <= set(about.widgets)
            assert "q.hx_onset" not in about.widgets
            await client.choose("q.hx_age", "40 to 64")
            shown = await client.choose("q.hx_palsy", "Yes")
            assert {"q.hx_onset", "q.hx_seen_doctor"} <= set(shown.widgets)
            assert shown.sent >= about.sent // 2  # the step, drawn again with its new questions

            again = await Visit.open(servers["real"].base, "lang=en", timeout=30)
            try:
                await again.start()
                await again.click("nav.start")
                stop = await again.choose("q.rf_stroke_signs", "Yes, right now")
                assert stop.headline == "Call 911 now"
            finally:
                await again.close()
        finally:
            await client.close()

    asyncio.run(visit())


def test_the_resume_benchmark_measures_the_database(tmp_path: Path) -> None:
    """bench/resume.py's database part, with three people: every place written, read, purged."""
    found = resume_bench.database_cost(f"sqlite:///{tmp_path / 'r.db'}", 3)
    assert found["rows"] == 3 and found["purged"] == 3
    assert found["writes"] == 3 * resume_bench.WRITES_PER_PERSON
    assert found["state_bytes_mean"] > 100  # the answers are in each place
