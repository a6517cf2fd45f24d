"""web/site/compression.py in process: which coding a browser gets, the bundle compressed once and
served from memory, the WebSocket and non-text responses untouched."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgi_support import http_request

from web.site.compression import BundleCache, Compression, chosen_encoding, decode, encode
from web.site.content_policy import MIRROR_MODELS

JS = b"function hello(){return 'a self-check';}\n" * 400  # about 16 KB of text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5", "br"),
        ("gzip;q=0", None),
        ("identity", None),
        ("", None),
        ("*", "gzip"),
        ("BR", "br"),
        ("br;q=x, gzip", "gzip"),
    ],
    ids=str,
)
def test_the_coding_comes_from_accept_encoding(header: str, expected: str | None) -> None:
    assert chosen_encoding(header) == expected


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_encode_round_trips(encoding: str) -> None:
    assert decode(encode(JS, encoding), encoding) == JS
    assert len(encode(JS, encoding)) < len(JS) / 10


class Bundle:
    """A stand-in for Streamlit's bundle route: counts how often it is asked."""

    def __init__(self, body: bytes = JS, content_type: bytes = b"text/javascript") -> None:
        self.body = body
        self.content_type = content_type
        self.calls = 0
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        self.seen.append(scope)
        if scope["type"] == "websocket":
            return
        headers = dict(scope["headers"])
        if headers.get(b"if-none-match") == b'"v1"':
            await send({"type": "http.response.start", "status": 304, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", self.content_type),
                    (b"content-length", str(len(self.body)).encode()),
                    (b"etag", b'"v1"'),
                    (b"cache-control", b"public, immutable, max-age=31536000"),
                ],
            }
        )
        # In two parts, as a file response may send it.
        half = len(self.body) // 2
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:]})


def get(
    app: Compression, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    return asyncio.run(request(app, path, method, headers))


async def request(
    app: Compression, path: str, method: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    # Keyword names stand for header names: accept_encoding is Accept-Encoding.
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    return await http_request(app, path, method, named)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_bundle_file_is_compressed_once_then_served_from_memory(encoding: str) -> None:
    bundle, cache = Bundle(), BundleCache()
    app = Compression(bundle, cache)
    bodies = []
    for _ in range(3):
        status, headers, body = get(app, "/static/js/index.abc.js", accept_encoding=encoding)
        assert status == 200
        assert headers["content-encoding"] == encoding
        assert headers["vary"] == "Accept-Encoding"
        assert headers["content-length"] == str(len(body))
        assert headers["cache-control"] == "public, immutable, max-age=31536000"
        assert "etag" not in headers  # the identity file's tag names other bytes
        assert decode(body, encoding) == JS
        bodies.append(body)
    assert cache.encodings_made == 1
    assert bundle.calls == 1  # the second and third came from memory
    assert bodies[0] is bodies[1] is bodies[2]  # the very same bytes object


def test_the_bundle_is_compressed_once_even_when_asked_for_at_once() -> None:
    bundle, cache = Bundle(), BundleCache()
    app = Compression(bundle, cache)

    async def many() -> list[tuple[int, dict[str, str], bytes]]:
        return await asyncio.gather(
            *(request(app, "/static/js/a.js", "GET", {"accept-encoding": "br"}) for _ in range(5))
        )

    answers = asyncio.run(many())
    assert cache.encodings_made == 1
    assert all(decode(body, "br") == JS for _, _, body in answers)


def test_each_coding_is_made_once_and_kept_apart() -> None:
    cache = BundleCache()
    app = Compression(Bundle(), cache)
    for encoding in ("br", "gzip", "br", "gzip"):
        _, headers, body = get(app, "/static/js/a.js", accept_encoding=encoding)
        assert headers["content-encoding"] == encoding and decode(body, encoding) == JS
    assert cache.encodings_made == 2


def test_without_accept_encoding_the_bundle_is_sent_as_it_is() -> None:
    bundle = Bundle()
    status, headers, body = get(Compression(bundle), "/static/js/a.js")
    assert status == 200 and body == JS
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"  # a cache must not hand this to a br browser


def test_a_revalidation_still_gets_its_304() -> None:
    app = Compression(Bundle())
    get(app, "/static/js/a.js", accept_encoding="br")
    status, _, body = get(app, "/static/js/a.js", accept_encoding="br", if_none_match='"v1"')
    assert status == 304 and body == b""


def test_pictures_and_fonts_are_not_compressed() -> None:
    for content_type in (b"image/png", b"font/woff2"):
        cache = BundleCache()
        app = Compression(Bundle(b"\x89PNG" + bytes(4000), content_type), cache)
        for _ in range(2):
            _, headers, body = get(app, "/static/media/x", accept_encoding="br")
            assert "content-encoding" not in headers and body.startswith(b"\x89PNG")
        assert cache.encodings_made == 0


def test_a_page_and_json_are_compressed_per_response() -> None:
    page = b"<!DOCTYPE html><html><body>" + b"<p>words</p>" * 200 + b"</body></html>"
    for content_type in (b"text/html; charset=utf-8", b"application/json"):
        app = Compression(Bundle(page, content_type))
        for encoding in ("br", "gzip"):
            _, headers, body = get(app, "/", accept_encoding=encoding)
            assert headers["content-encoding"] == encoding
            assert headers["vary"] == "Accept-Encoding"
            assert decode(body, encoding) == page
        _, headers, body = get(app, "/")
        assert "content-encoding" not in headers and body == page


def test_inner_layers_never_see_accept_encoding() -> None:
    # Streamlit gzips some of its routes itself: one layer decides, not two.
    bundle = Bundle()
    app = Compression(bundle)
    get(app, "/", accept_encoding="br")
    get(app, "/static/js/a.js", accept_encoding="gzip")
    for scope in bundle.seen:
        assert all(name != b"accept-encoding" for name, _ in scope["headers"])


def test_the_websocket_is_passed_on_untouched() -> None:
    bundle = Bundle()
    scope = {
        "type": "websocket",
        "path": "/_stcore/stream",
        "headers": [(b"accept-encoding", b"gzip, br")],
    }

    async def nothing() -> dict[str, Any]:
        return {}

    async def no_send(_message: dict[str, Any]) -> None:
        raise AssertionError("nothing is sent")

    asyncio.run(Compression(bundle)(scope, nothing, no_send))
    assert bundle.seen == [scope] and bundle.seen[0] is scope


def test_the_camera_aids_model_files_are_compressed_once_whatever_their_type() -> None:
    """WebAssembly and packed models (about 10 MB, web/selfcheck/mirror_files.py) are sent in
    Brotli and made once; the same types anywhere else are left alone."""
    wasm = b"\0asm" + bytes(range(256)) * 40
    cache = BundleCache()
    model = Bundle(wasm, b"application/wasm")
    app = Compression(model, cache)
    path = MIRROR_MODELS + "0.4/face_mesh_solution_simd_wasm_bin.wasm"
    for _ in range(3):
        status, headers, body = get(app, path, accept_encoding="gzip, br")
        assert status == 200 and headers["content-encoding"] == "br"
        assert decode(body, "br") == wasm and len(body) < len(wasm) / 4
    assert cache.encodings_made == 1 and model.calls == 1
    elsewhere = Compression(Bundle(wasm, b"application/wasm"), BundleCache())
    _, headers, body = get(elsewhere, "/static/x.wasm", accept_encoding="br")
    assert "content-encoding" not in headers and body == wasm
