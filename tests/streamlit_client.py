"""The server tests' browser tab: bench/client.py's Visit, the one client of Streamlit's protocol,
driven synchronously (each tab runs its own event loop, so tabs may live in threads).

Unlike a tap in the benchmark, choose/type/tick only set a value; run() or press() sends it with
one whole rerun. Used by the server tests (SIGKILL during submissions, logs, staff data) where
AppTest's in-process runner is not enough.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core_spec import ABOUT, HISTORY, NO_EMERGENCY
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.client import Visit, Widget, http_get

TIMEOUT = 30.0  # seconds to wait for a connection or a message (a loaded machine is slow)


class Tab:
    """One browser tab: the widgets on screen, the words shown, every byte the server sent."""

    def __init__(self, runner: asyncio.Runner, visit: Visit) -> None:
        self._runner = runner
        self.visit = visit

    @property
    def widgets(self) -> dict[str, Widget]:
        return self.visit.drawn.widgets

    @property
    def texts(self) -> list[str]:
        return self.visit.drawn.texts

    @property
    def received(self) -> bytes:
        return bytes(self.visit.received or b"")

    @property
    def new_session(self) -> Any:
        return self.visit.new_session

    @property
    def page_hash(self) -> str:
        return self.visit.page_hash

    def run(self, triggers: tuple[str, ...] = ()) -> Tab:
        """One whole rerun with the values set so far (and `triggers` pressed, by key)."""
        self._runner.run(self.visit.rerun(press=triggers))
        return self

    def press(self, key: str) -> Tab:
        return self.run(triggers=(key,))

    def choose(self, key: str, index: int) -> None:
        """Pick a radio's option by its position."""
        self.visit.set(key, string_value=self.widgets[key].options[index])

    def type(self, key: str, text: str) -> None:
        self.visit.set(key, string_value=text)

    def tick(self, key: str, on: bool = True) -> None:
        self.visit.set(key, bool_value=on)

    def send(self, msg: BackMsg) -> None:
        self._runner.run(self.visit.send(msg))

    def receive(self, timeout: float = TIMEOUT) -> ForwardMsg:
        return self._runner.run(self.visit.receive(timeout))

    def file_url(self, key: str) -> str:
        """A download button's /media/ address (a deferred file is built on the way)."""
        return self._runner.run(self.visit.file_url(key))

    def download(self, key: str) -> tuple[int, bytes]:
        """A download button's file as this tab's browser would fetch it: status and bytes."""
        return self._runner.run(self.visit.download(key))

    def fetch(self, path: str) -> tuple[int, bytes]:
        """Any address on the server, with this tab's cookies: status and bytes."""
        status, _, body = self._runner.run(
            http_get(self.visit.base + path, self.visit.cookie, TIMEOUT)
        )
        return status, body

    def shown(self) -> str:
        return "\n".join(self.texts).replace("\\", "")


@contextmanager
def session(
    base: str, query: str = "", page: str = "", fetch_page: bool = False, **headers: str
) -> Iterator[Tab]:
    """A new tab on `base` (http://host:port)/`page`, opened with its first run done; with
    fetch_page the HTML page is loaded first and its cookies kept (the browser's own id)."""
    with asyncio.Runner() as runner:
        visit = runner.run(
            Visit.open(
                base,
                query,
                page=page,
                headers=headers,
                fetch_page=fetch_page,
                keep_bytes=True,
                timeout=TIMEOUT,
            )
        )
        try:
            tab = Tab(runner, visit)
            tab.run()
            yield tab
        finally:
            runner.run(visit.close())


# --- the self-check through the protocol -------------------------------------------------------

# A person with nothing notable (core_spec's answers): no warning sign, a palsy years ago, seen by
# a doctor, an eye that closes, full recovery; every other flag and movement: no, never.
SAFE = {**NO_EMERGENCY, **ABOUT, **HISTORY}
CONSULT = {**SAFE, "eye_narrows_smile": "always"}  # a key sign always: a consult result


def answer_all(tab: Tab, options: dict[str, list[str]], answers: dict[str, str]) -> None:
    """Answer every radio question on screen (and those that appear after), then press Next.

    `options`: question id -> its option ids in order; questions not in `answers`: never or no
    (a question with neither, such as the age, must be in `answers`)."""
    while True:
        new = [
            key
            for key, w in tab.widgets.items()
            if key.startswith("q.") and w.kind == "radio" and w.state is None
        ]
        if not new:
            break
        for key in new:
            qid = key[2:]
            default = next((o for o in ("never", "no") if o in options[qid]), None)
            chosen = answers.get(qid, default)
            if chosen is None:
                raise KeyError(f"no answer given for {qid} (it has no 'no' or 'never' option)")
            tab.choose(key, options[qid].index(chosen))
        tab.run()


def to_result(tab: Tab, options: dict[str, list[str]], answers: dict[str, str]) -> Tab:
    """From the welcome page to the result, answering as `answers` says."""
    tab.press("nav.start")
    for _ in range(10):
        if not any(key.startswith("q.") for key in tab.widgets):
            return tab  # the result page (or an emergency stop)
        answer_all(tab, options, answers)
        if any(key.startswith("q.") for key in tab.widgets):
            tab.press("nav.next")
    raise AssertionError("the questionnaire did not end")


def send_contact(tab: Tab, **fields: str) -> Tab:
    """Fill the contact form (name, phone, email, note), tick consent, press Send."""
    for name, text in fields.items():
        tab.type(f"contact.{name}", text)
    tab.tick("contact.consent")
    return tab.press("contact.submit")
