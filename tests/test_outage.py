"""The database goes away during a contact request, then comes back, within one browser session.

The person is told the request was not saved and given the clinic's phone, the result stays on
the page, and once the database is back the next press of Send saves it: nobody restarts the
app. SQLite: the database folder unusable, or another writer holding the lock. PostgreSQL: the
server unreachable (a proxy in between is cut), or read-only (as after a fail-over to a standby).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
import streamlit as st
from apptest_support import app_env, consult, fill_form, open_with, texts  # noqa: F401  (app_env is an autouse fixture)
from backends import postgres_url
from streamlit.testing.v1 import AppTest

from screening.records.storage import database as db
from screening.records.storage import open_store
from web.common import database

SAVED = "We got your request"
NOT_SAVED = "could not send your request, and nothing was saved"
PHONE = "806-503-2090"
RESULT = "A visit with a specialist could help"
FORM = {"name": "Outage Tester", "phone": "806-555-0142", "consent": True}


def stored_names(url: str) -> list[str]:
    store = open_store(url)
    try:
        return [str(row["name"]) for row in store.contact_rows()]
    finally:
        store.close()


def refused_then_saved(at: AppTest, restore: Callable[[], object]) -> None:
    """Send while the database is away, then again after `restore` brought it back."""
    fill_form(at, **FORM)
    shown = texts(at)
    assert NOT_SAVED in shown and PHONE in shown, shown
    assert RESULT in shown  # the screening result is still on the page
    restore()
    at.button(key="contact.submit").click().run()
    assert not at.exception
    shown = texts(at)
    assert SAVED in shown and NOT_SAVED not in shown, shown


# --- SQLite ----------------------------------------------------------------------------------


def test_sqlite_folder_unusable_then_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.write_text("a file where the database folder should be")
    url = f"sqlite:///{folder / 'screening.db'}"
    monkeypatch.setenv("SCREENING_DATABASE_URL", url)
    at = consult(open_with({}))
    refused_then_saved(at, folder.unlink)
    assert stored_names(url) == ["Outage Tester"]


def test_sqlite_locked_by_another_writer_then_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # give up after 0.3 s instead of 5 s
    url = f"sqlite:///{tmp_path / 'screening.db'}"
    monkeypatch.setenv("SCREENING_DATABASE_URL", url)
    at = consult(open_with({}))  # the app's store is open and cached by now
    other = sa.create_engine(url).connect()
    other.exec_driver_sql("BEGIN EXCLUSIVE")  # e.g. a long export, or a stuck process
    try:
        refused_then_saved(at, other.rollback)
    finally:
        other.close()
    assert stored_names(url) == ["Outage Tester"]


# --- PostgreSQL ------------------------------------------------------------------------------


class Proxy:
    """A TCP proxy on 127.0.0.1 in front of the PostgreSQL server that a test can cut."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()  # the server is "down": the connection drops at once
                continue
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        self.open = False
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def pg_database() -> Iterator[tuple[sa.URL, str]]:
    """A database of its own (its settings change in these tests): its URL and admin DSN."""
    base = sa.make_url(postgres_url())
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"outage_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name), admin
    finally:
        cached = database.store()  # the app's pool: close it before its database goes
        if cached is not None:
            cached.close()
        st.cache_resource.clear()
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_postgres_unreachable_then_back(
    pg_database: tuple[sa.URL, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = pg_database
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    monkeypatch.setenv("SCREENING_DATABASE_URL", through)
    try:
        at = consult(open_with({}))
        proxy.cut()
        refused_then_saved(at, proxy.restore)
    finally:
        proxy.close()
    assert stored_names(url.render_as_string(hide_password=False)) == ["Outage Tester"]


def test_postgres_read_only_then_writable(
    pg_database: tuple[sa.URL, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, admin = pg_database
    direct = url.render_as_string(hide_password=False)
    monkeypatch.setenv("SCREENING_DATABASE_URL", direct)
    name = url.database

    def read_only(on: bool) -> None:
        # As after a fail-over: the old connections end, the new ones see the new setting.
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            verb = "SET default_transaction_read_only = on" if on else "RESET ALL"
            conn.execute(f'ALTER DATABASE "{name}" {verb}')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )

    at = consult(open_with({}))
    read_only(True)
    refused_then_saved(at, lambda: read_only(False))
    assert stored_names(direct) == ["Outage Tester"]


def test_the_message_never_shows_the_database_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.write_text("not a folder")
    monkeypatch.setenv("SCREENING_DATABASE_URL", f"sqlite:///{folder / 'secret-name.db'}")
    at = consult(open_with({}))
    fill_form(at, **FORM)
    shown = texts(at)
    assert NOT_SAVED in shown
    assert "secret-name" not in shown and "sqlite" not in shown.lower()
    assert "Error" not in shown and not at.exception
    assert os.environ["SCREENING_DATABASE_URL"].endswith("secret-name.db")
