"""The cluster that deploy/cluster.sh starts, checked and measured through nginx:

1. stickiness: people go through nginx to a result and download their summary PDF (built by the
   replica that holds their session, then served from its memory under /media/): all must work.
   The same addresses fetched without the route cookie land on a random replica and mostly fail,
   which shows it is the cookie that makes them work;
2. throughput: the same load through nginx (N replicas) and straight to one replica, alternating;
3. every screening completed through nginx is in the shared PostgreSQL database.

    python bench/cluster_check.py [--users 100] [--seconds 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/cluster_check.py`
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.client import Visit, http_get  # noqa: E402
from bench.compare import count_screenings, merge  # noqa: E402
from bench.servers import CLOCK_TICKS  # noqa: E402
from bench.shape import STEPS, movement_steps  # noqa: E402

RUN = ROOT / "build" / "cluster"

# A palsy years ago that came back fully, seen by a doctor, no warning sign, no movement.
INFO = {
    **{i.id: "no" for page in STEPS for i in page.items if i.options[:2] == ("yes", "no")},
    "rf_stroke_signs": "no",
    **{"hx_age": "40_64", "hx_palsy": "yes", "hx_onset": "1_5y", "hx_seen_doctor": "yes"},
    **{"hx_eye_closes": "yes", "hx_recovery": "full", "hx_side": "left"},
    **{i.id: "never" for page in movement_steps() for i in page.items},
}
del INFO["rf_new_weakness_checked"]  # shown only after a "yes"


async def sticky_downloads(base: str, people: int) -> dict[str, Any]:
    """Each person: result through nginx, then their PDF with and without the route cookie."""
    ok = 0
    without_cookie: list[int] = []
    cookies: set[str] = set()
    for person in range(people):
        # Answers differ from person to person, so each summary (and its address) is their own.
        answers: dict[str, load.Answer] = dict(INFO)
        for bit, item in enumerate(movement_steps()[0].items):
            answers[item.id] = "rarely" if (person + 1) >> bit & 1 else "never"
        visit = await Visit.open(base, "utm_source=cluster&lang=en", fetch_page=True, timeout=60)
        try:
            await visit.start()
            if await load.walk(visit, answers) is None:
                continue
            cookies.add(visit.cookie)
            url = await visit.file_url("result.pdf")
            status, _, body = await http_get(base + url, visit.cookie, 30)
            ok += status == 200 and body.startswith(b"%PDF")
            # The same address without the cookie: nginx picks a replica at random.
            for _ in range(4):
                status, _, _ = await http_get(base + url, "", 30)
                without_cookie.append(status)
        finally:
            await visit.close()
    return {
        "people": people,
        "pdf_downloads_ok": ok,
        "route_cookies": len(cookies),
        "without_cookie_200": without_cookie.count(200),
        "without_cookie_404": without_cookie.count(404),
    }


def replica_pids() -> list[int]:
    return [int(p.read_text()) for p in sorted(RUN.glob("replica-*.pid"))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy() -> tuple[int, int]:
    """(all, idle) jiffies of the whole machine: everything else running here counts too."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values), values[3] + values[4]


async def check(args: argparse.Namespace) -> dict[str, Any]:
    url = (RUN / "database_url").read_text().strip()
    pids = replica_pids()
    cores = os.cpu_count() or 1
    cpu = {"cluster": 0.0, "one_replica": 0.0}
    busy = {"cluster": [0, 0], "one_replica": [0, 0]}
    sticky = await sticky_downloads(args.url, args.sticky_people)
    totals = {"cluster": load.Tally(), "one_replica": load.Tally()}
    before = count_screenings(url)
    for r in range(args.rounds):
        order = ["cluster", "one_replica"] if r % 2 == 0 else ["one_replica", "cluster"]
        for name in order:
            base = args.url if name == "cluster" else args.replica
            before_cpu = sum(cpu_seconds(p) for p in pids)
            before_machine = machine_busy()
            tally = await load.run(
                base,
                args.users,
                args.seconds,
                think=args.think,
                seed=args.seed + r,
                fetch_page=name == "cluster",
            )
            cpu[name] += sum(cpu_seconds(p) for p in pids) - before_cpu
            after_machine = machine_busy()
            busy[name][0] += after_machine[0] - before_machine[0]
            busy[name][1] += after_machine[1] - before_machine[1]
            merge(totals[name], tally)
            await asyncio.sleep(2)
    kept = count_screenings(url) - before
    cluster, single = totals["cluster"].summary(), totals["one_replica"].summary()
    total_completed = cluster["completed"] + single["completed"]
    for name, summary in (("cluster", cluster), ("one_replica", single)):
        seconds, interactions = summary["seconds"], summary["interactions"]
        # Cores the replicas used, and how busy the whole machine was (all of its cores, the
        # load client, nginx, PostgreSQL and anyone else's work included).
        summary["replica_cores_used"] = round(cpu[name] / seconds, 2) if seconds else None
        summary["server_cpu_ms_per_interaction"] = (
            round(1000 * cpu[name] / interactions, 1) if interactions else None
        )
        all_, idle = busy[name]
        summary["machine_busy"] = round(1 - idle / all_, 2) if all_ else None
    return {
        "users": args.users,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "think_s": args.think,
        "stickiness": sticky,
        "cluster": cluster,
        "one_replica": single,
        "throughput_ratio": round(cluster["screenings_per_s"] / single["screenings_per_s"], 3)
        if single["screenings_per_s"]
        else None,
        "cores": cores,
        "replicas": len(pids),
        "errors": cluster["errors"] + single["errors"],
        "kept_in_database": kept,
        "all_kept": kept == total_completed,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="nginx")
    parser.add_argument("--replica", default="http://127.0.0.1:8601", help="one replica, direct")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sticky-people", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = asyncio.run(check(args))
    print(json.dumps(result, indent=None if args.json else 2))
    return result


if __name__ == "__main__":
    main()
