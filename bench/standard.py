"""`make bench`: the standard set, written to bench/RESULTS.md and bench/results.json.

1. the real app against the bare baseline (bench/compare.py) at 10, 50 and 200 people, with the
   served settings (.streamlit/config.toml), memory measured after the disconnected-session TTL;
2. the same at 50 people with runner.postScriptGC flipped, to show what that choice costs; with
   the file watcher on (server.fileWatcherType=auto); with both apps served as plain scripts
   (no gc.freeze), to show what freezing the imported objects buys; and against a baseline that
   also draws each question in an st.fragment, to show what our own code costs per run;
3. with --cluster (the default when nginx is installed): deploy/cluster.sh starts two replicas,
   nginx and PostgreSQL; bench/cluster_check.py measures through nginx; the cluster is stopped.

The figures part of RESULTS.md is rewritten; the notes below its marker are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/standard.py`
    sys.path.insert(0, str(ROOT))

from bench import cluster_check, compare  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
RAW = ROOT / "bench" / "results.json"
MARKER = "<!-- notes: everything below is kept when `make bench` rewrites the figures -->"
# The targets, the one place verdicts() reads them from.
TARGETS = {
    "p95_ratio_50": 1.3,
    "throughput_ratio_50": 0.8,
    "mb_per_session": 0.5,
    "after_vs_idle": 1.2,
    "cluster_throughput": 1.6,
}


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    import streamlit

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": os_name,
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def served_gc() -> bool:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return bool(config.get("runner", {}).get("postScriptGC", True))


def run_compare(users: int, seconds: float, extra: list[str]) -> dict[str, Any]:
    print(f"compare: {users} people, {seconds} s rounds {' '.join(extra)}", flush=True)
    argv = ["--users", str(users), "--seconds", str(seconds), "--json", *extra]
    result: dict[str, Any] = compare.main(argv)
    return result


def run_cluster(users: int, seconds: float) -> dict[str, Any] | None:
    script = str(ROOT / "deploy" / "cluster.sh")
    print("cluster: starting two replicas, nginx and PostgreSQL", flush=True)
    subprocess.run([script, "start", "2"], check=True, cwd=ROOT)
    try:
        result: dict[str, Any] = cluster_check.main(
            ["--users", str(users), "--seconds", str(seconds), "--json"]
        )
        return result
    finally:
        subprocess.run([script, "stop"], check=False, cwd=ROOT)


def verdicts(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue."""
    served = [r for r in data["runs"] if not _opts(r)]
    runs = {r["users"]: r for r in served}
    out: list[tuple[str, str, bool | None]] = []
    if 50 in runs:
        r = runs[50]
        out.append(
            (
                f"50 people: p95 real/baseline <= {TARGETS['p95_ratio_50']}",
                f"{r['p95_ratio']}",
                _le(r["p95_ratio"], TARGETS["p95_ratio_50"]),
            )
        )
        out.append(
            (
                f"50 people: throughput real/baseline >= {TARGETS['throughput_ratio_50']}",
                f"{r['throughput_ratio']}",
                _ge(r["throughput_ratio"], TARGETS["throughput_ratio_50"]),
            )
        )
    if 200 in runs:
        r = runs[200]
        out.append(("200 people: zero errors", f"{r['errors']}", r["errors"] == 0))
        out.append(
            (
                "200 people: every completed screening in the database",
                f"{r['kept_in_database']} of {r['completed']}",
                r["all_kept"],
            )
        )
    for r in served:
        per = r["real"]["mb_per_connected_session"]
        out.append(
            (
                f"{r['users']} people: RSS per connected session < {TARGETS['mb_per_session']} MB",
                f"{per}",
                _lt(per, TARGETS["mb_per_session"]),
            )
        )
        after = r["real"]["after_vs_idle"]
        if after is not None:
            out.append(
                (
                    f"{r['users']} people: RSS after the TTL within "
                    f"{TARGETS['after_vs_idle'] - 1:.0%} of idle",
                    f"{after}x",
                    _le(after, TARGETS["after_vs_idle"]),
                )
            )
    c = data.get("cluster")
    if c:
        s = c["stickiness"]
        out.append(("cluster: zero errors", f"{c['errors']}", c["errors"] == 0))
        out.append(
            (
                "cluster: per-session PDF download through nginx",
                f"{s['pdf_downloads_ok']} of {s['people']}",
                s["pdf_downloads_ok"] == s["people"],
            )
        )
        out.append(
            (
                f"cluster: throughput two replicas / one >= {TARGETS['cluster_throughput']}",
                f"{c['throughput_ratio']}",
                _ge(c["throughput_ratio"], TARGETS["cluster_throughput"]),
            )
        )
    return out


def _le(a: float | None, b: float) -> bool | None:
    return None if a is None else a <= b


def _ge(a: float | None, b: float) -> bool | None:
    return None if a is None else a >= b


def _lt(a: float | None, b: float) -> bool | None:
    return None if a is None else a < b


def figures(data: dict[str, Any]) -> str:
    m = data["machine"]
    lines = [
        "# Load benchmark results",
        "",
        f"Measured {data['date']} by `make bench` ({data['minutes']} minutes).",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}, Streamlit {m['streamlit']}. Load average at start "
        f"{m['load_average_at_start']}, at end {data['load_average_at_end']}. The load client, "
        "the servers (and for the cluster nginx and PostgreSQL) share these cores.",
        "",
        "Each simulated person opens the app from a campaign link, answers every step with answers "
        "from a seeded mix (about 6% emergency stops, 6% urgent, 8% soon, the rest consult or "
        f"info), pauses {data['runs'][0]['think_s']} s on average between taps (a person would "
        "take several seconds: each simulated person is a heavy user), and ends on the result. "
        "An interaction is timed from the rerun sent to its script_finished. Real and baseline "
        "rounds alternate, each app in its own server process, same settings for both, both "
        "served as an st.App with gc.freeze() after start-up (asgi.py, bench/baseline_asgi.py) "
        "unless a row says otherwise. Screenings/s counts screenings' worth of work: each "
        "person's reruns divided by the reruns their answers need (every round starts everyone "
        "on the first page, so within a 20 s round only the short emergency paths would "
        "complete; the raw completed count is in results.json). CPU is the server process's "
        "own; machine busy is the share of all cores busy with anything, other tenants included.",
        "",
        "## Real app against the bare baseline",
        "",
    ]
    header = (
        "| people | app | screenings/s | interactions/s | p50 ms | p95 ms | p99 ms | errors "
        "| RSS idle | all connected | per session | peak | after TTL | CPU ms/interaction |"
    )
    lines += [header, "|" + "---|" * 14]
    for r in data["runs"]:
        for name in ("real", "baseline"):
            x = r[name]
            lines.append(
                f"| {r['users']}{_opts(r)} | {name} | {x['screenings_per_s']} | "
                f"{x['interactions_per_s']} | {x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} | "
                f"{x['errors']} | {x['rss_idle_mb']} | {x['rss_all_connected_mb']} | "
                f"{x['mb_per_connected_session']} | {x['rss_peak_mb']} | {x['rss_after_mb']} | "
                f"{x['cpu_ms_per_interaction']} |"
            )
    lines += [
        "",
        "| people | p95 ratio | p50 ratio | throughput ratio | completed (real) "
        "| kept in database | client CPU share | machine busy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in data["runs"]:
        lines.append(
            f"| {r['users']}{_opts(r)} | {r['p95_ratio']} | {r['p50_ratio']} | "
            f"{r['throughput_ratio']} | {r['completed']} | {r['kept_in_database']} | "
            f"{r['client_cpu_share']} | {r.get('machine_busy')} |"
        )
    c = data.get("cluster")
    if c:
        s = c["stickiness"]
        lines += [
            "",
            "## Two replicas behind nginx (deploy/cluster.sh, PostgreSQL)",
            "",
            f"{c['users']} people, {c['rounds']} rounds of {c['seconds']} s per side, alternating.",
            "",
            "| where | screenings/s | interactions/s | p50 ms | p95 ms | errors "
            "| replica cores used | replica CPU ms/interaction | machine busy |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, title in (("cluster", "nginx, 2 replicas"), ("one_replica", "1 replica, direct")):
            x = c[name]
            lines.append(
                f"| {title} | {x['screenings_per_s']} | {x['interactions_per_s']} | "
                f"{x['p50_ms']} | {x['p95_ms']} | {x['errors']} | {x.get('replica_cores_used')} | "
                f"{x.get('server_cpu_ms_per_interaction')} | {x.get('machine_busy')} |"
            )
        lines += [
            "",
            f"Throughput ratio {c['throughput_ratio']}; kept in the database "
            f"{c['kept_in_database']} (all: {c['all_kept']}). Stickiness: "
            f"{s['pdf_downloads_ok']} of {s['people']} summary PDFs downloaded through nginx "
            f"with the route cookie; the same addresses without it: {s['without_cookie_404']} "
            f"not found, {s['without_cookie_200']} found (a random replica).",
        ]
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for target, measured, met in verdicts(data):
        mark = "yes" if met else ("not measured" if met is None else "**no**")
        lines.append(f"| {target} | {measured} | {mark} |")
    lines += [
        "",
        "Commands: `make bench` (= `python bench/standard.py`); one comparison: "
        "`python bench/compare.py --users 50 --seconds 20`; the cluster: `make cluster`, "
        "`python bench/cluster_check.py`, `make cluster-stop`. Raw figures: bench/results.json.",
        "",
    ]
    return "\n".join(lines)


def _opts(r: dict[str, Any]) -> str:
    shown = [f"{k.split('.', 1)[1]}={v}" for k, v in r["options"].items() if "TTL" not in k]
    if r.get("served", "").startswith("scripts"):
        shown.append("no gc.freeze")
    if r.get("baseline_fragments"):
        shown.append("baseline with fragments too")
    return f" ({', '.join(shown)})" if shown else ""


def write(data: dict[str, Any]) -> None:
    notes = ""
    if RESULTS.exists() and MARKER in RESULTS.read_text():
        notes = RESULTS.read_text().split(MARKER, 1)[1]
    RESULTS.write_text(figures(data) + "\n" + MARKER + (notes or "\n"))
    RAW.write_text(json.dumps(data, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, nargs="*", default=[10, 50, 200])
    parser.add_argument("--cluster", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--cluster-users", type=int, default=200)
    args = parser.parse_args()
    began = time.monotonic()
    data: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "runs": [],
    }
    for users in args.users:
        data["runs"].append(run_compare(users, args.seconds, []))
    flipped = "false" if served_gc() else "true"
    for extra in (
        ["--option", f"runner.postScriptGC={flipped}"],
        ["--option", "server.fileWatcherType=auto"],
        ["--unfrozen"],
        ["--baseline-fragments"],
    ):
        data["runs"].append(run_compare(50, args.seconds, [*extra, "--no-ttl-wait"]))
    use_cluster = args.cluster if args.cluster is not None else bool(shutil.which("nginx"))
    if use_cluster:
        data["cluster"] = run_cluster(args.cluster_users, args.seconds)
    data["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    data["minutes"] = round((time.monotonic() - began) / 60, 1)
    write(data)
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
