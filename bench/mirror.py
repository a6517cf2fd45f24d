"""The camera aid on a phone: what it downloads and how long until it measures.

`make bench-mirror` (= `python -m bench.mirror`): the app as `make run` serves it, Debian's
Chromium with a fake front camera (scikit-image's astronaut, as the browser tests use), a phone
viewport, Chrome DevTools' slow-4G figures and a 4x CPU slowdown (as bench/firstload.py). It walks
to the first movement step, taps "Use my camera as a mirror" and times:

- the bytes the aid fetched (as sent, Brotli) and how many requests,
- tap -> Start shown (the mirror is on at once; the files loaded, the model started),
- tap -> the first face measured (landmarks of one frame),
- Start -> the comparison (the guide itself takes about 11 s: 3 + 1.5 + 3 + 2 s and the frames),
- the same again on a second visit (the files from the browser's cache).

Medians of RUNS runs go to bench/RESULTS.md between the camera-aid markers (the rest is kept).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from bench.firstload import SLOW_4G, throttle  # noqa: E402
from bench.servers import Server  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
START = "<!-- camera-aid: written by `make bench-mirror` -->"
END = "<!-- camera-aid: end -->"
RUNS = 3
QUESTION = "eye_narrows_smile"
TIMEOUT_MS = 600_000


def watch(cdp: Any) -> tuple[dict[str, int], dict[str, str]]:
    """Bytes as sent (encodedDataLength) and the address of every request, by request id."""
    sent: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.update({e["requestId"]: e["request"]["url"]})
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sent.update({e["requestId"]: int(e["encodedDataLength"])}),
    )
    return sent, urls


def one_run(base: str, video: Path) -> dict[str, float]:
    # The browser tests' driver, fake camera and answers (tests/e2e, put on the path above).
    from driver import CHROMIUM, LAUNCH_ARGS, App  # type: ignore[import-not-found]
    from fake_camera import camera_args  # type: ignore[import-not-found]
    from journeys import ABOUT, FIRST, HISTORY, SAFE  # type: ignore[import-not-found]
    from playwright.sync_api import sync_playwright

    from screening.questionnaire.loader import load_questionnaire

    q = load_questionnaire()
    figures: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS + camera_args(video)
        )
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        for visit in ("first", "cached"):
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            sent, urls = watch(cdp)
            app = App(page, base, q, touch=True)
            app.open()
            app.press("nav.start")
            for step in (FIRST, ABOUT, SAFE, HISTORY):
                app.answer(step)
                app.press("nav.next")
            throttle(cdp)
            page.set_default_timeout(TIMEOUT_MS)
            sent.clear()
            began = time.monotonic()
            page.locator(f".st-key-mirror-open-{QUESTION} label").first.tap()
            frame = page.frame_locator(f".st-key-mirror-view-{QUESTION} iframe")
            frame.locator("#start").wait_for(state="visible")
            figures[f"{visit}_ready_s"] = time.monotonic() - began
            handle = page.locator(f".st-key-mirror-view-{QUESTION} iframe").element_handle()
            inner = handle.content_frame() if handle else None
            assert inner is not None
            inner.wait_for_function("window.firstMeasurementMs !== undefined")
            figures[f"{visit}_first_measure_s"] = time.monotonic() - began
            tapped = time.monotonic()
            frame.locator("#start").click()
            frame.locator("#sentence").wait_for(state="visible")
            figures[f"{visit}_comparison_s"] = time.monotonic() - tapped
            aid = [k for k in sent if "/component/" in urls.get(k, "")]
            figures[f"{visit}_mb"] = sum(sent[k] for k in aid) / 1_000_000
            figures[f"{visit}_requests"] = len(aid)
            cdp.send("Network.emulateNetworkConditions", {**SLOW_4G, "latency": 0,
                     "downloadThroughput": -1, "uploadThroughput": -1})  # fmt: skip
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            cdp.detach()
        browser.close()
    return figures


def write(medians: dict[str, float], when: str) -> None:
    rows = [
        ("what the aid downloads (MB, as sent)", "mb", "{:.2f}"),
        ("its requests", "requests", "{:.0f}"),
        ("tap -> model ready, Start shown (s)", "ready_s", "{:.1f}"),
        ("tap -> first face measured (s)", "first_measure_s", "{:.1f}"),
        ("Start -> comparison shown (s)", "comparison_s", "{:.1f}"),
    ]
    lines = [
        START,
        "## The camera aid on a phone",
        "",
        f"Measured {when} by `make bench-mirror` (bench/mirror.py): Debian's Chromium, 412x823 "
        "touch viewport, Chrome DevTools' slow-4G figures and a 4x CPU slowdown (as the "
        "first-load figures), a "
        f"fake camera playing scikit-image's astronaut; medians of {RUNS} runs. The first page "
        "load does not include any of this: the aid's files load only after the tap.",
        "",
        "| | first visit | second visit (browser cache) |",
        "|---|---|---|",
    ]
    for label, key, fmt in rows:
        lines.append(
            f"| {label} | {fmt.format(medians['first_' + key])} | "
            f"{fmt.format(medians['cached_' + key])} |"
        )
    lines += [
        "",
        "The download is most of the wait before the first measurement: about 5 MB on a slow-4G "
        "line is half a minute by itself, which is why the switch says the size before anything "
        "loads and the aid shows its progress. A second visit reads the files from the browser's "
        "cache (a year, immutable: the model's folder is named after its version) and waits only "
        "for the model to start. From Start, the guide itself (relax 3 s + 1.5 s, the movement "
        "3 s + 2 s) is most of the time to the comparison.",
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


def main() -> None:
    from fake_camera import astronaut, write_y4m

    from web.selfcheck.mirror_files import sizes

    if sizes() is None:
        raise SystemExit("the camera aid is not installed: run `make mirror-files` first")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = write_y4m(astronaut(), folder / "face.y4m")
        server = Server("asgi.py", env={"SCREENING_DATABASE_URL": f"sqlite:///{folder / 'b.db'}"},
                        log=folder / "server.log")  # fmt: skip
        server.start(wait=60)
        try:
            runs = [one_run(server.base, video) for _ in range(RUNS)]
        finally:
            server.stop()
    medians: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    for r in runs:
        print({k: round(v, 2) for k, v in r.items()})
    write(medians, time.strftime("%Y-%m-%d"))
    print({k: round(v, 2) for k, v in medians.items()})


if __name__ == "__main__":
    main()
