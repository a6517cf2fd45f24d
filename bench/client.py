"""A browser tab without a browser: speaks Streamlit's WebSocket protocol to one app session.

A rerun is a BackMsg.rerun_script carrying the query string and the full widget state the
browser holds (a widget left out returns to its default); the server answers with ForwardMsgs
until script_finished. Radios and multiselects travel as their formatted labels; a button press
is a trigger_value sent with one rerun only. Widget ids end with `-<key>`. A widget drawn inside
an st.fragment carries the fragment's id; changing it reruns only that fragment, as the browser
does: the rerun names the fragment and the rest of the screen stays as it was.

One interaction is timed from sending the rerun to its script_finished.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

# The element types whose value the browser keeps and sends back with every rerun.
VALUED = ("radio", "multiselect")
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


class ProtocolError(Exception):
    """The server answered something a browser would show as a failure."""


@dataclass
class Widget:
    id: str
    kind: str
    options: tuple[str, ...] = ()
    state: WidgetState | None = None  # what the browser would send for it
    fragment: str = ""  # the st.fragment it was drawn in, if any


@dataclass
class Drawn:
    """What one script run put on the screen (only what the load client needs)."""

    widgets: dict[str, Widget] = field(default_factory=dict)  # by key
    headline: str | None = None  # the first alert that starts with "### " (the result)
    downloads: dict[str, Element] = field(default_factory=dict)  # download buttons by key
    exception: str | None = None
    sent: int = 0  # elements the run sent (a fragment's run sends only its own)


def key_of(widget_id: str) -> str:
    """`$$ID-<hash>-q.rf_lump` -> `q.rf_lump`."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 else widget_id


async def http_get(
    url: str, cookie: str = "", timeout: float = 30
) -> tuple[int, dict[str, list[str]], bytes]:
    """A plain HTTP/1.1 GET (no dependency): status, headers (lower-case names), body."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(headers.get("transfer-encoding", [])):
        body = _unchunk(body)
    return int(status_line.split()[1]), headers, body


def _unchunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


class Visit:
    """One browser tab: a WebSocket to one session and the widget state a browser keeps."""

    def __init__(self, base: str, ws: ClientConnection, query: str, cookie: str, timeout: float):
        self.base = base
        self.ws = ws
        self.query = query
        self.cookie = cookie
        self.timeout = timeout
        self.page_hash = ""
        self.session_id = ""
        self.drawn = Drawn()
        self.latencies: list[float] = []

    @classmethod
    async def open(
        cls, base: str, query: str, *, fetch_page: bool = False, timeout: float = 60
    ) -> Visit:
        """Connect as a browser does; with fetch_page, load the HTML page first and keep its
        cookies (a proxy's sticky-session cookie)."""
        cookie = ""
        if fetch_page:
            status, headers, _ = await http_get(f"{base}/?{query}", timeout=timeout)
            if status != 200:
                raise ProtocolError(f"page answered {status}")
            cookie = "; ".join(c.split(";", 1)[0] for c in headers.get("set-cookie", []))
        ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        ws = await asyncio.wait_for(
            connect(
                ws_url,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                additional_headers={"Cookie": cookie} if cookie else None,
                compression=None,
                max_size=None,
                ping_interval=None,  # the browser sends no WebSocket pings either
                open_timeout=timeout,
            ),
            timeout,
        )
        return cls(base, ws, query, cookie, timeout)

    async def close(self) -> None:
        await self.ws.close()

    async def start(self) -> Drawn:
        """The first run: the page as the browser first shows it."""
        return await self._rerun()

    async def click(self, key: str) -> Drawn:
        widget = self._widget(key, "button")
        return await self._rerun(WidgetState(id=widget.id, trigger_value=True))

    async def choose(self, key: str, labels: str | list[str]) -> Drawn:
        """Give a radio (one label) or a multiselect (a list) a value, as a tap would."""
        widget = self._widget(key, "multiselect" if isinstance(labels, list) else "radio")
        if isinstance(labels, list):
            state = WidgetState(id=widget.id)
            state.string_array_value.data.extend(labels)
        else:
            state = WidgetState(id=widget.id, string_value=labels)
        widget.state = state
        return await self._rerun(fragment=widget.fragment)

    async def file_url(self, key: str) -> str:
        """A download button's /media/ address, as the browser gets it: a deferred file is built
        by the server when asked; either kind is then served by the process that holds it."""
        element = self.drawn.downloads.get(key)
        if element is None:
            raise ProtocolError(f"no download button {key}")
        button = element.download_button
        if not button.deferred_file_id:
            return button.url
        request_id = str(uuid.uuid4())
        msg = BackMsg()
        msg.backend_operation_request.request_id = request_id
        msg.backend_operation_request.session_id = self.session_id
        msg.backend_operation_request.deferred_file.file_id = button.deferred_file_id
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = await self._receive()
            reply = fwd.backend_operation_response
            if fwd.HasField("backend_operation_response") and reply.request_id == request_id:
                if reply.error_msg:
                    raise ProtocolError(f"download refused: {reply.error_msg}")
                return reply.deferred_file.url

    async def download(self, key: str) -> tuple[int, bytes]:
        """Fetch a download button's file (with this tab's cookies): status and bytes."""
        status, _, body = await http_get(self.base + await self.file_url(key), self.cookie)
        return status, body

    def _widget(self, key: str, kind: str) -> Widget:
        widget = self.drawn.widgets.get(key)
        if widget is None or widget.kind != kind:
            raise ProtocolError(f"no {kind} {key} on the screen")
        return widget

    async def _receive(self) -> ForwardMsg:
        raw = await asyncio.wait_for(self.ws.recv(), self.timeout)
        msg = ForwardMsg()
        msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
        return msg

    async def _rerun(self, trigger: WidgetState | None = None, fragment: str = "") -> Drawn:
        msg = BackMsg()
        state: ClientState = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.fragment_id = fragment
        state.context_info.url = f"{self.base}/?{self.query}"
        state.context_info.locale = "en-US"
        state.context_info.timezone = "America/Chicago"
        widgets = [w.state for w in self.drawn.widgets.values() if w.state is not None]
        state.widget_states.widgets.extend(widgets + ([trigger] if trigger else []))
        began = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        # A fragment's run redraws only the fragment: everything else stays on the screen.
        drawn = Drawn(widgets=dict(self.drawn.widgets)) if fragment else Drawn()
        while True:
            fwd = await self._receive()
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":  # the browser's address follows the app's
                self.query = fwd.page_info_changed.query_string
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note(fwd.delta.new_element, drawn, fwd.delta.fragment_id)
            elif kind == "script_finished" and fwd.script_finished != FINISHED_EARLY:
                break
            elif kind == "script_finished":
                drawn = Drawn()  # st.rerun(): the server starts the next (whole) run itself
        self.latencies.append(time.perf_counter() - began)
        if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            raise ProtocolError("the script did not compile")
        if drawn.exception:
            raise ProtocolError(f"the page showed an exception: {drawn.exception}")
        self.drawn = drawn
        return drawn

    def _note(self, element: Element, drawn: Drawn, fragment: str = "") -> None:
        drawn.sent += 1
        kind = element.WhichOneof("type")
        if kind == "exception":
            drawn.exception = f"{element.exception.type}: {element.exception.message}"[:200]
        elif kind == "alert" and drawn.headline is None and element.alert.body.startswith("###"):
            drawn.headline = element.alert.body.lstrip("# ")
        elif kind == "download_button":
            drawn.downloads[key_of(element.download_button.id)] = element
        elif kind == "button":
            drawn.widgets[key_of(element.button.id)] = Widget(element.button.id, "button")
        elif kind in VALUED:
            proto = element.radio if kind == "radio" else element.multiselect
            before = self.drawn.widgets.get(key_of(proto.id))
            widget = Widget(proto.id, kind, tuple(proto.options), fragment=fragment)
            if proto.set_value:  # the server set the value (session state): the browser takes it
                widget.state = WidgetState(id=proto.id)
                if kind == "radio" and element.radio.HasField("raw_value"):
                    widget.state.string_value = element.radio.raw_value
                elif kind == "multiselect":
                    widget.state.string_array_value.data.extend(element.multiselect.raw_values)
                else:
                    widget.state = None
            elif before is not None and before.id == proto.id:
                widget.state = before.state  # the browser keeps what it had
            drawn.widgets[key_of(proto.id)] = widget
