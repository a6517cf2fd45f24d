"""What the server tells a visitor's browser about itself over the WebSocket: no Python
version, operating system, machine id, absolute path or git details (web/site/stream_filter.py).
Streamlit puts them in the first message of every run."""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import ROOT, Server, running
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit_client import session

from web.site.stream_filter import LARGEST_CHECKED, scrub

PYTHON = ".".join(map(str, sys.version_info))  # how Streamlit writes it: 3.11.7.final.0


def new_session() -> ForwardMsg:
    msg = ForwardMsg()
    ns = msg.new_session
    ns.initialize.environment_info.streamlit_version = "1.67.0"
    ns.initialize.environment_info.python_version = PYTHON
    ns.initialize.environment_info.server_os = "linux"
    ns.initialize.user_info.installation_id = "machine-derived-id"
    ns.initialize.user_info.installation_id_v3 = "machine-derived-id"
    ns.initialize.session_id = "kept-session-id"
    ns.main_script_path = "/srv/clinic/app.py"
    ns.page_script_hash = "kept-hash"
    return msg


def test_new_session_keeps_what_the_browser_needs_and_drops_the_rest() -> None:
    out = scrub(new_session().SerializeToString())
    assert out is not None
    msg = ForwardMsg.FromString(out)
    ns = msg.new_session
    assert ns.main_script_path == "app.py"
    assert ns.initialize.environment_info.python_version == ""
    assert ns.initialize.environment_info.server_os == ""
    assert ns.initialize.user_info.installation_id == ""
    assert ns.initialize.user_info.installation_id_v3 == ""
    # Kept: the browser reloads after an upgrade by comparing the version; the session goes on.
    assert ns.initialize.environment_info.streamlit_version == "1.67.0"
    assert ns.initialize.session_id == "kept-session-id" and ns.page_script_hash == "kept-hash"


def test_git_information_is_never_sent() -> None:
    msg = ForwardMsg()
    msg.git_info_changed.repository = "clinic/private-repo"
    msg.git_info_changed.branch = "main"
    msg.git_info_changed.untracked_files.append("secrets-backup.toml")
    assert scrub(msg.SerializeToString()) is None


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param(b"\xff\xfe not a protobuf", id="undecodable"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00" * (LARGEST_CHECKED + 1), id="large-element"),
    ],
)
def test_other_frames_pass_unchanged(frame: bytes) -> None:
    assert scrub(frame) == frame


def test_an_element_passes_byte_for_byte() -> None:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "/srv/clinic/app.py is text the app chose to show"
    frame = msg.SerializeToString()
    assert scrub(frame) == frame


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("stream")
    with running(
        folder / "server.log", {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 's.db'}"}
    ) as started:
        yield started


def test_no_version_path_or_machine_id_reaches_the_browser(server: Server) -> None:
    with session(server.base) as tab:
        tab.run(("nav.start",))
        git = BackMsg()
        git.load_git_info = True  # what Streamlit's deploy button asks; any browser can
        tab.send(git)
        tab.run()
        sent = bytes(tab.received)
        first = tab.new_session
    assert first.initialize.session_id  # the session itself works
    leaks = [PYTHON, platform.python_version(), str(ROOT), str(Path.home()), "linux"]
    assert [value for value in leaks if value.encode() in sent] == []
    assert first.main_script_path == "app.py"
    assert not first.initialize.user_info.installation_id
