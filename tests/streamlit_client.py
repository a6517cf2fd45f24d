"""A browserless client of the real server: Streamlit's WebSocket protocol, as a browser speaks it.

Connect to ws://HOST/_stcore/stream (subprotocol "streamlit"); every rerun is a BackMsg carrying
the full widget state; ForwardMsgs are read until the run finishes. Widgets are addressed by key
(their ids end in -<key>); a radio's value travels as its shown label. Used by the server tests
(SIGKILL during submissions, logs, staff data) where AppTest's in-process runner is not enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
TEXT_ELEMENTS = ("markdown", "alert", "heading", "text", "code", "caption")


@dataclass
class Widget:
    id: str
    kind: str
    proto: Any


@dataclass
class Session:
    """One browser tab: a WebSocket, the widgets on screen, and every byte the server sent."""

    ws: ClientConnection
    query: str
    page_name: str = ""  # the page's url path, as the browser's address gives it ("staff")
    page_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)
    values: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> what we set
    texts: list[str] = field(default_factory=list)  # the text elements of the last run
    received: bytearray = field(default_factory=bytearray)
    new_session: Any = None  # the server's first message: its settings for the browser

    def run(self, triggers: tuple[str, ...] = (), timeout: float = 30) -> Session:
        """One rerun with the values set so far (and `triggers` pressed, by key)."""
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query
        client.page_script_hash = self.page_hash
        client.page_name = self.page_name
        on_screen = {w.id for w in self.widgets.values()}
        for wid, state in self.values.items():
            if wid in on_screen:
                client.widget_states.widgets.append(state)
        for key in triggers:
            pressed = client.widget_states.widgets.add()
            pressed.id = self.widgets[key].id
            pressed.trigger_value = True
        self.ws.send(msg.SerializeToString())
        self._read(timeout)
        return self

    def _read(self, timeout: float) -> None:
        widgets: dict[str, Widget] = {}
        texts: list[str] = []
        while True:
            raw = self.ws.recv(timeout=timeout)
            assert isinstance(raw, bytes)
            self.received += raw
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.new_session = fwd.new_session
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "page_info_changed":  # the browser's address follows the app's
                self.query = fwd.page_info_changed.query_string
            elif kind == "navigation":
                if fwd.navigation.page_script_hash:
                    self.page_hash = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                name = element.WhichOneof("type") or ""
                proto = getattr(element, name)
                wid = getattr(proto, "id", "")
                if isinstance(wid, str) and wid.startswith("$$ID-"):
                    key = wid.split("-", 2)[2]
                    widgets[key] = Widget(wid, name, proto)
                if name in TEXT_ELEMENTS:
                    texts.append(str(getattr(proto, "body", "")))
            elif kind == "script_finished" and fwd.script_finished != FINISHED_EARLY:
                break
        self.widgets, self.texts = widgets, texts

    def choose(self, key: str, index: int) -> None:
        """Pick a radio's option by its position."""
        widget = self.widgets[key]
        self._set(widget, string_value=widget.proto.options[index])

    def type(self, key: str, text: str) -> None:
        self._set(self.widgets[key], string_value=text)

    def tick(self, key: str, on: bool = True) -> None:
        self._set(self.widgets[key], bool_value=on)

    def press(self, key: str) -> Session:
        return self.run(triggers=(key,))

    def _set(self, widget: Widget, **value: Any) -> None:
        state = WidgetState(id=widget.id, **value)
        self.values[widget.id] = state

    def shown(self) -> str:
        return "\n".join(self.texts).replace("\\", "")


@contextmanager
def session(base: str, query: str = "", page: str = "", **headers: str) -> Iterator[Session]:
    """A new tab on `base` (http://host:port)/`page`, opened with its first run done."""
    url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    with connect(
        url,
        subprotocols=["streamlit"],  # type: ignore[list-item]
        additional_headers=headers or None,
        max_size=None,
        open_timeout=10,
    ) as ws:
        tab = Session(ws, query, page)
        tab.run()
        yield tab


# --- the self-check through the protocol -------------------------------------------------------

# A person with nothing notable (questionnaire contract 2): no warning sign, a palsy years ago,
# seen by a doctor, an eye that closes, full recovery; every other flag and movement: no, never.
SAFE = {
    "rf_stroke_signs": "no", "rf_new_weakness": "no", "rf_breathing": "no",
    "hx_age": "40_64", "hx_palsy": "yes", "hx_onset": "1_5y", "hx_seen_doctor": "yes",
    "hx_eye_closes": "yes", "hx_recovery": "full", "hx_side": "left",
}  # fmt: skip
CONSULT = {**SAFE, "eye_narrows_smile": "always"}  # a key sign always: a consult result


def answer_all(tab: Session, options: dict[str, list[str]], answers: dict[str, str]) -> None:
    """Answer every radio question on screen (and those that appear after), then press Next.

    `options`: question id -> its option ids in order; questions not in `answers`: never or no
    (a question with neither, such as the age, must be in `answers`)."""
    while True:
        new = [
            key
            for key, w in tab.widgets.items()
            if key.startswith("q.") and w.kind == "radio" and w.id not in tab.values
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


def to_result(tab: Session, options: dict[str, list[str]], answers: dict[str, str]) -> Session:
    """From the welcome page to the result, answering as `answers` says."""
    tab.press("nav.start")
    for _ in range(10):
        if not any(key.startswith("q.") for key in tab.widgets):
            return tab  # the result page (or an emergency stop)
        answer_all(tab, options, answers)
        if any(key.startswith("q.") for key in tab.widgets):
            tab.press("nav.next")
    raise AssertionError("the questionnaire did not end")


def send_contact(tab: Session, **fields: str) -> Session:
    """Fill the contact form (name, phone, email, note), tick consent, press Send."""
    for name, text in fields.items():
        tab.type(f"contact.{name}", text)
    tab.tick("contact.consent")
    return tab.press("contact.submit")
