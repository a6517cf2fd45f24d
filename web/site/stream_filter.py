"""What Streamlit tells every visitor's browser about the server, taken out of the WebSocket.

Streamlit's first message of every script run (ForwardMsg.new_session) carries the Python
version, the server's operating system, a machine-derived installation id and the absolute path
of app.py; any browser can also ask for the git repository's name, branch and lists of changed
files (ForwardMsg.git_info_changed, for Streamlit's deploy button). The browser uses all of them
only for usage statistics (off here) and that button (hidden here), so they are blanked (the
script path becomes its file name) and git information is never sent. The Streamlit version is
kept: the browser compares it across reconnects to reload after an upgrade, and Streamlit's own
JavaScript bundle, served to everyone, states it anyway.
"""

from __future__ import annotations

from pathlib import PurePath

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .server_types import ASGIApp, Message, Receive, Scope, Send

STREAM_PATH = "/_stcore/stream"
# Frames larger than this are elements (tables, pictures), never the messages scrubbed here;
# they are passed on without being decoded.
LARGEST_CHECKED = 1024 * 1024


def scrub(frame: bytes) -> bytes | None:
    """The frame to send instead of `frame`; None when it must not be sent at all."""
    if len(frame) > LARGEST_CHECKED:
        return frame
    msg = ForwardMsg()
    try:
        msg.ParseFromString(frame)
    except Exception:  # protobuf's DecodeError (its module has no type information)
        return frame
    kind = msg.WhichOneof("type")
    if kind == "git_info_changed":
        return None
    if kind != "new_session":
        return frame
    session = msg.new_session
    environment = session.initialize.environment_info
    environment.python_version = ""
    environment.server_os = ""
    user = session.initialize.user_info
    user.installation_id = user.installation_id_v3 = user.installation_id_v4 = ""
    session.main_script_path = PurePath(session.main_script_path).name
    return bytes(msg.SerializeToString())


class StreamFilter:
    """Scrubs the server's WebSocket messages to the browser (see scrub)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or not scope["path"].endswith(STREAM_PATH):
            await self.app(scope, receive, send)
            return

        async def scrubbed(message: Message) -> None:
            frame = message.get("bytes")
            if message["type"] == "websocket.send" and isinstance(frame, bytes):
                replaced = scrub(frame)
                if replaced is None:
                    return
                message = {**message, "bytes": replaced}
            await send(message)

        await self.app(scope, receive, scrubbed)
