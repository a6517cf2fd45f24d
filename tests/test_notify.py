"""The new-request e-mail: sent to a local SMTP sink, never with a name, contact or answer."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from email import message_from_string
from email.message import Message
from pathlib import Path

import pytest
from apptest_support import (  # noqa: F401  (app_env is an autouse fixture)
    APP,
    app_env,
    finish_movements,
    texts,
    to_movements,
)
from streamlit.testing.v1 import AppTest

from web.common import notify
from web.common.notify import Pacer, SmtpSettings, message, new_request, send, settings_from

ROOT = Path(__file__).resolve().parent.parent


class _Session(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to take a message: EHLO, MAIL, RCPT, DATA, QUIT."""

    server: Sink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        body: list[str] | None = None
        for raw in self.rfile:
            line = raw.decode("utf-8").rstrip("\r\n")
            if body is not None:
                if line == ".":
                    self.server.received("\r\n".join(body))
                    body = None
                    self.reply("250 OK")
                else:
                    body.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                body = []
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not here")


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.messages: list[Message] = []
        self.arrived = threading.Event()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def received(self, text: str) -> None:
        self.messages.append(message_from_string(text))
        self.arrived.set()

    def wait(self, seconds: float = 30) -> Message:
        assert self.arrived.wait(seconds), "no mail arrived"
        return self.messages[-1]


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def fresh_pacer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notify, "_pacer", Pacer())


def smtp_secrets(port: int) -> dict[str, object]:
    return {"host": "127.0.0.1", "port": port, "from": "selfcheck@clinic.example",
            "to": ["frontdesk@clinic.example"], "starttls": False}  # fmt: skip


def body_of(mail: Message) -> str:
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_the_notice_is_the_same_few_lines_with_the_dashboard_link(sink: Sink) -> None:
    settings = settings_from(smtp_secrets(sink.port))
    send(settings, message(settings, "https://selfcheck.example.org/staff"), timeout=5)
    mail = sink.wait()
    assert mail["Subject"] == "New contact request"
    assert mail["To"] == "frontdesk@clinic.example"
    assert "https://selfcheck.example.org/staff" in body_of(mail)
    assert "no names, contact details or answers" in body_of(mail)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        pytest.param({"from": "a@b.c", "to": "d@e.f"}, "host", id="no-host"),
        pytest.param({"host": "h", "to": "d@e.f"}, "from", id="no-from"),
        pytest.param({"host": "h", "from": "a@b.c"}, "to", id="no-to"),
        pytest.param({"host": "h", "from": "a@b.c", "to": ["x"]}, "to", id="bad-to"),
        pytest.param(
            {"host": "h", "from": "a@b.c", "to": "d@e.f", "port": "25"}, "port", id="port-as-text"
        ),
    ],
)
def test_incomplete_settings_are_named(raw: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=rf"\[smtp\] {problem}"):
        settings_from(raw)


def test_settings_defaults() -> None:
    settings = settings_from({"host": "mail.example", "from": "a@b.c", "to": "d@e.f"})
    assert settings == SmtpSettings(host="mail.example", sender="a@b.c", to=("d@e.f",))
    assert settings.port == 587 and settings.starttls


def test_a_server_that_is_down_is_logged_by_kind_only(caplog: pytest.LogCaptureFixture) -> None:
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = int(closed.server_address[1])
    settings = settings_from(smtp_secrets(port))
    notify._deliver(settings, message(settings, None))
    assert "was not sent (ConnectionRefusedError)" in caplog.text
    assert "frontdesk" not in caplog.text


def test_mails_are_spaced_out() -> None:
    now = [0.0]
    pacer = Pacer(60, clock=lambda: now[0])
    assert pacer.ready() and not pacer.ready()
    now[0] = 59.0
    assert not pacer.ready()
    now[0] = 60.0
    assert pacer.ready()


def test_no_smtp_table_means_no_mail() -> None:
    assert new_request("https://x.example/staff") is None


def clinic_with_public_url(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.yaml"
    text = (ROOT / "clinic.yaml").read_text(encoding="utf-8")
    path.write_text(text + "\npublic_url: https://selfcheck.example.org/\n", encoding="utf-8")
    return path


def test_a_contact_request_sends_a_notice_without_any_detail(
    sink: Sink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENING_CLINIC", str(clinic_with_public_url(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["smtp"] = smtp_secrets(sink.port)
    at.run()
    to_movements(at)
    finish_movements(at, {"eye_narrows_smile": "always", "chin_dimples": "often"})
    at.text_input(key="contact.name").set_value("Zelda Quintanilla")
    at.text_input(key="contact.phone").set_value("806 555 0199")
    at.text_input(key="contact.email").set_value("zelda.q@example.org")
    at.text_area(key="contact.note").set_value("My chin dimples when I smile")
    at.checkbox(key="contact.consent").set_value(True)
    at.button(key="contact.submit").click().run()
    assert not at.exception
    assert "We got your request" in texts(at)
    mail = sink.wait()
    # Message-ID and Date are random digits and a time: they could contain "555" by chance.
    for header in ("Message-ID", "Date"):
        del mail[header]
    whole = mail.as_string() + body_of(mail)
    assert "https://selfcheck.example.org/staff" in whole
    for detail in (
        "Zelda",
        "Quintanilla",
        "806",
        "555",
        "0199",
        "zelda.q",
        "chin",
        "dimples",
        "always",
        "often",
        "consult",
        "eye_narrows",
        "smile",
    ):
        assert detail not in whole, detail


def test_a_silent_mail_server_does_not_hold_up_the_submit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server that accepts the connection and never answers: a send in the person's request
    # would wait the whole SMTP timeout (set long here); the submit must return well before.
    monkeypatch.setattr(notify, "TIMEOUT", 60.0)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        at = AppTest.from_file(APP, default_timeout=30)
        at.secrets["smtp"] = smtp_secrets(silent.getsockname()[1])
        at.run()
        to_movements(at)
        finish_movements(at, {"eye_narrows_smile": "always"})
        at.text_input(key="contact.name").set_value("Ana")
        at.text_input(key="contact.phone").set_value("806 555 0199")
        at.checkbox(key="contact.consent").set_value(True)
        started = time.monotonic()
        at.button(key="contact.submit").click().run()
        assert "We got your request" in texts(at)
        assert time.monotonic() - started < 30
    finally:
        silent.close()
