"""Serves the font subsets (web/site/font_subsets.py) at the addresses of Streamlit's fonts.

- Made once per process when a browser first asks for one of the two fonts (a server that no
  browser visits, such as most test servers, spends nothing), by a child process
  (`python -m web.site.font_subsets`, at a lower priority) that a background thread waits for:
  the server's interpreter never runs the subsetter (seconds of CPU, and about 38 MB a process
  keeps after it) and holds only the two subsets, about 40 KB. Nothing is written to disk:
  Streamlit's package is read-only in the image.
- Until both are made, and for good if making them fails, the request goes on to Streamlit, which
  serves its original file: a visitor then downloads more, never a font with icons missing. The
  subsets replace the originals only once complete (one assignment of the finished dict).
- Sent as they are: woff2 is already Brotli inside, a second compression gains nothing
  (compression.py leaves font/* alone).
- Cached for a day and revalidated by ETag, not for a year as immutable like the rest of the
  bundle: the address is Streamlit's content hash of the *original* file, which stays the same
  when an app update changes the subset (a new icon in the code). A day bounds how long a browser
  could keep a subset that lacks a newly used icon; the ETag (from the subset's bytes) makes the
  daily check a 304 without a body while nothing changed. The subsets are the same bytes in every
  process (font_subsets.py keeps the fonts' timestamps), so any replica answers that check.

SCREENING_FONT_SUBSETS=off serves Streamlit's original fonts (an operator's way back without a
release; bench/fonts.py measures the difference with it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from starlette.datastructures import Headers

from screening.questionnaire.loader import ROOT
from screening.settings import BY_NAME, resolve

from .font_files import font_urls
from .server_types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("screening.app")

DAY = b"public, max-age=86400"
SWITCH = BY_NAME["font_subsets"].env or ""  # its environment variable; "off": the originals
# Making both takes 2-3 s of one core; a machine too busy for it within this keeps the originals.
CHILD_TIMEOUT_S = 300


def make_in_child() -> dict[str, bytes]:
    """The subsets, made by `python -m web.site.font_subsets` in a child process. Its output is
    never logged (a failure is reported by its kind only, by the caller)."""
    done = subprocess.run(
        [sys.executable, "-m", "web.site.font_subsets"],
        cwd=ROOT,
        capture_output=True,
        timeout=CHILD_TIMEOUT_S,
        check=True,  # CalledProcessError when it fails
    )
    made = {str(url): base64.b64decode(body) for url, body in json.loads(done.stdout).items()}
    if not made or any(body[:4] != b"wOF2" for body in made.values()):
        raise ValueError("the child's output is not woff2 fonts")
    return made


@dataclass(frozen=True)
class Served:
    """One subset as it is sent."""

    body: bytes
    etag: bytes

    @classmethod
    def of(cls, body: bytes) -> Served:
        return cls(body, b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"')


@dataclass
class Subsets:
    """The subsets of one process: made once, in the background, on first need."""

    make: Callable[[], Mapping[str, bytes]] = make_in_child
    served: dict[str, Served] | None = None  # None until made (or when making failed)
    failed: bool = False
    _started: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _done: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Begins making the subsets (once per process; later calls do nothing)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="font-subsets", daemon=True).start()

    def _run(self) -> None:
        try:
            made = {url: Served.of(body) for url, body in self.make().items()}
        except Exception as error:  # any failure: the originals stay, the site works
            # The exception's class only: no paths or values of this machine in the log.
            log.warning(
                "font subsets not made (%s); the original fonts are served", type(error).__name__
            )
            self.failed = True
        else:
            self.served = made  # one assignment: readers see nothing or everything
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether making has finished (tests and the benchmark wait on it)."""
        return self._done.wait(timeout)


class FontSubsets:
    """Answers GET and HEAD of Streamlit's two font addresses with their subsets once made."""

    def __init__(
        self, app: ASGIApp, subsets: Subsets | None = None, urls: frozenset[str] | None = None
    ) -> None:
        self.app = app
        self.subsets = subsets if subsets is not None else Subsets()
        if urls is None:
            urls = frozenset() if subsets_off() else font_urls()
        self.urls = urls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"] not in self.urls
        ):
            await self.app(scope, receive, send)
            return
        self.subsets.start()
        served = self.subsets.served
        subset = served.get(scope["path"]) if served is not None else None
        if subset is None:
            await self.app(scope, receive, send)  # Streamlit's original file
            return
        headers = [
            (b"content-type", b"font/woff2"),
            (b"cache-control", DAY),
            (b"etag", subset.etag),
        ]
        if _matches(Headers(scope=scope).get("if-none-match", ""), subset.etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(subset.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = subset.body if scope["method"] == "GET" else b""
        await send({"type": "http.response.body", "body": body})


def subsets_off() -> bool:
    """Whether the settings (screening/settings.py; the environment only, as the content files)
    ask for Streamlit's original fonts."""
    return str(resolve(os.environ, {}).get("font_subsets").value).strip().lower() == "off"


def _matches(if_none_match: str, etag: bytes) -> bool:
    """If-None-Match names this ETag (or "*"); weak and strong forms compare alike here."""
    wanted = etag.decode()
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False
