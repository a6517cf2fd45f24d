"""`make bench-firstload`: a first visit on a phone, this app against a bare Streamlit page.

Both are served the same way, each by its own `streamlit run` process with the project's
.streamlit/config.toml: the self-check as asgi.py (our middleware: compression, the page's
shell, robots.txt, favicon), the bare page as bench/baseline_asgi.py (Streamlit's own server,
which compresses neither its page nor its bundle; the same screens and widget keys as the
self-check, no texts, bench/baseline_app.py).

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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/firstload.py`
    sys.path.insert(0, str(ROOT))

from bench.servers import Server  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
NPM_CACHE = Path(os.environ.get("SCREENING_NPM_CACHE", ROOT / "build" / "npm"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
RESULTS = ROOT / "bench" / "RESULTS.md"
RAW = ROOT / "bench" / "firstload.json"
START = "<!-- first-load: written by `make bench-firstload` -->"
END = "<!-- first-load: end -->"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
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
    found["requests"] = len(audits["network-requests"]["details"]["items"])
    for name, category in CATEGORIES.items():
        score = report["categories"][category]["score"]
        found[name] = None if score is None else round(score * 100)
    found["failed_audits"] = sorted(
        f"{category}:{ref['id']}"
        for category in CATEGORIES.values()
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and (audits[ref["id"]].get("score") or 0) < 1
        and audits[ref["id"]].get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    )
    return found


def first_question(url: str) -> dict[str, float | None]:
    """Seconds to the welcome screen's Start button and to the first question after the tap,
    on the emulated slow connection and CPU."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
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
        browser.close()
    return {
        "fcp_emulated_s": None if paint is None else round(paint / 1000, 2),
        "welcome_s": round(welcome, 2),
        "first_question_s": round(question, 2),
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


def table(app: dict[str, Any], bare: dict[str, Any]) -> list[str]:
    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v / 1000:.1f} s"

    def num(v: float | None, digits: int = 0) -> str:
        return "-" if v is None else f"{v:.{digits}f}"

    rows = [
        ("Performance score", num(app["performance"]), num(bare["performance"])),
        ("First Contentful Paint", ms(app["fcp_ms"]), ms(bare["fcp_ms"])),
        ("Largest Contentful Paint", ms(app["lcp_ms"]), ms(bare["lcp_ms"])),
        ("Speed Index", ms(app["speed_index_ms"]), ms(bare["speed_index_ms"])),
        ("Total Blocking Time", f"{num(app['tbt_ms'])} ms", f"{num(bare['tbt_ms'])} ms"),
        ("Cumulative Layout Shift", num(app["cls"], 3), num(bare["cls"], 3)),
        ("bytes transferred", f"{app['bytes'] / 1e6:.2f} MB", f"{bare['bytes'] / 1e6:.2f} MB"),
        ("requests", num(app["requests"]), num(bare["requests"])),
        ("Accessibility", num(app["accessibility"]), num(bare["accessibility"])),
        ("Best Practices", num(app["best_practices"]), num(bare["best_practices"])),
        ("SEO", num(app["seo"]), num(bare["seo"])),
        ("Playwright: first contentful paint (slow 4G, 4x CPU)",
         f"{app['fcp_emulated_s']:.1f} s", f"{bare['fcp_emulated_s']:.1f} s"),
        ("Playwright: welcome screen drawn", f"{app['welcome_s']:.1f} s",
         f"{bare['welcome_s']:.1f} s"),
        ("Playwright: first question", f"{app['first_question_s']:.1f} s",
         f"{bare['first_question_s']:.1f} s"),
    ]  # fmt: skip
    lines = ["| median of 3 | this app | bare Streamlit |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return lines


def write(result: dict[str, Any], minutes: float) -> None:
    app, bare = result["median"]["app"], result["median"]["bare"]
    lines = [
        START,
        "## First load on a phone (Lighthouse)",
        "",
        f"Measured {result['when']} by `make bench-firstload` (= `python bench/firstload.py`, "
        f"{minutes:.0f} minutes): Lighthouse {LIGHTHOUSE_VERSION}, mobile preset with its default "
        "throttling (simulated slow 4G, 4x CPU), Debian's Chromium "
        f"{result['chromium']}, {result['runs']} runs each, alternating; this app as `make run` "
        "serves it (asgi.py) and a bare Streamlit page (bench/baseline_app.py, the same "
        "screens and widget keys, served by Streamlit's own server as bench/baseline_asgi.py), "
        "each in its own `streamlit run` process on loopback. The time to the first question "
        "is Playwright with the same Chromium, Chrome's slow-4G figures and 4x CPU slowdown: "
        "from the address to the Start button, tap, to the first question.",
        "",
        *table(app, bare),
        "",
        "| goal (issue 17) | measured | met |",
        "|---|---|---|",
    ]
    lines += [f"| {g} | {m} | {'yes' if ok else '**no**'} |" for g, m, ok in result["goals"]]
    lines += [
        "",
        "Audits below full marks in this app's runs: "
        + (", ".join(f"`{a}`" for a in result["failed_audits"]["app"]) or "none")
        + ". Raw figures: bench/firstload.json.",
        END,
    ]
    text = RESULTS.read_text(encoding="utf-8")
    block = "\n".join(lines) + "\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + block + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
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
    runs: dict[str, list[dict[str, Any]]] = {"app": [], "bare": []}
    try:
        for server in servers.values():
            server.start()
        for _ in range(args.runs):
            for name, server in servers.items():
                runs[name].append(first_question(server.base + "/"))
                print(name, "first question", runs[name][-1], flush=True)
        for i in range(args.runs):
            for name, server in servers.items():
                found = lighthouse(cli, server.base + "/", work / f"{name}-{i}.json")
                runs[name][i].update(found)
                print(name, "lighthouse", {k: found[k] for k in (*AUDITS, "performance")},
                      flush=True)  # fmt: skip
    finally:
        for server in servers.values():
            server.stop()
    keys = [*AUDITS, "requests", *CATEGORIES, "fcp_emulated_s", "welcome_s", "first_question_s"]
    medians = {name: {k: median(r, k) for k in keys} for name, r in runs.items()}
    version = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "chromium": version.split()[1] if version.startswith("Chromium ") else "?",
        "runs": args.runs,
        "median": medians,
        "raw": runs,
        "goals": goals(medians["app"], medians["bare"]),
        "failed_audits": {
            name: sorted({a for run in r for a in run.get("failed_audits", [])})
            for name, r in runs.items()
        },
    }
    RAW.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    minutes = (time.monotonic() - began) / 60
    if not args.no_write:
        write(result, minutes)
    print(json.dumps({"median": medians, "goals": result["goals"]}, indent=1))


if __name__ == "__main__":
    main()
