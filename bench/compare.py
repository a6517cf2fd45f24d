"""The real app against the bare baseline, in one run: each in its own server process, rounds
alternating between them so both see the same machine.

    python bench/compare.py --users 50 --seconds 20 [--json]

For each app: completed screenings per second, p50/p95/p99 interaction latency, errors, server
RSS idle, with everyone connected, at peak and after the disconnected-session TTL, CPU seconds per
screening; then the ratios real/baseline, and whether every screening the real app completed is
in its database. Traffic goes to 127.0.0.1 only; every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/compare.py`
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.servers import Server  # noqa: E402
from bench.shape import FRAGMENTS_ENV  # noqa: E402
from screening.records.storage import open_store  # noqa: E402

# Both served the same way: an st.App whose imports are frozen out of the collector (asgi.py).
# `--unfrozen` serves both as plain scripts instead (app.py and bench/baseline_app.py).
APPS = {"real": "asgi.py", "baseline": "bench/baseline_asgi.py"}
UNFROZEN = {"real": "app.py", "baseline": "bench/baseline_app.py"}
# `--uncompressed`: also the real app without its compression layer, alternating with the others,
# so the run shows what compression costs the people already connected (real/uncompressed).
UNCOMPRESSED = "bench/uncompressed_asgi.py"


@dataclass
class Measured:
    """Everything one app's server showed over the run."""

    server: Server
    tally: load.Tally = field(default_factory=load.Tally)
    rss_idle: float = 0.0
    rss_hold: float = 0.0
    rss_peak: float = 0.0
    rss_after: float = 0.0
    held: int = 0
    cpu: float = 0.0

    def summary(self) -> dict[str, Any]:
        out = self.tally.summary()
        out.update(
            rss_idle_mb=round(self.rss_idle, 1),
            rss_all_connected_mb=round(self.rss_hold, 1),
            rss_peak_mb=round(self.rss_peak, 1),
            rss_after_mb=round(self.rss_after, 1) if self.rss_after else None,
            mb_per_connected_session=round((self.rss_hold - self.rss_idle) / self.held, 3)
            if self.held
            else None,
            after_vs_idle=round(self.rss_after / self.rss_idle, 3) if self.rss_after else None,
            server_cpu_s=round(self.cpu, 1),
            cpu_ms_per_interaction=round(1000 * self.cpu / len(self.tally.latencies), 1)
            if self.tally.latencies
            else None,
            cpu_s_per_screening=round(self.cpu / self.tally.completed, 3)
            if self.tally.completed
            else None,
        )
        return out


def merge(total: load.Tally, part: load.Tally) -> None:
    total.completed += part.completed
    total.errors += part.errors
    total.abandoned += part.abandoned
    total.work += part.work
    total.off_count += part.off_count
    total.latencies += part.latencies
    total.interactions_per_completed += part.interactions_per_completed
    total.results.update(part.results)
    total.profiles.update(part.profiles)
    total.error_samples += part.error_samples[: max(0, 5 - len(total.error_samples))]
    total.seconds += part.seconds


async def measured_round(m: Measured, args: argparse.Namespace, seed: int) -> None:
    peak = m.rss_peak
    running = True

    async def sample() -> None:
        nonlocal peak
        while running:
            peak = max(peak, m.server.rss_mb())
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    cpu = m.server.cpu_seconds()
    tally = await load.run(
        m.server.base, args.users, args.seconds, think=args.think, seed=seed, ramp=args.ramp
    )
    m.cpu += m.server.cpu_seconds() - cpu
    running = False
    await sampler
    m.rss_peak = max(peak, m.server.rss_mb())
    merge(m.tally, tally)


def count_screenings(url: str) -> int:
    store = open_store(url)
    try:
        return len(store.screening_rows())
    finally:
        store.close()


async def compare(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    options = dict(o.split("=", 1) for o in args.option)
    options.setdefault("server.disconnectedSessionTTL", str(args.ttl))
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    scripts = dict(UNFROZEN if args.unfrozen else APPS)
    if args.uncompressed:
        scripts["uncompressed"] = UNCOMPRESSED
    apps = {
        name: Measured(
            Server(
                script,
                options=options,
                env=_env(name, url, work, args),
                log=work / f"{name}.log",
            )
        )
        for name, script in scripts.items()
    }
    try:
        for m in apps.values():
            m.server.start()
            await load.warm(m.server.base)
        await asyncio.sleep(2)
        for m in apps.values():
            m.rss_idle = m.server.rss_mb()
        # Everyone connected at once, part-way through: what one connected session costs.
        for m in apps.values():
            visits = await load.hold(m.server.base, args.users)
            await asyncio.sleep(1)
            m.rss_hold, m.held = m.server.rss_mb(), len(visits)
            await asyncio.gather(*(v.close() for v in visits))
        before = count_screenings(url)
        machine_before = machine_jiffies()
        client_cpu = time.process_time()
        for r in range(args.rounds):
            order = list(apps.values()) if r % 2 == 0 else list(apps.values())[::-1]
            for m in order:
                await measured_round(m, args, seed=args.seed + r)
                await asyncio.sleep(1)
        client_cpu = time.process_time() - client_cpu
        machine_after = machine_jiffies()
        kept = count_screenings(url) - before
        if args.ttl_wait:
            # Disconnected sessions are dropped lazily once their TTL has passed: wait, then one
            # more visit makes the server look; give the allocator a moment.
            await asyncio.sleep(args.ttl + 5)
            for m in apps.values():
                await load.warm(m.server.base, 1)
            await asyncio.sleep(3)
            for m in apps.values():
                m.rss_after = m.server.rss_mb()
    finally:
        for m in apps.values():
            m.server.stop()
    real, base = apps["real"].summary(), apps["baseline"].summary()
    measured_seconds = sum(m.tally.seconds for m in apps.values())
    extra: dict[str, Any] = {}
    if "uncompressed" in apps:
        plain = apps["uncompressed"].summary()
        extra = {
            "uncompressed": plain,
            "compression_p95_ratio": _ratio(real["p95_ms"], plain["p95_ms"]),
            "compression_throughput_ratio": _ratio(
                real["screenings_per_s"], plain["screenings_per_s"]
            ),
        }
    return {
        "users": args.users,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "think_s": args.think,
        "options": options,
        "served": "scripts, not frozen" if args.unfrozen else "st.App, gc.freeze",
        "baseline_fragments": args.baseline_fragments,
        "database": url.split(":", 1)[0],
        "real": real,
        "baseline": base,
        "p95_ratio": _ratio(real["p95_ms"], base["p95_ms"]),
        "p50_ratio": _ratio(real["p50_ms"], base["p50_ms"]),
        "throughput_ratio": _ratio(real["screenings_per_s"], base["screenings_per_s"]),
        "errors": real["errors"] + base["errors"],
        "completed": real["completed"],
        "kept_in_database": kept,
        "all_kept": kept == real["completed"],
        "client_cpu_share": round(client_cpu / measured_seconds, 2) if measured_seconds else None,
        "machine_busy": _busy(machine_before, machine_after),
        **extra,
    }


def _env(name: str, url: str, work: Path, args: argparse.Namespace) -> dict[str, str]:
    """The real app writes to the run's database; the uncompressed one to its own (the count of
    screenings kept is the real app's); the baseline keeps nothing."""
    if name == "real":
        return {"SCREENING_DATABASE_URL": url}
    if name == "uncompressed":
        return {"SCREENING_DATABASE_URL": f"sqlite:///{work / 'uncompressed.db'}"}
    return {FRAGMENTS_ENV: "1" if args.baseline_fragments else ""}


def machine_jiffies() -> tuple[int, int]:
    """(all, idle) jiffies of the whole machine, whoever uses it."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values), values[3] + values[4]


def _busy(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    all_, idle = after[0] - before[0], after[1] - before[1]
    return round(1 - idle / all_, 2) if all_ else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def print_table(result: dict[str, Any]) -> None:
    rows = [
        ("completed screenings", "completed"),
        ("screenings per second", "screenings_per_s"),
        ("completed per second", "completed_per_s"),
        ("interactions per second", "interactions_per_s"),
        ("p50 interaction (ms)", "p50_ms"),
        ("p95 interaction (ms)", "p95_ms"),
        ("p99 interaction (ms)", "p99_ms"),
        ("errors", "errors"),
        ("abandoned at the end", "abandoned"),
        ("RSS idle (MB)", "rss_idle_mb"),
        ("RSS all connected (MB)", "rss_all_connected_mb"),
        ("MB per connected session", "mb_per_connected_session"),
        ("RSS peak (MB)", "rss_peak_mb"),
        ("RSS after TTL (MB)", "rss_after_mb"),
        ("server CPU ms per interaction", "cpu_ms_per_interaction"),
    ]
    print(
        f"{result['users']} people, {result['rounds']} x {result['seconds']} s each, "
        f"think {result['think_s']} s, options {result['options']}"
    )
    names = [n for n in ("real", "baseline", "uncompressed") if n in result]
    print(f"{'':32}" + "".join(f"{n:>14}" for n in names))
    for title, key in rows:
        print(f"{title:32}" + "".join(f"{result[n][key]!s:>14}" for n in names))
    print(
        f"ratios real/baseline: p95 {result['p95_ratio']}, p50 {result['p50_ratio']}, "
        f"throughput {result['throughput_ratio']}"
    )
    if "uncompressed" in result:
        print(
            f"ratios real/uncompressed: p95 {result['compression_p95_ratio']}, "
            f"throughput {result['compression_throughput_ratio']}"
        )
    print(f"kept in the database: {result['kept_in_database']} of {result['completed']}")
    for name in names:
        for sample in result[name]["error_samples"]:
            print(f"{name} error: {sample}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10, help="people at once")
    parser.add_argument("--seconds", type=float, default=20, help="length of one round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per app, alternating")
    parser.add_argument("--think", type=float, default=0.3, help="mean pause between taps (s)")
    parser.add_argument("--ramp", type=float, default=2.0, help="people arrive over this (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ttl", type=int, default=30, help="server.disconnectedSessionTTL (s)")
    parser.add_argument(
        "--no-ttl-wait",
        dest="ttl_wait",
        action="store_false",
        help="skip the memory figure after the TTL",
    )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit option for both servers, e.g. runner.postScriptGC=false",
    )
    parser.add_argument(
        "--unfrozen",
        action="store_true",
        help="serve app.py and bench/baseline_app.py as plain scripts (no gc.freeze)",
    )
    parser.add_argument(
        "--baseline-fragments",
        action="store_true",
        help="draw each of the baseline's questions in an st.fragment, as the real app does",
    )
    parser.add_argument(
        "--uncompressed",
        action="store_true",
        help="also serve the real app without compression (what compression costs)",
    )
    parser.add_argument("--database-url", help="the real app's database (default: a new SQLite)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        result = asyncio.run(compare(args, Path(tmp)))
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return result


if __name__ == "__main__":
    main()
