"""The real server as visitors and attackers meet it: its settings read from what it serves, no
staff data for a session that has not signed in, and logs without anyone's answers or details.

One server for the module (`streamlit run asgi.py`), with a clinic.yaml that lets one other site
frame the check, a staff password, a SQLite database, and its output in a file. Browsers are
replaced by tests/streamlit_client.py, which speaks Streamlit's WebSocket protocol.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from proxy_support import fetch
from server_process import ROOT, Server, running
from streamlit_client import CONSULT, send_contact, session, to_result
from websockets.exceptions import InvalidStatus

from screening.questionnaire.loader import load_questionnaire
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store

FRAMER = "https://www.clinic-example.org"
PASSWORD = "Staff-Passw0rd-Zebulon-8841"
# Distinctive values typed by visitors; none may reach a log or an unsigned staff session.
SEEDED = {"name": "Ottoline Brackenridge", "phone": "+18065550187", "email": "ottoline@example.org"}
SEEDED_NOTE = "Seeded note Quillfeather"
TYPED = {
    "name": "Marisol Vandergraaf",
    "phone": "806-555-0163",
    "email": "marisol.vdg@example.org",
    "note": "Left eye shuts when I smile **Xylophone** [x](http://tracker.example)",
}
TYPED_PHONE_E164 = "+18065550163"
BAD_EMAIL = "not-an-email-Wolfsbane"


def options() -> dict[str, list[str]]:
    q = load_questionnaire()
    return {x.id: list(x.option_ids) for step in q.steps for x in step.questions}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    clinic = folder / "clinic.yaml"
    text = (ROOT / "clinic.yaml").read_text(encoding="utf-8")
    clinic.write_text(text + f"frame_ancestors: ['{FRAMER}']\n", encoding="utf-8")
    url = f"sqlite:///{folder / 'screening.db'}"
    store = open_store(url)
    try:
        request = ContactRequest(way="call", time="morning", note=SEEDED_NOTE, **SEEDED)
        store.save_contact(request, consent_text="I agree", lang="en",
                           channel=Channel(utm_source="Hummingbirdcampaign"),
                           screening_id=None, idempotency_key="seeded")  # fmt: skip
    finally:
        store.close()
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    env = {
        "SCREENING_DATABASE_URL": url,
        "SCREENING_CLINIC": str(clinic),
        "SCREENING_STAFF_PASSWORD_HASH": cheap.hash(PASSWORD),
    }
    with running(folder / "server.log", env) as started:
        yield started


# --- settings, as served ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/staff", "/_stcore/health", "/_stcore/host-config"])
def test_security_headers_and_frame_ancestors_from_clinic_yaml(server: Server, path: str) -> None:
    status, headers, _ = fetch(server.base + path)
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert f"; frame-ancestors 'self' {FRAMER}" in headers["content-security-policy"]


def test_xsrf_protection_is_on(server: Server) -> None:
    _, headers, _ = fetch(server.base + "/_stcore/health")
    assert headers["set-cookie"].startswith("_streamlit_xsrf=")
    status, _, _ = fetch(server.base + "/_stcore/upload_file/s/f", method="PUT", data=b"x")
    assert status == 403  # a write without the XSRF token is refused


def test_the_cors_origin_check_is_on(server: Server) -> None:
    _, headers, _ = fetch(server.base + "/_stcore/host-config", Origin="http://evil.example")
    assert "access-control-allow-origin" not in headers  # with the check off it would be *
    with (
        pytest.raises(InvalidStatus) as refused,
        session(server.base, Origin="http://evil.example"),
    ):
        pass
    assert refused.value.response.status_code == 403
    with session(server.base, Origin=server.base) as tab:  # the app's own page may connect
        assert "nav.start" in tab.widgets


def test_oversized_widget_state_is_refused(server: Server) -> None:
    # 2 MB of state for a widget id that does not exist: the connection is closed (1009, too
    # big) instead of the session keeping it (up to 25 MB per session before).
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.exceptions import ConnectionClosed

    with session(server.base, Origin=server.base) as tab:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = tab.page_hash
        forged = msg.rerun_script.widget_states.widgets.add()
        forged.id = "$$ID-0000-nothing"
        forged.string_value = "x" * 2_000_000
        tab.send(msg)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                tab.receive()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_uploads_are_refused(server: Server) -> None:
    _, headers, _ = fetch(server.base + "/_stcore/health")
    token = headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]
    with session(server.base, Origin=server.base) as tab:
        session_id = tab.new_session.initialize.session_id
        boundary = "b0undary"
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
        ).encode() + b"x" * 2048 + f"\r\n--{boundary}--\r\n".encode()
        status, _, _ = fetch(
            f"{server.base}/_stcore/upload_file/{session_id}/file1",
            method="PUT",
            data=body,
            **{
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": token,
                "Cookie": f"_streamlit_xsrf={token}",
            },
        )
    assert status == 413  # 2 KB is over the limit of 0 MB


def test_a_forged_answer_is_dropped_without_a_traceback(server: Server) -> None:
    forged = "Forged-Quokka-4242"
    with session(server.base, Origin=server.base) as tab:
        tab.press("nav.start")
        first = next(key for key, w in tab.widgets.items() if key.startswith("q."))
        tab.type(first, forged)  # a radio's value travels as text: any text can be sent
        tab.run()
        assert "q." + first[2:] in tab.widgets  # still on the step, still working
        options = tab.widgets[first].options
        tab.choose(first, 0)  # a real answer is still taken
        tab.run()
        assert options
    log = server.output()
    assert "an answer that is not one of the question's options was dropped" in log
    assert forged not in log and "Traceback" not in log


def test_usage_statistics_are_off_and_the_toolbar_minimal(server: Server) -> None:
    with session(server.base) as tab:
        config = tab.new_session.config
    assert config.gather_usage_stats is False
    assert config.toolbar_mode == config.ToolbarMode.MINIMAL


def test_error_details_are_hidden_in_the_settings_the_server_reads() -> None:
    # No visitor can make this app fail on purpose, so the setting is read the way the server
    # reads it: `streamlit config show` in the same folder (.streamlit/config.toml, then
    # defaults), not by parsing the file ourselves (tests/test_config.py does that).
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    # A setting left at its default is shown commented out, with that default.
    effective = dict(re.findall(r"^(?:# )?(\w+) = (.+)$", shown, flags=re.MULTILINE))
    assert effective["showErrorDetails"] == '"none"'
    assert effective["gatherUsageStats"] == "false"
    assert effective["enableCORS"] == "true"
    assert effective["enableXsrfProtection"] == "true"
    assert effective["enableAgentApi"] == "false"


def test_the_agent_api_is_off(server: Server) -> None:
    body = json.dumps({}).encode()
    status, _, _ = fetch(server.base + "/_stcore/agent/interact", "POST", body)
    assert status == 403
    status, _, _ = fetch(server.base + "/_stcore/agent/mcp", "POST", body)
    assert status in (400, 403)
    _, _, document = fetch(server.base + "/_stcore/agent/openapi.json")
    assert json.loads(document)["info"]["x-streamlit-agent-api"] == "disabled"


# --- staff data ------------------------------------------------------------------------------


def seeded_values() -> list[str]:
    return [*SEEDED.values(), SEEDED_NOTE, "Hummingbirdcampaign", "555-0187"]  # as shown too


def test_no_staff_data_reaches_a_session_that_has_not_signed_in(server: Server) -> None:
    with session(server.base, page="staff") as tab:
        assert "Staff sign-in" in tab.shown()
        tab.type("staff.password", "a wrong password")
        tab.press("staff.login")
        assert "That password is not right." in tab.shown()
        tab.run()  # and once more, as a reload would
        leaked = [v for v in seeded_values() if v.encode() in tab.received]
        assert leaked == [], "staff data reached a session that has not signed in"
        # The same session, signed in, does receive them: the check above can see them.
        tab.type("staff.password", PASSWORD)
        tab.press("staff.login")
        assert SEEDED["name"].encode() in tab.received


# --- logs ------------------------------------------------------------------------------------


def test_logs_carry_no_answers_and_no_contact_details(server: Server) -> None:
    db = server.log.parent / "screening.db"
    answers = options()
    with session(server.base, "utm_source=Lanternfishads") as tab:
        to_result(tab, answers, CONSULT)
        send_contact(tab, **(TYPED | {"email": BAD_EMAIL}))  # refused: not an e-mail
        assert "We got your request" not in tab.shown()
        lock = sqlite3.connect(db, timeout=1, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # the database is busy: this one is not saved
        try:
            send_contact(tab, **TYPED)
            assert "could not send your request" in tab.shown()
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        send_contact(tab, **TYPED)
        assert "We got your request" in tab.shown()
    with session(server.base, "lang=es") as tab:
        to_result(tab, answers, {"rf_stroke_signs": "now"})
    with session(server.base, page="staff") as tab:
        for password in ("Wrong-Guess-Marmalade", PASSWORD):
            tab.type("staff.password", password)
            tab.press("staff.login")
        assert TYPED["name"].encode() in tab.received  # the dashboard showed the request

    log = server.output()
    assert "a contact request was not saved" in log  # the outage was logged, without details
    secrets = [
        *TYPED.values(), TYPED_PHONE_E164, BAD_EMAIL, "Xylophone", "Lanternfishads", PASSWORD,
        "Wrong-Guess-Marmalade", *seeded_values(),
    ]  # fmt: skip
    question_ids = [qid for qid in answers if qid in log]
    assert [s for s in secrets if s in log] == []
    assert question_ids == []
    print(
        f"\n[logs] server log after complete flows ({len(log.splitlines())} lines): none of "
        f"{len(secrets)} distinctive values typed or stored, and no question id, appears"
    )
