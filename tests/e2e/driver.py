"""The app in a real browser: a server on a free port, and a page whose every action waits for
the script run it causes.

Used by the browser tests (through conftest.py) and nothing else. The waits are deterministic:
an action counts the runs the server reports finished over the page's own WebSocket (the
ForwardMsg `script_finished`), waits for one more, then for what Streamlit's own browser tests
wait for (stApp connected, script not running, no skeleton left). No fixed sleeps.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from screening.questionnaire.models import Question, Questionnaire

ROOT = Path(__file__).resolve().parents[2]
# What `make run` serves: the ASGI app with the site's headers and routes around app.py.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The two viewports every flow runs on: a phone held upright (touch) and a laptop.
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
TIMEOUT_MS = 30_000

# A run is drawn when stApp is connected and not running and no skeleton is left (what
# Streamlit's own browser tests wait for), and every srcdoc frame has loaded its current text:
# the app's language frame scrolls a new screen to the top when it loads, and a tap aimed
# before that scroll would land on whatever moved under the finger.
SETTLED = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const framesLoaded = [...document.querySelectorAll('iframe[srcdoc]')].every(f => {
        const doc = f.contentDocument;
        if (doc === null) return true;  // not same-origin: nothing to wait for
        if (doc.URL !== 'about:srcdoc' || doc.readyState !== 'complete') return false;
        const script = doc.querySelector('script');
        return script === null || f.getAttribute('srcdoc').includes(script.textContent);
    });
    return app !== null
        && app.dataset.testConnectionState === 'CONNECTED'
        && app.dataset.testScriptState === 'notRunning'
        && document.querySelector('[data-testid=stSkeleton]') === null
        && framesLoaded;
}"""
_DONE = frozenset(
    {
        ForwardMsg.FINISHED_SUCCESSFULLY,
        ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
        ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    }
)


def key_class(key: str) -> str:
    """The CSS class Streamlit gives a keyed element: `q.rf_lump` -> `st-key-q-rf_lump`."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


class App:
    """One browser tab on the app. Every action waits for the script run it starts."""

    def __init__(self, page: Page, base_url: str, questionnaire: Questionnaire, touch: bool):
        self.page = page
        self.base_url = base_url
        self.q = questionnaire
        self.touch = touch
        self.runs = 0  # script runs the server has reported finished to this tab
        page.set_default_timeout(TIMEOUT_MS)
        page.on("websocket", self._watch)

    def _watch(self, ws: Any) -> None:
        if ws.url.endswith("/_stcore/stream"):
            ws.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished in _DONE:
            self.runs += 1

    # -- waiting ------------------------------------------------------------------------------

    def after(self, action: Callable[[], object]) -> None:
        """Do `action` (which must start a script run) and wait until that run is drawn."""
        before = self.runs
        action()
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while self.runs <= before:
            if time.monotonic() > deadline:
                raise TimeoutError("no script run finished after the action")
            self.page.wait_for_timeout(15)  # lets Playwright deliver the WebSocket events
        self.settle()

    def settle(self) -> None:
        self.page.wait_for_function(SETTLED)
        exceptions = self.page.locator("[data-testid=stException]")
        assert exceptions.count() == 0, exceptions.first.inner_text()

    # -- navigating ---------------------------------------------------------------------------

    def open(self, lang: str | None = None, path: str = "/") -> App:
        url = self.base_url + path + (f"?lang={lang}" if lang else "")
        self.after(lambda: self.page.goto(url))
        return self

    def tap(self, target: Locator) -> None:
        """A finger on a phone, the mouse on a desktop; waits for the run it starts."""
        self.after(target.tap if self.touch else target.click)

    def button(self, key: str) -> Locator:
        return self.page.locator(f".{key_class(key)} button")

    def press(self, key: str) -> None:
        self.tap(self.button(key))

    def question(self, qid: str) -> Locator:
        return self.page.locator(f".{key_class('q.' + qid)}")

    def option(self, qid: str, option_id: str) -> Locator:
        """The tappable label of one answer (found by its position, so in any language)."""
        index = self._question(qid).option_ids.index(option_id)
        return self.question(qid).locator(
            f"[data-testid=stRadioOption]:has(input[value='{index}'])"
        )

    def choose(self, qid: str, option_id: str) -> None:
        self.tap(self.option(qid, option_id))

    def answer(self, answers: dict[str, str]) -> None:
        for qid, option_id in answers.items():
            self.choose(qid, option_id)

    def chosen(self, qid: str) -> str | None:
        """The answer the radio shows as selected, or None."""
        checked = self.question(qid).locator("input[type=radio]:checked")
        if checked.count() == 0:
            return None
        return self._question(qid).option_ids[int(checked.get_attribute("value") or "")]

    def switch_language(self, lang: str) -> None:
        index = ["en", "es"].index(lang)
        self.tap(
            self.page.locator(
                f".{key_class('ui.lang')} [data-testid=stRadioOption]:has(input[value='{index}'])"
            )
        )

    def visible_questions(self) -> list[str]:
        classes = self.page.locator("[class*='st-key-q-']").evaluate_all(
            "els => els.map(e => [...e.classList].find(c => c.startsWith('st-key-q-')))"
        )
        return [c.removeprefix("st-key-q-") for c in classes]

    def html_lang(self) -> str:
        # The language script runs in a frame that loads after the run: wait for it to act.
        return str(self.page.evaluate("document.documentElement.lang"))

    def wait_html_lang(self, lang: str) -> None:
        self.page.wait_for_function(f"document.documentElement.lang === '{lang}'")

    def _question(self, qid: str) -> Question:
        return self.q.question(qid)
