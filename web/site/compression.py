"""Brotli or gzip on every text response; never on the WebSocket.

Streamlit's own server sends its page and its JavaScript bundle uncompressed (about 2.7 MB on a
first visit). Here:

- Streamlit's bundle (/static/..., content-hashed files served as immutable) is compressed once
  per file and encoding, at its first request, in a worker thread, and then served from memory:
  never again per request. Only the files browsers actually ask for are kept (about 0.7 MB for a
  first visit in both encodings).
- Everything else (the page, JSON, robots.txt, text downloads) is compressed per response by
  Starlette's GZipMiddleware machinery (content types already compressed, 206 and already
  encoded responses are left alone), with a Brotli responder built on the same base.

The browser's Accept-Encoding decides: Brotli when it accepts "br", gzip otherwise, nothing when
it asks for neither. Inner layers never see Accept-Encoding, so Streamlit's own gzip for a few of
its routes does not run and there is one place that decides.
"""

from __future__ import annotations

import asyncio
import gzip
import zlib
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    GZipResponder,
    IdentityResponder,
)

from .server_types import ASGIApp, Message, Receive, Scope, Send

BUNDLE_TREE = "/static/"
# Below this a response is sent as it is: the headers would eat the saving.
MINIMUM_SIZE = 500
# Quality 9, not 11: on this machine 11 took 9.5 s for Streamlit's largest chunk (4.7 MB) and
# 9 took 0.6 s, for 11% more bytes. A person's first visit must not wait on a cold cache.
BUNDLE_BROTLI_QUALITY = 9
# Per response: fast, and still well ahead of gzip on HTML and JSON.
DYNAMIC_BROTLI_QUALITY = 5
GZIP_LEVEL = 9
# Large bodies are compressed in a worker thread: the event loop carries every open session.
THREAD_MINIMUM_SIZE = 128 * 1024
EXCLUDED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf")
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
CONDITIONAL = (b"if-none-match", b"if-modified-since", b"range", b"if-range")


def chosen_encoding(accept_encoding: str) -> str | None:
    """"br", "gzip" or None for an Accept-Encoding header (codings with q=0 are refused)."""
    accepted: set[str] = set()
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip()
        if q.startswith("q="):
            try:
                if float(q[2:]) <= 0:
                    continue
            except ValueError:
                continue
        accepted.add(name.strip().lower())
    if "br" in accepted:
        return "br"
    if "gzip" in accepted or "*" in accepted:
        return "gzip"
    return None


def encode(body: bytes, encoding: str, quality: int = BUNDLE_BROTLI_QUALITY) -> bytes:
    """The whole body in `encoding` ("br" or "gzip")."""
    if encoding == "br":
        return bytes(brotli.compress(body, quality=quality, mode=brotli.MODE_TEXT))
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def compressible(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media.startswith(COMPRESSIBLE)


class BrotliResponder(IdentityResponder):
    """Starlette's GZipResponder with Brotli as the coding (same rules for what is left alone)."""

    content_encoding = "br"

    def __init__(self, app: ASGIApp, minimum_size: int, quality: int) -> None:
        super().__init__(app, minimum_size, exclude_content_types=EXCLUDED)
        self.quality = quality
        self._compressor: Any = None

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if len(body) >= THREAD_MINIMUM_SIZE:
            return await anyio.to_thread.run_sync(self._compress_body, body, more_body)
        return self._compress_body(body, more_body)

    def _compress_body(self, body: bytes, more_body: bool) -> bytes:
        if self._compressor is None:
            self._compressor = brotli.Compressor(quality=self.quality, mode=brotli.MODE_TEXT)
        out = self._compressor.process(body)
        return bytes(out + (self._compressor.flush() if more_body else self._compressor.finish()))


@dataclass
class Encoded:
    """One bundle file in one encoding, as sent."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class BundleCache:
    """Compressed copies of bundle files, made once per (path, encoding) and kept."""

    entries: dict[tuple[str, str], Encoded | None] = field(default_factory=dict)
    locks: dict[tuple[str, str], asyncio.Lock] = field(default_factory=dict)
    encodings_made: int = 0  # how many times a file was compressed (tests read it)

    async def make(
        self, key: tuple[str, str], start: Message, body: bytes
    ) -> Encoded | None:
        """The compressed copy of a complete 200 response, or None when it is not text."""
        headers = Headers(raw=start.get("headers", []))
        if (
            start["status"] != 200
            or "content-encoding" in headers
            or "set-cookie" in headers
            or not compressible(headers.get("content-type", ""))
            or len(body) < MINIMUM_SIZE
        ):
            return None
        encoded = await anyio.to_thread.run_sync(encode, body, key[1])
        self.encodings_made += 1
        kept = MutableHeaders(raw=[(k, v) for k, v in start["headers"] if k != b"etag"])
        # The identity file's ETag would name different bytes: the copy has none (it is
        # immutable and content-hashed; Last-Modified still answers a revalidation).
        kept["content-encoding"] = key[1]
        kept["content-length"] = str(len(encoded))
        kept.add_vary_header("Accept-Encoding")
        return Encoded(200, kept.raw, encoded)


class Compression:
    """The outermost layer: chooses the coding and compresses (see the module's docstring)."""

    def __init__(self, app: ASGIApp, cache: BundleCache | None = None) -> None:
        self.app = app
        self.cache = cache if cache is not None else BundleCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # the WebSocket is never touched
            return
        request = Headers(scope=scope)
        encoding = chosen_encoding(request.get("accept-encoding", ""))
        inner = dict(scope)
        inner["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        bundle = scope["method"] == "GET" and scope["path"].startswith(BUNDLE_TREE)
        if bundle and encoding is not None:
            await self._bundle(inner, receive, send, encoding)
            return
        responder: ASGIApp
        if encoding == "br":
            responder = BrotliResponder(self.app, MINIMUM_SIZE, DYNAMIC_BROTLI_QUALITY)
        elif encoding == "gzip":
            responder = GZipResponder(
                self.app, MINIMUM_SIZE, GZIP_LEVEL, exclude_content_types=EXCLUDED
            )
        else:  # sends as it is, with Vary: Accept-Encoding on what it would have compressed
            responder = IdentityResponder(self.app, MINIMUM_SIZE, exclude_content_types=EXCLUDED)
        await responder(inner, receive, send)

    async def _bundle(self, scope: Scope, receive: Receive, send: Send, encoding: str) -> None:
        key = (scope["path"], encoding)
        conditional = any(k in CONDITIONAL for k, _ in scope["headers"])
        if key in self.cache.entries and not conditional:
            entry = self.cache.entries[key]
            if entry is not None:
                await _send(send, entry)
                return
            await self.app(scope, receive, send)  # not text: as Streamlit serves it
            return
        start: Message | None = None
        body: list[bytes] = []
        passed = False

        async def held(message: Message) -> None:
            nonlocal start, passed
            if passed:
                await send(message)
            elif message["type"] == "http.response.start":
                if message["status"] != 200:  # 304, 206, 404: as they are
                    passed = True
                    await send(message)
                else:
                    start = message
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            else:
                await send(message)

        await self.app(scope, receive, held)
        if passed or start is None:
            return
        payload = b"".join(body)
        async with self.cache.locks.setdefault(key, asyncio.Lock()):
            if key not in self.cache.entries:
                self.cache.entries[key] = await self.cache.make(key, start, payload)
        entry = self.cache.entries[key]
        if entry is None:
            await send(start)
            await send({"type": "http.response.body", "body": payload})
        else:
            await _send(send, entry)


async def _send(send: Send, entry: Encoded) -> None:
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})


def decode(body: bytes, encoding: str | None) -> bytes:
    """The identity bytes of a response body (tests and the benchmark check with it)."""
    if encoding == "br":
        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    return body
