"""`make bench-firstload`: a first visit on a phone, this app against a bare Streamlit page.

Both are served the same way, each by its own `streamlit run` process with the project's
.streamlit/config.toml: the self-check as asgi.py (our middleware: compression, the page's
shell, robots.txt, favicon), the bare page as bench/baseline_asgi.py (Streamlit's own server,
which compresses neither its page nor its bundle; the same screens and widget keys as the
self-check, no texts, bench/baseline_app.py).

Both pages are measured two ways (`--via`, both by default, alternating in one run):
- direct: the browser talks to Streamlit's server, plain HTTP/1.1 (six connections at most);
- caddy: as the deployment serves them, behind one Caddy with deploy/single-server/Caddyfile's
  site block for each (bench/caddy.py), HTTPS on loopback, so the browser speaks HTTP/2 and
  every request shares one connection. Caddy compresses nothing itself and passes the app's
  Brotli through, so each page arrives with the bytes its server sends, as in the direct mode.

1. Time to the first question, in Debian's Chromium through Playwright with Chrome's slow-4G
   figures (562.5 ms latency, 1.6 Mbit/s down, 750 kbit/s up) and 4x CPU slowdown: from the
   address typed to the welcome screen's Start button, then to the first question after the
   tap. Three runs each, alternating. The first runs also fill the app's compressed-bundle
   memory, as any earlier visitor would.
2. Lighthouse 12.2.3 (npm, installed once with `npm i -E` into build/npm/), Debian's Chromium
   as CHROME_PATH, its default mobile preset (simulated slow 4G, 4x CPU), three runs each,
   alternating.

Medians go to bench/RESULTS.md (between the first-load markers, the rest of the file is kept)
and the raw figures to bench/firstload.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/firstload.py`
    sys.path.insert(0, str(ROOT))

from bench.caddy import caddy  # noqa: E402
from bench.servers import Server, font_subsets_made, free_port  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
NPM_CACHE = Path(os.environ.get("SCREENING_NPM_CACHE", ROOT / "build" / "npm"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
RESULTS = ROOT / "bench" / "RESULTS.md"
RAW = ROOT / "bench" / "firstload.json"
START = "<!-- first-load: written by `make bench-firstload` -->"
END = "<!-- first-load: end -->"
# Only here: Caddy's certificate comes from its internal authority, in no trust store.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--ignore-certificate-errors"]  # fmt: skip
CHROME_FLAGS = " ".join(["--headless=new", *BROWSER_ARGS])
MODES = {"direct": "direct, HTTP/1.1", "caddy": "Caddy, HTTP/2"}
PAGES = {"app": "this app", "bare": "bare Streamlit"}
# Chrome DevTools' "Slow 4G" as Lighthouse applies it with devtools throttling.
SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
    "uploadThroughput": 750 * 1024 / 8 * 0.9,
}
CPU_SLOWDOWN = 4
AUDITS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "speed_index_ms": "speed-index",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "bytes": "total-byte-weight",
}
CATEGORIES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best_practices": "best-practices",
    "seo": "seo",
}


def lighthouse_cli() -> Path:
    """The pinned Lighthouse, installed once (exact version) into the npm cache folder."""
    folder = NPM_CACHE / f"lighthouse@{LIGHTHOUSE_VERSION}"
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    manifest = folder / "node_modules" / "lighthouse" / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text())["version"] == LIGHTHOUSE_VERSION:
        return cli
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("make bench-firstload needs node and npm (apt-get install nodejs npm)")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--exact", "--prefix", str(folder), "--no-audit", "--no-fund",
         "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )  # fmt: skip
    return cli


def lighthouse(cli: Path, url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run (mobile preset, default throttling); the figures it reports."""
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run(
        ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--chrome-flags={CHROME_FLAGS}", "--max-wait-for-load=90000",
         "--only-categories=performance,accessibility,best-practices,seo"],
        check=True, env=env, timeout=600,
    )  # fmt: skip
    report = json.loads(out.read_text())
    audits = report["audits"]
    found: dict[str, Any] = {}
    for name, audit in AUDITS.items():
        found[name] = audits[audit].get("numericValue")
    requests = audits["network-requests"]["details"]["items"]
    found["requests"] = len(requests)
    found["protocol"] = protocol(r.get("protocol") for r in requests)
    for name, category in CATEGORIES.items():
        score = report["categories"][category]["score"]
        found[name] = None if score is None else round(score * 100)
    found["failed_audits"] = sorted(
        f"{category}:{ref['id']}"
        for category in CATEGORIES.values()
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        and (audits[ref["id"]].get("score") or 0) < 1
        and audits[ref["id"]].get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    )
    return found


def throttle(cdp: Any) -> None:
    """Chrome DevTools' slow 4G and a 4x CPU slowdown on a page's DevTools session."""
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def protocol(names: Any) -> str:
    """The protocols requests went over, most used first ("h2", "http/1.1 + h2")."""
    counts: dict[str, int] = {}
    for name in names:
        if name:
            counts[name] = counts.get(name, 0) + 1
    return " + ".join(sorted(counts, key=lambda n: -counts[n])) or "-"


def first_question(url: str) -> dict[str, Any]:
    """Seconds to the welcome screen's Start button and to the first question after the tap,
    on the emulated slow connection and CPU."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        throttle(context.new_cdp_session(page))
        page.set_default_timeout(180_000)
        began = time.monotonic()
        page.goto(url, wait_until="commit")
        start = page.locator(".st-key-nav-start button")
        start.wait_for(state="visible")
        welcome = time.monotonic() - began
        # The browser's own first contentful paint on the emulated line (real, not simulated).
        paint = page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
        )
        start.tap()
        page.locator("[data-testid=stRadio]").first.wait_for(state="visible")
        question = time.monotonic() - began
        # What the page and its scripts went over (HTTP/2 is "h2").
        hops = page.evaluate(
            "[performance.getEntriesByType('navigation')[0].nextHopProtocol,"
            " ...performance.getEntriesByType('resource').map(e => e.nextHopProtocol)]"
        )
        browser.close()
    return {
        "fcp_emulated_s": None if paint is None else round(paint / 1000, 2),
        "welcome_s": round(welcome, 2),
        "first_question_s": round(question, 2),
        "browser_protocol": protocol(hops),
    }


def median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 3)


def goals(app: dict[str, Any], bare: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(goal, measured, met) for issue 17's goals."""
    rows: list[tuple[str, str, bool]] = []

    def add(goal: str, value: float | None, ok: bool, shown: str | None = None) -> None:
        rows.append((goal, shown if shown is not None else str(value), ok))

    r = ratio(app["bytes"], bare["bytes"])
    add("bytes <= 0.45x bare", r, r is not None and r <= 0.45, f"{r}x")
    r = ratio(app["fcp_ms"], bare["fcp_ms"])
    add("FCP <= 0.4x bare", r, r is not None and r <= 0.4, f"{r}x")
    r = ratio(app["lcp_ms"], bare["lcp_ms"])
    add("LCP <= 0.7x bare", r, r is not None and r <= 0.7, f"{r}x")
    r = ratio(app["first_question_s"], bare["first_question_s"])
    add("time to the first question <= 0.7x bare", r, r is not None and r <= 0.7, f"{r}x")
    cls = app["cls"]
    add("CLS <= 0.02", cls, cls is not None and cls <= 0.02, f"{cls:.3f}")
    gap = app["performance"] - bare["performance"]
    shown = f"{app['performance']} vs {bare['performance']} ({gap:+})"
    add("Performance >= bare + 25", gap, gap >= 25, shown)
    for name, label in (("accessibility", "Accessibility"), ("best_practices", "Best Practices")):
        add(f"{label} 100", app[name], app[name] == 100)
    add("SEO >= 91", app["seo"], app["seo"] >= 91)
    return rows


def table(columns: dict[str, dict[str, Any]], runs: int) -> list[str]:
    """A Markdown table of the medians of `runs` runs, one column per (heading: figures)."""

    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v / 1000:.1f} s"

    def num(v: float | None, digits: int = 0) -> str:
        return "-" if v is None else f"{v:.{digits}f}"

    def s(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f} s"

    rows: list[tuple[str, str, Callable[[Any], str]]] = [
        ("Performance score", "performance", num),
        ("First Contentful Paint", "fcp_ms", ms),
        ("Largest Contentful Paint", "lcp_ms", ms),
        ("Speed Index", "speed_index_ms", ms),
        ("Total Blocking Time", "tbt_ms", lambda v: f"{num(v)} ms"),
        ("Cumulative Layout Shift", "cls", lambda v: num(v, 3)),
        ("bytes transferred", "bytes", lambda v: "-" if v is None else f"{v / 1e6:.2f} MB"),
        ("requests", "requests", num),
        ("protocol (Lighthouse's requests)", "protocol", str),
        ("Accessibility", "accessibility", num),
        ("Best Practices", "best_practices", num),
        ("SEO", "seo", num),
        ("Playwright: first contentful paint (slow 4G, 4x CPU)", "fcp_emulated_s", s),
        ("Playwright: welcome screen drawn", "welcome_s", s),
        ("Playwright: first question", "first_question_s", s),
        ("Playwright: protocol", "browser_protocol", str),
    ]
    lines = [
        f"| median of {runs} | " + " | ".join(columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for label, key, shown in rows:
        lines.append(f"| {label} | " + " | ".join(shown(c[key]) for c in columns.values()) + " |")
    return lines


def block(result: dict[str, Any], minutes: float) -> list[str]:
    """The first-load section of bench/RESULTS.md."""
    modes = list(result["median"])
    columns = {
        f"{PAGES[page]} ({MODES[mode]})": result["median"][mode][page]
        for mode in modes
        for page in PAGES
    }
    low, high = result["load_average"]
    lines = [
        START,
        "## First load on a phone (Lighthouse)",
        "",
        f"Measured {result['when']} by `make bench-firstload` (= `python bench/firstload.py "
        f"--via {result['via']}`, {minutes:.0f} minutes; the machine's 1-minute load average "
        f"{low:.1f} to {high:.1f} during the runs): Lighthouse {LIGHTHOUSE_VERSION}, mobile "
        "preset with its default throttling (simulated slow 4G, 4x CPU), Debian's Chromium "
        f"{result['chromium']}, {result['runs']} runs each, alternating; this app as `make run` "
        "serves it (asgi.py) and a bare Streamlit page (bench/baseline_app.py, the same "
        "screens and widget keys, served by Streamlit's own server as bench/baseline_asgi.py), "
        "each in its own `streamlit run` process on loopback. The time to the first question "
        "is Playwright with the same Chromium, Chrome's slow-4G figures and 4x CPU slowdown: "
        "from the address to the Start button, tap, to the first question. *Direct*: the "
        "browser talks to Streamlit's server over HTTP/1.1. *Caddy*: both pages behind one "
        "Caddy with the deployment's site block (deploy/single-server/Caddyfile, bench/caddy.py) "
        "on loopback with HTTPS (`tls internal`), where the browser negotiates HTTP/2; Caddy "
        "adds no compression and passes the app's Brotli through.",
        "",
        *table(columns, result["runs"]),
        "",
        "| goal (issue 17) | " + " | ".join(MODES[m] for m in modes) + " |",
        "|---" * (len(modes) + 1) + "|",
    ]
    for i, (goal, _, _) in enumerate(result["goals"][modes[0]]):
        cells = []
        for mode in modes:
            _, measured, ok = result["goals"][mode][i]
            cells.append(f"{measured}, met" if ok else f"**{measured}, not met**")
        lines.append(f"| {goal} | " + " | ".join(cells) + " |")
    failed = sorted({a for mode in modes for a in result["failed_audits"][mode]["app"]})
    lines += [
        "",
        "Audits below full marks in this app's runs: "
        + (", ".join(f"`{a}`" for a in failed) or "none")
        + ". Raw figures: bench/firstload.json.",
        END,
    ]
    return lines


def write(result: dict[str, Any], minutes: float) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    section = "\n".join(block(result, minutes)) + "\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--via", choices=["both", *MODES], default="both",
        help="direct: Streamlit's server over HTTP/1.1; caddy: behind Caddy, HTTPS, HTTP/2",
    )  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    modes = list(MODES) if args.via == "both" else [args.via]
    began = time.monotonic()
    cli = lighthouse_cli()
    work = Path(tempfile.mkdtemp(prefix="firstload-"))
    env = {
        "SCREENING_DATABASE_URL": f"sqlite:///{work / 'screening.db'}",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    servers = {
        "app": Server("asgi.py", env=env, log=work / "app.log"),
        "bare": Server("bench/baseline_asgi.py", env=env, log=work / "bare.log"),
    }
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {m: {p: [] for p in PAGES} for m in modes}
    loads: list[float] = []  # the machine's 1-minute load average after each measurement
    with ExitStack() as stack:
        for server in servers.values():
            stack.callback(server.stop)
            server.start()
        # The app's font subsets made before any measured visit (the first browser to ask for a
        # font starts them; until then it gets the originals): as every visitor after the first.
        font_subsets_made(servers["app"].base)
        urls = {"direct": {name: server.base + "/" for name, server in servers.items()}}
        if "caddy" in modes:
            ports = {free_port(): server.port for server in servers.values()}
            bases = stack.enter_context(caddy(ports, work / "caddy.log"))
            urls["caddy"] = {name: bases[server.port] + "/" for name, server in servers.items()}
        for _ in range(args.runs):
            for mode in modes:
                for name in PAGES:
                    runs[mode][name].append(first_question(urls[mode][name]))
                    loads.append(os.getloadavg()[0])
                    print(mode, name, "first question", runs[mode][name][-1], flush=True)
        for i in range(args.runs):
            for mode in modes:
                for name in PAGES:
                    found = lighthouse(cli, urls[mode][name], work / f"{mode}-{name}-{i}.json")
                    runs[mode][name][i].update(found)
                    loads.append(os.getloadavg()[0])
                    print(mode, name, "lighthouse",
                          {k: found[k] for k in (*AUDITS, "performance", "protocol")},
                          flush=True)  # fmt: skip
    keys = [*AUDITS, "requests", *CATEGORIES, "fcp_emulated_s", "welcome_s", "first_question_s"]
    medians: dict[str, dict[str, dict[str, Any]]] = {}
    for mode, pages in runs.items():
        medians[mode] = {}
        for name, r in pages.items():
            medians[mode][name] = {k: median(r, k) for k in keys}
            for key in ("protocol", "browser_protocol"):
                medians[mode][name][key] = protocol(x for run in r for x in run[key].split(" + "))
    version = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "chromium": version.split()[1] if version.startswith("Chromium ") else "?",
        "runs": args.runs,
        "via": args.via,
        "load_average": [min(loads), max(loads)],
        "load_averages": loads,
        "median": medians,
        "raw": runs,
        "goals": {mode: goals(m["app"], m["bare"]) for mode, m in medians.items()},
        "failed_audits": {
            mode: {
                name: sorted({a for run in r for a in run.get("failed_audits", [])})
                for name, r in pages.items()
            }
            for mode, pages in runs.items()
        },
    }
    RAW.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    minutes = (time.monotonic() - began) / 60
    if not args.no_write:
        write(result, minutes)
    print(json.dumps({"median": medians, "goals": result["goals"]}, indent=1))


if __name__ == "__main__":
    main()
