"""What keeping everyone's place in the check costs (web/selfcheck/resume.py), at 200 people.

Two parts, each printed as figures (and, with --json, as one JSON object):

1. The database alone: 200 people each change their place as often as a whole check does (one
   write per answer or screen, about 30), interleaved as in a crowd, through
   screening/records/storage/resume.py on SQLite (a file, the app's settings) and, given
   --postgres URL, on PostgreSQL. Time per write and per read, the rows and their size, the
   table's size on disk, and what a purge of all of them takes.
2. The real app: a server as `make run` serves it (asgi.py) on a fresh SQLite file; 200 people
   open it, press Start and answer the first step, and stay connected (bench/load.py's hold).
   Its memory idle and with everyone connected, the places in the database, and what the place
   adds to each session's memory (the last written state kept to write only changes; measured
   with tracemalloc on the states the server wrote). Then 200 people through the whole check
   for --seconds, as `make bench` runs them: interactions per second and their times.

`python -m bench.resume [--people 200] [--seconds 20] [--postgres URL] [--json]`: about a
minute, not part of `make bench` (which takes 15).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from screening.records.storage import Lifetime, ResumeStore, open_store
from screening.records.storage.resume import encode, new_id
from screening.records.storage.schema import resume_points

from . import load
from .mix import plan
from .servers import Server

WRITES_PER_PERSON = 30  # a check's answers and screens: about 30 taps


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _states(people: int, rng: random.Random) -> list[list[dict[str, Any]]]:
    """Each person's places, one after each change: answers from the benchmark's mix."""
    everyone = []
    for _ in range(people):
        answers = list(plan(rng).answers.items())
        places = []
        for n in range(1, WRITES_PER_PERSON + 1):
            given = dict(answers[: min(n, len(answers))])
            places.append(
                {
                    "screen": min(n // 5, 8),
                    "lang": "en",
                    "answers": given,
                    "tracked": [["step_reached", None, f"s{i}"] for i in range(n // 5)],
                }
            )
        everyone.append(places)
    return everyone


def _table_bytes(points: ResumeStore) -> int | None:
    with points.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            query = sa.text("SELECT pg_total_relation_size('resume_points')")
            return int(conn.execute(query).scalar_one())
        try:
            query = sa.text(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN "
                "('resume_points', 'resume_points_touched', 'resume_points_created', "
                "'sqlite_autoindex_resume_points_1')"
            )
            return int(conn.execute(query).scalar_one() or 0)
        except sa.exc.OperationalError:  # SQLite built without dbstat
            return None


def database_cost(url: str, people: int) -> dict[str, Any]:
    store = open_store(url)
    points = ResumeStore(store.engine, Lifetime())
    try:
        rng = random.Random("resume")
        everyone = _states(people, rng)
        ids = [new_id() for _ in range(people)]
        writes: list[float] = []
        now = time.time()
        for n in range(WRITES_PER_PERSON):  # a crowd: everyone's first change, then second...
            for person in range(people):
                began = time.perf_counter()
                points.save(ids[person], everyone[person][n], now + n)
                writes.append(time.perf_counter() - began)
        # As the app writes them: the newest change of everyone who changed in the last quarter
        # second, in one transaction (screening/records/storage/resume.py, PlaceWriter).
        batches: list[float] = []
        for n in range(WRITES_PER_PERSON):
            changes = [(ids[p], encode(everyone[p][n])) for p in range(people)]
            began = time.perf_counter()
            points.apply(changes, now + WRITES_PER_PERSON + n)
            batches.append(time.perf_counter() - began)
        reads: list[float] = []
        for rid in ids:
            began = time.perf_counter()
            assert points.load(rid, now + WRITES_PER_PERSON) is not None
            reads.append(time.perf_counter() - began)
        with store.engine.connect() as conn:
            sizes = [len(s) for s in conn.execute(sa.select(resume_points.c.state)).scalars()]
        table = _table_bytes(points)
        began = time.perf_counter()
        purged = points.purge(now + 10 * 60 * 60)
        purge_s = time.perf_counter() - began
    finally:
        store.close()
    return {
        "database": store.engine.dialect.name,
        "people": people,
        "writes": len(writes),
        "write_p50_ms": _ms(writes, 0.5),
        "write_p95_ms": _ms(writes, 0.95),
        "writes_per_s_one_thread": round(len(writes) / sum(writes), 1),
        "batch_of_everyone_p50_ms": _ms(batches, 0.5),
        "batch_of_everyone_p95_ms": _ms(batches, 0.95),
        "batched_changes_per_s": round(people * len(batches) / sum(batches), 1),
        "read_p50_ms": _ms(reads, 0.5),
        "rows": len(sizes),
        "state_bytes_mean": round(statistics.fmean(sizes)),
        "state_bytes_max": max(sizes),
        "table_bytes": table,
        "table_kb_per_person": round(table / people / 1024, 2) if table else None,
        "purge_all_ms": round(1000 * purge_s, 1),
        "purged": purged,
    }


def session_bytes(states: list[str]) -> float:
    """Python memory of the kept states as the sessions hold them (dicts from JSON)."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = [json.loads(s) for s in states]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held
    return (after - before) / len(states)


async def server_cost(people: int, work: Path, seconds: float) -> dict[str, Any]:
    url = f"sqlite:///{work / 'app.db'}"
    server = Server("asgi.py", env={"SCREENING_DATABASE_URL": url}, log=work / "server.log")
    server.start()
    try:
        await load.warm(server.base)
        await asyncio.sleep(2)
        idle = server.rss_mb()
        visits = await load.hold(server.base, people)
        await asyncio.sleep(1)
        held = server.rss_mb()
        store = open_store(url)
        try:
            with store.engine.connect() as conn:
                states = list(conn.execute(sa.select(resume_points.c.state)).scalars())
        finally:
            store.close()
        await asyncio.gather(*(v.close() for v in visits))
        # Then people going through the whole check as in `make bench` (think 0.3 s).
        tally = await load.run(server.base, people, seconds, think=0.3) if seconds else None
    finally:
        server.stop()
    per_state = session_bytes(states)
    return {
        "people": people,
        "connected": len(visits),
        "rss_idle_mb": round(idle, 1),
        "rss_connected_mb": round(held, 1),
        "rss_per_session_mb": round((held - idle) / max(1, len(visits)), 3),
        "places_in_database": len(states),
        "place_in_session_bytes": round(per_state),
        "places_in_sessions_mb": round(per_state * len(visits) / 2**20, 3),
        "load": None if tally is None else tally.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure too (an empty database)")
    parser.add_argument("--no-server", action="store_true", help="the database part only")
    parser.add_argument("--seconds", type=float, default=20, help="the load round (0: none)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-resume-") as folder:
        work = Path(folder)
        found: dict[str, Any] = {
            "database": [database_cost(f"sqlite:///{work / 'r.db'}", args.people)]
        }
        if args.postgres:
            found["database"].append(database_cost(args.postgres, args.people))
        if not args.no_server:
            found["server"] = asyncio.run(server_cost(args.people, work, args.seconds))
    if args.json:
        print(json.dumps(found, indent=2))
        return
    for row in found["database"]:
        print(
            f"{row['database']}: {row['people']} people, {row['writes']} writes: "
            f"p50 {row['write_p50_ms']} ms, p95 {row['write_p95_ms']} ms "
            f"({row['writes_per_s_one_thread']}/s on one thread); everyone's change in one "
            f"transaction: p50 {row['batch_of_everyone_p50_ms']} ms, p95 "
            f"{row['batch_of_everyone_p95_ms']} ms ({row['batched_changes_per_s']} changes/s); "
            f"read p50 {row['read_p50_ms']} ms; "
            f"{row['rows']} rows, state {row['state_bytes_mean']} B mean ({row['state_bytes_max']} "
            f"max), table {row['table_bytes']} B ({row['table_kb_per_person']} KB a person); "
            f"purging all {row['purge_all_ms']} ms"
        )
    if "server" in found:
        s = found["server"]
        print(
            f"app: {s['connected']} people connected: RSS {s['rss_idle_mb']} MB idle, "
            f"{s['rss_connected_mb']} MB connected ({s['rss_per_session_mb']} MB a session, all of "
            f"it); {s['places_in_database']} places in the database; a place held in a session "
            f"{s['place_in_session_bytes']} B ({s['places_in_sessions_mb']} MB for everyone)"
        )
        if s["load"]:
            t = s["load"]
            print(
                f"load: {args.people} people for {t['seconds']} s: {t['interactions_per_s']} "
                f"interactions/s, p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms, "
                f"{t['errors']} errors"
            )


if __name__ == "__main__":
    main()
