"""Simulated people: each opens the app from a campaign link, answers every step it is shown with
answers from the seeded mix, pauses a think time between taps, and ends on the result. N people
at once, each starting again as a new person after a result, until the time is up.

`python -m bench.load --url http://127.0.0.1:8501 --users 2 --seconds 10` runs it alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .client import Drawn, ProtocolError, Visit
from .mix import Answer, Plan, interactions_needed, plan

__all__ = ["Answer", "Tally", "hold", "label", "run", "screening", "walk", "warm"]
from .shape import items

MAX_INTERACTIONS = 80  # a screening takes about 30; more means the client is stuck
ITEMS = items()


@dataclass
class Tally:
    """What a load run counted."""

    completed: int = 0
    errors: int = 0
    abandoned: int = 0  # still going when the time was up
    # Screenings' worth of work: each person's reruns / the reruns their answers need. A round
    # starts everyone on the first page, so in a short round only the short (emergency) paths
    # complete; counting completions alone would measure the mix, not the server.
    work: float = 0.0
    off_count: int = 0  # completed with another number of reruns than the answers need
    latencies: list[float] = field(default_factory=list)
    interactions_per_completed: list[int] = field(default_factory=list)
    results: Counter[str] = field(default_factory=Counter)
    profiles: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        return {
            "completed": self.completed,
            "errors": self.errors,
            "abandoned": self.abandoned,
            "interactions": len(lat),
            "seconds": round(self.seconds, 2),
            "screenings_per_s": round(self.work / self.seconds, 3) if self.seconds else 0.0,
            "completed_per_s": round(self.completed / self.seconds, 3) if self.seconds else 0.0,
            "reruns_off_count": self.off_count,
            "interactions_per_s": round(len(lat) / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": _ms(lat, 0.50),
            "p95_ms": _ms(lat, 0.95),
            "p99_ms": _ms(lat, 0.99),
            "mean_interactions_per_screening": round(
                statistics.fmean(self.interactions_per_completed), 1
            )
            if self.interactions_per_completed
            else None,
            "results": dict(self.results),
            "error_samples": self.error_samples,
        }


def _ms(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def label(visit: Visit, key: str, answer: str | list[str]) -> str | list[str]:
    """An answer's option id(s) -> the label(s) the widget shows, by option order."""
    options = ITEMS[key.removeprefix("q.")].options
    shown = visit.drawn.widgets[key].options
    if isinstance(answer, list):
        return [shown[options.index(a)] for a in answer]
    return shown[options.index(answer)]


async def walk(
    visit: Visit,
    answers: dict[str, Answer],
    *,
    think: float = 0.0,
    rng: random.Random | None = None,
    stop_at: float = float("inf"),
) -> Drawn | None:
    """Tap through from the first screen to the result: answer each question shown (in order)
    that `answers` has, else press Start or Next. None when the time ran out first."""
    rng = rng or random.Random(0)
    drawn = visit.drawn
    given: set[str] = set()
    for _ in range(MAX_INTERACTIONS):
        if "nav.restart" in drawn.widgets:
            if drawn.headline is None:
                raise ProtocolError("a result screen without its headline")
            return drawn
        if time.monotonic() >= stop_at:
            return None
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        keys = [k for k in drawn.widgets if k.startswith("q.") and k not in given]
        open_ = [k for k in keys if k.removeprefix("q.") in answers]
        if open_:
            key = open_[0]
            given.add(key)
            drawn = await visit.choose(key, label(visit, key, answers[key[2:]]))
        elif "nav.start" in drawn.widgets:
            drawn = await visit.click("nav.start")
        elif "nav.next" in drawn.widgets:
            drawn = await visit.click("nav.next")
        else:
            raise ProtocolError(f"nothing to do on a screen with {sorted(drawn.widgets)}")
    raise ProtocolError("no result after many interactions")


async def screening(
    base: str,
    person: Plan,
    query: str,
    *,
    think: float,
    rng: random.Random,
    stop_at: float,
    tally: Tally,
    fetch_page: bool = False,
    timeout: float = 60,
) -> None:
    """One person from the link to the result (or to the end of the time)."""
    visit: Visit | None = None
    needed = interactions_needed(person.answers)
    try:
        visit = await Visit.open(base, query, fetch_page=fetch_page, timeout=timeout)
        await visit.start()
        drawn = await walk(visit, person.answers, think=think, rng=rng, stop_at=stop_at)
        if drawn is None:
            tally.abandoned += 1
            return
        tally.completed += 1
        tally.results[(drawn.headline or "")[:40]] += 1
        tally.profiles[person.profile] += 1
        tally.interactions_per_completed.append(len(visit.latencies))
        tally.off_count += len(visit.latencies) != needed
    except Exception as exc:  # refused, timed out, closed: count it, keep the others going
        tally.error(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        if visit is not None:
            tally.latencies.extend(visit.latencies)
            tally.work += min(len(visit.latencies), needed) / needed
            await visit.close()


async def run(
    base: str,
    users: int,
    seconds: float,
    *,
    think: float = 0.5,
    seed: int = 1,
    ramp: float = 2.0,
    fetch_page: bool = False,
    timeout: float = 60,
    finish: bool = False,
) -> Tally:
    """`users` people at once for `seconds`: people finish the tap they are on, then stop (with
    `finish`, the screening they are on)."""
    tally = Tally()
    began = time.monotonic()
    stop_at = began + seconds

    async def person_slot(slot: int) -> None:
        rng = random.Random(f"{seed}:{slot}")
        await asyncio.sleep(rng.uniform(0, ramp))
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            query = f"utm_source=bench&utm_medium=load&utm_campaign=c{slot % 7}&lang=en"
            await screening(
                base,
                plan(rng),
                query,
                think=think,
                rng=rng,
                stop_at=float("inf") if finish else stop_at,
                tally=tally,
                fetch_page=fetch_page,
                timeout=timeout,
            )

    tasks = [asyncio.create_task(person_slot(i)) for i in range(users)]
    # Bounded: a tap in flight when the time is up gets at most `timeout` more.
    limit = seconds + ramp + timeout * (MAX_INTERACTIONS if finish else 1) + 10
    _, late = await asyncio.wait(tasks, timeout=limit)
    for task in late:
        task.cancel()
        tally.error("a person was still waiting long after the end")
    tally.seconds = time.monotonic() - began
    return tally


async def warm(base: str, count: int = 2, timeout: float = 60) -> Tally:
    """A few people one after the other without pauses: imports, caches and the database pool
    are ready before anything is measured."""
    tally = Tally()
    rng = random.Random("warm")
    for _ in range(count):
        person = plan(rng)
        query = "utm_source=bench&utm_medium=warm&lang=en"
        await screening(
            base,
            person,
            query,
            think=0,
            rng=rng,
            stop_at=float("inf"),
            tally=tally,
            timeout=timeout,
        )
    return tally


async def hold(base: str, users: int, timeout: float = 60) -> list[Visit]:
    """`users` people who started and answered the first step, and stay connected."""
    sem = asyncio.Semaphore(20)

    async def one() -> Visit:
        async with sem:
            visit = await Visit.open(base, "utm_source=bench&lang=en", timeout=timeout)
            drawn = await visit.start()
            drawn = await visit.click("nav.start")
            for key in [k for k in drawn.widgets if k.startswith("q.")]:
                await visit.choose(key, label(visit, key, "no"))
            return visit

    return list(await asyncio.gather(*(one() for _ in range(users))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--users", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fetch-page", action="store_true", help="load / first (proxy cookie)")
    args = parser.parse_args()
    tally = asyncio.run(
        run(
            args.url.rstrip("/"),
            args.users,
            args.seconds,
            think=args.think,
            seed=args.seed,
            fetch_page=args.fetch_page,
        )
    )
    print(json.dumps(tally.summary(), indent=2))


if __name__ == "__main__":
    main()
