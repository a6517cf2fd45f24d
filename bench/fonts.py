"""`python bench/fonts.py`: what the font subsets save on a first visit from a phone.

The same app twice, each in its own `streamlit run` process on loopback: as asgi.py serves it
(Streamlit's icon and text fonts as subsets, web/site/font_serving.py) and with the original
fonts (SCREENING_FONT_SUBSETS=off). The subsets are made first (one request, then waiting until
they are served), so the measured visit gets them as any visitor after the first one would.

Each run: a fresh Chromium context (no cache) on Chrome's slow-4G figures and 4x CPU slowdown
(bench/firstload.py's), the welcome page in English until its Start button shows, then a few
seconds more for what the bundle asks for late (Streamlit loads the icon font as it starts).
Bytes are what went over the wire (DevTools' encodedDataLength: headers and compressed bodies).
Prints the medians of RUNS runs, alternating.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/fonts.py`
    sys.path.insert(0, str(ROOT))

from bench.firstload import BROWSER_ARGS, CHROMIUM, throttle  # noqa: E402
from bench.servers import Server, font_subsets_made  # noqa: E402
from web.site.font_serving import SWITCH  # noqa: E402

RUNS = 3
LATE_S = 5  # after the Start button: the icon font comes when the bundle has started


def visit(url: str) -> dict[str, Any]:
    """One first visit: bytes on the wire (all, fonts), requests, seconds to the Start button."""
    from playwright.sync_api import sync_playwright

    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        throttle(cdp)
        page.set_default_timeout(180_000)
        began = time.monotonic()
        page.goto(url, wait_until="commit")
        page.locator(".st-key-nav-start button").wait_for(state="visible")
        welcome = time.monotonic() - began
        page.wait_for_timeout(LATE_S * 1000)
        browser.close()
    fonts = {
        urls[r].rsplit("/", 1)[-1]: n
        for r, n in sizes.items()
        if urls.get(r, "").endswith(".woff2")
    }
    return {
        "bytes": sum(sizes.values()),
        "font_bytes": sum(fonts.values()),
        "fonts": {name: int(n) for name, n in sorted(fonts.items())},
        "requests": len(sizes),
        "welcome_s": round(welcome, 2),
    }


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-fonts-"))
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{work / 'screening.db'}"}
    servers = {
        "subsets": Server("asgi.py", env=env, log=work / "subsets.log"),
        "originals": Server("asgi.py", env={**env, SWITCH: "off"}, log=work / "originals.log"),
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
    try:
        for server in servers.values():
            server.start()
        font_subsets_made(servers["subsets"].base)
        for server in servers.values():  # a first visit fills compression's memory
            visit(server.base + "/")
        for _ in range(RUNS):
            for name, server in servers.items():
                runs[name].append(visit(server.base + "/"))
    finally:
        for server in servers.values():
            server.stop()
    print(f"first visit of the welcome page, slow 4G + 4x CPU, median of {RUNS}:")
    print(f"{'':12} {'bytes':>11} {'font bytes':>11} {'requests':>9} {'Start shown':>12}")
    for name, measured in runs.items():
        med = {
            k: statistics.median(r[k] for r in measured)
            for k in ("bytes", "font_bytes", "requests", "welcome_s")
        }
        print(
            f"{name:12} {med['bytes'] / 1e6:>9.3f} MB {med['font_bytes'] / 1e3:>8.1f} KB"
            f" {med['requests']:>9.0f} {med['welcome_s']:>10.2f} s"
        )
        print(f"{'':12} fonts: {measured[-1]['fonts']}")
        print(f"{'':12} Start shown per run: {[r['welcome_s'] for r in measured]} s")


if __name__ == "__main__":
    main()
