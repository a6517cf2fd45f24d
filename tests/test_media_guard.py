"""/media downloads: never cached; a staff export only for the browser that signed in, and
only until sign-out (web/site/media_guard.py, web/site/export_grants.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.site.export_grants import BROWSER_COOKIE, Grants, Revoked
from web.site.media_guard import MediaGuard

EXPORT = b"id,name\r\n1,Ana Exportee\r\n"
SUMMARY = b"%PDF- the person's own summary"


@dataclass
class Answer:
    status_code: int
    headers: dict[str, str]
    content: bytes


class Client:
    """Calls an ASGI app in process, as one browser with one cookie jar."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def get(self, path: str, headers: dict[str, str]) -> Answer:
        sent = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        if self.cookies:
            jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            sent.append((b"cookie", jar.encode()))
        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "headers": sent, "scheme": "http",
                 "server": ("test", 80), "client": ("127.0.0.1", 1), "root_path": "",
                 "http_version": "1.1", "asgi": {"version": "3.0"}}  # fmt: skip
        out: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            out.append(message)

        asyncio.run(self.app(scope, receive, send))
        start = out[0]
        found = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        body = b"".join(m.get("body", b"") for m in out[1:])
        return Answer(start["status"], found, body)


def client(registry: Grants) -> Client:
    files = {"export.csv": EXPORT, "summary.pdf": SUMMARY}

    async def media(request: Request) -> Response:
        body = files[request.path_params["name"]]
        if "range" in request.headers:  # as Streamlit does: part of the file
            body = body[:5]
        return Response(body, media_type="application/octet-stream")

    app = Starlette(routes=[Route("/media/{name}", media)])
    return Client(MediaGuard(app, registry))


def get(c: Client, path: str, browser: str | None, **headers: str) -> Answer:
    c.cookies = {} if browser is None else {BROWSER_COOKIE: browser}
    return c.get(path, headers)


def test_an_export_goes_only_to_its_signed_in_browser_until_sign_out() -> None:
    registry = Grants()
    grant = registry.grant("browser-A")
    assert registry.build(grant, lambda: EXPORT) == EXPORT
    c = client(registry)
    mine = get(c, "/media/export.csv", "browser-A")
    assert (mine.status_code, mine.content) == (200, EXPORT)
    assert mine.headers["cache-control"] == "no-store"
    assert get(c, "/media/export.csv", "browser-B").status_code == 404
    assert get(c, "/media/export.csv", None).status_code == 404
    assert get(c, "/media/export.csv", None, Range="bytes=0-4").status_code == 404  # no part
    registry.revoke(grant)  # sign-out
    gone = get(c, "/media/export.csv", "browser-A")
    assert gone.status_code == 404 and b"Ana" not in gone.content
    with pytest.raises(Revoked):  # and a deferred download is not even built
        registry.build(grant, lambda: EXPORT)


def test_other_downloads_are_served_but_never_cached() -> None:
    c = client(Grants())
    response = get(c, "/media/summary.pdf", None)
    assert (response.status_code, response.content) == (200, SUMMARY)
    assert response.headers["cache-control"] == "no-store"


def test_a_grant_without_a_browser_cookie_serves_nobody() -> None:
    registry = Grants()
    grant = registry.grant(None)
    registry.build(grant, lambda: EXPORT)
    assert get(client(registry), "/media/export.csv", None).status_code == 404
