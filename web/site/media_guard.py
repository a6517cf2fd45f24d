"""/media/* as served to browsers: never cached, and staff exports only to their own signed-in
browser (web/site/export_grants.py). Pure ASGI around Streamlit's media route."""

from __future__ import annotations

from http.cookies import SimpleCookie

from .export_grants import BROWSER_COOKIE, Grants, grants
from .server_types import ASGIApp, Message, Receive, Scope, Send

MEDIA = "/media/"


def cookie(scope: Scope, name: str) -> str | None:
    """One cookie of the request, or None."""
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is simply no cookie
                return None
            if name in jar:
                return jar[name].value
    return None


class MediaGuard:
    """Holds a /media response until it is complete, then sends it with no-store, or a 404 when
    it is a staff export this browser may not have (any more)."""

    def __init__(self, app: ASGIApp, registry: Grants = grants) -> None:
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(MEDIA):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        # Whole files only: a range of an export would not match its digest.
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]
        browser = cookie(scope, BROWSER_COOKIE)
        start: Message | None = None
        body: list[bytes] = []

        async def held(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            payload = b"".join(body)
            allowed = self.registry.verdict(payload, browser) if start["status"] == 200 else None
            if allowed is False:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 404,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"cache-control", b"no-store"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b"Not found"})
                return
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"cache-control"]
            await send({**start, "headers": [*headers, (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": payload})

        await self.app(scope, receive, held)
