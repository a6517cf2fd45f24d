"""Phone screenshots of the welcome, a question step and a result, in English and Spanish.

Starts the app on a free port, drives Debian's Chromium with Playwright and writes PNGs to
docs/screenshots/. Run with `make screenshots`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WORDS = {
    "en": {"no": "No", "yes": "Yes", "next": "Next", "result": "See my result"},
    "es": {"no": "No", "yes": "Sí", "next": "Siguiente", "result": "Ver mi resultado"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the app did not start")


def settled(page: Page) -> None:
    """Wait until the script run has finished (what Streamlit's own browser tests wait for)."""
    page.wait_for_timeout(300)  # let a click's rerun begin before looking for its end
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            return app && app.dataset.testConnectionState === 'CONNECTED'
                && app.dataset.testScriptState === 'notRunning'
                && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
        }"""
    )


def choose(page: Page, group: int, label: str) -> None:
    page.get_by_role("radiogroup").nth(group).get_by_text(label, exact=True).click()
    settled(page)


def press(page: Page, label: str, expect: str | None = None) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    if expect:
        page.get_by_text(expect).first.wait_for()
    settled(page)


def answer_all(page: Page, label: str) -> None:
    count = page.get_by_role("radiogroup").count()
    for group in range(1, count):  # group 0 is the language choice
        choose(page, group, label)


def shoot(page: Page, name: str) -> None:
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    page.screenshot(path=str(OUT / name), full_page=False)


def run(lang: str, port: int, page: Page) -> None:
    w = WORDS[lang]
    page.goto(f"http://127.0.0.1:{port}/?lang={lang}")
    settled(page)
    shoot(page, f"welcome-{lang}.png")
    press(page, "Start" if lang == "en" else "Empezar", "Step 1 of 5" if lang == "en" else "Paso 1")
    shoot(page, f"step-safety-{lang}.png")
    answer_all(page, w["no"])
    press(page, w["next"], "Step 2 of 5" if lang == "en" else "Paso 2")
    choose(page, 1, w["yes"])
    for group, label in (
        (2, "1 to 5 years ago" if lang == "en" else "Hace 1 a 5 años"),
        (3, "Most" if lang == "en" else "La mayor parte"),
        (4, "Left" if lang == "en" else "Izquierdo"),
    ):
        choose(page, group, label)
    press(page, w["next"], "Step 3 of 5" if lang == "en" else "Paso 3")
    shoot(page, f"step-movements-{lang}.png")
    often = "Often" if lang == "en" else "Muchas veces"
    never = "Never" if lang == "en" else "Nunca"
    choose(page, 1, often)
    for group in range(2, page.get_by_role("radiogroup").count()):
        choose(page, group, never)
    press(page, w["next"])
    answer_all(page, never)
    press(page, w["next"])
    answer_all(page, never)
    press(page, w["result"], "FACEPLUS+")
    shoot(page, f"result-consult-{lang}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = serve(port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
            for lang in ("en", "es"):
                run(lang, port, context.new_page())
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
