"""Kill the server with SIGKILL while contact requests are being sent: every request whose
"We got your request" reached the person is in the database after a restart.

The real server (`streamlit run asgi.py`) on SQLite (WAL, synchronous FULL) and on PostgreSQL;
several browserless visitors (tests/streamlit_client.py) go through the whole check and send
the form, over and over, until the server is killed mid-stream.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from server_process import Server, running, start
from streamlit_client import CONSULT, send_contact, session, to_result

from screening.questionnaire.loader import load_questionnaire
from screening.records.storage import open_store

VISITORS = 3
CONFIRMED_BEFORE_KILL = 3
SAVED = "We got your request"


def stored_names(url: str) -> set[str]:
    store = open_store(url)
    try:
        return {str(row["name"]) for row in store.contact_rows()}
    finally:
        store.close()


class Visitors:
    """Threads that each go through the check and send the form until the server dies."""

    def __init__(self, base: str) -> None:
        q = load_questionnaire()
        self.options = {x.id: list(x.option_ids) for step in q.steps for x in step.questions}
        self.base = base
        self.lock = threading.Lock()
        self.confirmed: list[str] = []  # "We got your request" was shown for these
        self.sending: set[str] = set()  # Send pressed, no answer yet
        self.threads = [threading.Thread(target=self._visit, args=(n,)) for n in range(VISITORS)]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        for t in self.threads:
            t.join(timeout=60)

    def _visit(self, visitor: int) -> None:
        time.sleep(0.6 * visitor)  # out of step, so that some Send is usually on its way
        for round_ in range(1000):
            name = f"Killtest Visitor {visitor}-{round_}"
            try:
                with session(self.base) as tab:
                    to_result(tab, self.options, CONSULT)
                    with self.lock:
                        self.sending.add(name)
                    send_contact(tab, name=name, phone="806-555-0177")
                    saved = SAVED in tab.shown()
            except Exception:  # the server is gone (killed): this visitor stops
                return
            with self.lock:
                self.sending.discard(name)
                if saved:
                    self.confirmed.append(name)


def test_every_confirmed_request_survives_a_sigkill(url: str, tmp_path: Path) -> None:
    env = {"SCREENING_DATABASE_URL": url}
    server: Server = start(tmp_path / "first.log", env)
    visitors = Visitors(server.base)
    visitors.start()
    deadline = time.monotonic() + 90
    # Kill once enough were confirmed, at a moment when another Send is on its way.
    while time.monotonic() < deadline and not (
        len(visitors.confirmed) >= CONFIRMED_BEFORE_KILL and visitors.sending
    ):
        time.sleep(0.005)
    server.kill()
    visitors.join()
    # Every confirmation that reached a visitor, up to the last byte before the kill.
    confirmed, in_flight = list(visitors.confirmed), len(visitors.sending)
    assert len(confirmed) >= CONFIRMED_BEFORE_KILL, server.output()[-2000:]

    after_kill = stored_names(url)
    missing = [name for name in confirmed if name not in after_kill]
    assert missing == [], f"confirmed but not stored: {missing}"

    with running(tmp_path / "second.log", env) as again:  # the restarted server works
        with urllib.request.urlopen(f"{again.base}/ready", timeout=10) as ready:
            assert ready.status == 200
        with session(again.base) as tab:
            to_result(tab, visitors.options, CONSULT)
            send_contact(tab, name="Killtest After Restart", phone="806-555-0178")
            assert SAVED in tab.shown()
    assert {*confirmed, "Killtest After Restart"} <= stored_names(url)
    backend = url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"\n[kill {backend}] SIGKILL with {in_flight} request(s) in flight: "
        f"{len(confirmed)} confirmed before the kill, all {len(confirmed)} in the database "
        f"after restart ({len(after_kill)} stored; 0 lost); the restarted server saved the next"
    )
