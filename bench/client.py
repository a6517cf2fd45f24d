"""A browser tab without a browser: speaks Streamlit's WebSocket protocol to one app session.

The one client of the protocol: the load benchmark drives it directly (asyncio, timed), and the
server tests through tests/streamlit_client.py, a synchronous facade over the same class.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NewSession_pb2 import NewSession
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

# Widgets that are pressed, not set: their trigger travels with one rerun and is not kept.
PRESSED = ("button", "download_button")
# The elements whose words a person reads (their `body`), collected for tests to look at.
TEXT_ELEMENTS = ("markdown", "alert", "heading", "text", "code", "caption")
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
    """What one script run put on the screen."""

    widgets: dict[str, Widget] = field(default_factory=dict)  # by key
    headline: str | None = None  # the first alert that starts with "### " (the result)
    downloads: dict[str, Element] = field(default_factory=dict)  # download buttons by key
    texts: list[str] = field(default_factory=list)  # the words of its text elements, in order
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


def _server_value(kind: str, proto: Any) -> WidgetState | None:
    """The value the server set for a widget (session state), as the browser then sends it."""
    state = WidgetState(id=proto.id)
    if kind == "multiselect":
        state.string_array_value.data.extend(proto.raw_values)
    elif kind == "radio" and proto.HasField("raw_value"):
        state.string_value = proto.raw_value
    elif kind == "text_input" and proto.HasField("value"):
        state.string_value = proto.value
    elif kind == "checkbox":
        state.bool_value = proto.value
    else:
        return None
    return state


class Visit:
    """One browser tab: a WebSocket to one session and the widget state a browser keeps."""

    def __init__(
        self, base: str, ws: ClientConnection, query: str, cookie: str, timeout: float
    ) -> None:
        self.base = base
        self.ws = ws
        self.query = query
        self.cookie = cookie
        self.timeout = timeout
        self.page_name = ""  # the page's url path, as the browser's address gives it ("staff")
        self.page_hash = ""
        self.session_id = ""
        self.new_session: NewSession | None = None  # the server's settings for the browser
        self.drawn = Drawn()
        self.latencies: list[float] = []
        self.received: bytearray | None = None  # every byte the server sent, when kept

    @classmethod
    async def open(
        cls,
        base: str,
        query: str,
        *,
        page: str = "",
        headers: dict[str, str] | None = None,
        fetch_page: bool = False,
        keep_bytes: bool = False,
        timeout: float = 60,
    ) -> Visit:
        """Connect as a browser does; with fetch_page, load the HTML page first and keep its
        cookies (a proxy's sticky-session cookie). `headers` go with the WebSocket's request
        (Origin, X-Forwarded-For); with keep_bytes every byte received is kept in `received`."""
        cookie = ""
        if fetch_page:
            status, answered, _ = await http_get(f"{base}/?{query}", timeout=timeout)
            if status != 200:
                raise ProtocolError(f"page answered {status}")
            cookie = "; ".join(c.split(";", 1)[0] for c in answered.get("set-cookie", []))
        sent = dict(headers or {})
        if cookie:
            sent["Cookie"] = cookie
        ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        ws = await asyncio.wait_for(
            connect(
                ws_url,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                additional_headers=sent or None,
                compression=None,
                max_size=None,
                ping_interval=None,  # the browser sends no WebSocket pings either
                open_timeout=timeout,
            ),
            timeout,
        )
        visit = cls(base, ws, query, cookie, timeout)
        visit.page_name = page
        if keep_bytes:
            visit.received = bytearray()
        return visit

    async def close(self) -> None:
        await self.ws.close()

    async def start(self) -> Drawn:
        """The first run: the page as the browser first shows it."""
        return await self.rerun()

    async def click(self, key: str) -> Drawn:
        return await self.rerun(press=(key,))

    async def choose(self, key: str, labels: str | list[str]) -> Drawn:
        """Give a radio (one label) or a multiselect (a list) a value, as a tap would: only
        the widget's fragment reruns, if it has one."""
        if isinstance(labels, list):
            widget = self._widget(key, "multiselect")
            widget.state = WidgetState(id=widget.id)
            widget.state.string_array_value.data.extend(labels)
        else:
            widget = self.set(key, string_value=labels)
        return await self.rerun(fragment=widget.fragment)

    def set(self, key: str, **value: Any) -> Widget:
        """Give a widget on the screen a value (string_value, bool_value, ...) without a rerun:
        it travels with every rerun from now on, as long as the widget stays on the screen."""
        widget = self._widget(key)
        widget.state = WidgetState(id=widget.id, **value)
        return widget

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
        await self.send(msg)
        while True:
            fwd = await self.receive()
            reply = fwd.backend_operation_response
            if fwd.HasField("backend_operation_response") and reply.request_id == request_id:
                if reply.error_msg:
                    raise ProtocolError(f"download refused: {reply.error_msg}")
                return reply.deferred_file.url

    async def download(self, key: str) -> tuple[int, bytes]:
        """Fetch a download button's file (with this tab's cookies): status and bytes."""
        status, _, body = await http_get(self.base + await self.file_url(key), self.cookie)
        return status, body

    async def send(self, msg: BackMsg) -> None:
        """Any message a browser could send (for tests of what the server does with it)."""
        await self.ws.send(msg.SerializeToString())

    async def receive(self, timeout: float | None = None) -> ForwardMsg:
        raw = await asyncio.wait_for(self.ws.recv(), timeout or self.timeout)
        data = raw if isinstance(raw, bytes) else raw.encode()
        if self.received is not None:
            self.received += data
        msg = ForwardMsg()
        msg.ParseFromString(data)
        return msg

    async def rerun(self, press: Iterable[str] = (), fragment: str = "") -> Drawn:
        """One rerun with every value set so far, `press`ed buttons (by key) triggered."""
        triggers = [WidgetState(id=self._widget(key).id, trigger_value=True) for key in press]
        began = time.perf_counter()
        await self.send(self._rerun_message(triggers, fragment))
        # A fragment's run redraws only the fragment: everything else stays on the screen.
        drawn = self._blank(fragment)
        while True:
            fwd = await self.receive()
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.new_session = fwd.new_session
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind == "navigation" and fwd.navigation.page_script_hash:
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

    def _widget(self, key: str, kind: str = "") -> Widget:
        widget = self.drawn.widgets.get(key)
        if widget is None or kind not in ("", widget.kind):
            raise ProtocolError(f"no {kind or 'widget'} {key} on the screen")
        return widget

    def _rerun_message(self, triggers: list[WidgetState], fragment: str) -> BackMsg:
        msg = BackMsg()
        state: ClientState = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = self.page_name
        state.fragment_id = fragment
        state.context_info.url = f"{self.base}/{self.page_name}?{self.query}"
        state.context_info.locale = "en-US"
        state.context_info.timezone = "America/Chicago"
        widgets = [w.state for w in self.drawn.widgets.values() if w.state is not None]
        state.widget_states.widgets.extend(widgets + triggers)
        return msg

    def _blank(self, fragment: str) -> Drawn:
        if not fragment:
            return Drawn()
        # The words outside the fragment stay too; the fragment's own come after them.
        return Drawn(widgets=dict(self.drawn.widgets), texts=list(self.drawn.texts))

    def _note(self, element: Element, drawn: Drawn, fragment: str = "") -> None:
        drawn.sent += 1
        kind = element.WhichOneof("type") or ""
        proto = getattr(element, kind, None)
        if kind == "exception":
            drawn.exception = f"{element.exception.type}: {element.exception.message}"[:200]
        elif kind in TEXT_ELEMENTS:
            body = str(getattr(proto, "body", ""))
            drawn.texts.append(body)
            if kind == "alert" and drawn.headline is None and body.startswith("###"):
                drawn.headline = body.lstrip("# ")
        wid = getattr(proto, "id", "")
        if not (isinstance(wid, str) and wid.startswith("$$ID-")):
            return
        if kind == "download_button":
            drawn.downloads[key_of(wid)] = element
        widget = Widget(wid, kind, tuple(getattr(proto, "options", ())), fragment=fragment)
        if kind not in PRESSED:
            before = self.drawn.widgets.get(key_of(wid))
            if getattr(proto, "set_value", False):  # the server set it: the browser takes it
                widget.state = _server_value(kind, proto)
            elif before is not None and before.id == wid:
                widget.state = before.state  # the browser keeps what it had
        drawn.widgets[key_of(wid)] = widget
