"""What the web server adds around Streamlit: security headers on every response, a 404 for
paths it has nothing at, link-preview tags in the page's HTML, the preview picture, and a
readiness probe.

Pure ASGI (no Streamlit session involved), so it works the same under `streamlit run asgi.py`
and under uvicorn behind a proxy.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from screening.errors import ContentError, StorageError
from screening.questionnaire.loader import ROOT, load_clinic, load_questionnaire
from screening.questionnaire.models import LANGUAGES, Clinic, Questionnaire
from screening.records.storage import Store, open_store
from screening.settings import SecretsFileError, from_files

from ..common.content import paths
from .content_policy import policy
from .export_grants import BROWSER_COOKIE
from .media_guard import cookie
from .server_types import ASGIApp, Message, Receive, Scope, Send
from .site_files import PATHS as SITE_FILES

SHARE_IMAGE = ROOT / "assets" / "share.png"
SHARE_PATH = "/share.png"
# Paths that serve the app's HTML page: the url_path of every st.Page in app.py (a test keeps
# both in step).
PAGE_PATHS = frozenset({"/", "/staff"})
READY_PATH = "/ready"
# Everything else the server answers: our routes (robots.txt and the favicon too) and Streamlit's
# own trees (its protocol and health, its bundle, downloads, components). Any other path is a
# 404: without this, Streamlit answers every path with its page and a 200.
KNOWN_PATHS = PAGE_PATHS | SITE_FILES | {READY_PATH, SHARE_PATH, "/manifest.json"}
KNOWN_TREES = ("/_stcore/", "/static/", "/media/", "/component/")
# Streamlit answers a file missing from its bundle with its page: that is a 404 here too.
BUNDLE_TREE = "/static/"
NOT_FOUND = b"Not found\n"


def known(path: str) -> bool:
    """Whether the server has something at `path` (already percent-decoded, without the query);
    dot segments never count, whatever follows them."""
    if path in KNOWN_PATHS:
        return True
    segments = path.split("/")
    return path.startswith(KNOWN_TREES) and "." not in segments and ".." not in segments


def security_headers(clinic: Clinic | None) -> list[tuple[bytes, bytes]]:
    """Headers for every response. Framing is allowed for the app itself and for the sites
    clinic.yaml names, so the clinic can embed the check in its own pages and nobody else can."""
    return [
        (b"x-content-type-options", b"nosniff"),
        # The address may carry utm_* values: never pass it on to another site.
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", policy(clinic.frame_ancestors if clinic else ()).encode()),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]


# Open Graph locales of the check's languages (the clinic is in the United States).
LOCALES = {"en": "en_US", "es": "es_US"}


def share_tags(q: Questionnaire, clinic: Clinic, lang: str = "en") -> str:
    """<title> and Open Graph / Twitter card tags in `lang` (a ?lang=es link previews in
    Spanish). Previews need absolute addresses: og:image and og:url come from clinic.yaml's
    public_url (`python -m screening check` warns when it is missing)."""
    title = f"{q.title.get(lang)} · {clinic.name}"
    description = q.ui.share_description.get(lang)
    public = clinic.public_url.rstrip("/") if clinic.public_url else None
    image = f"{public}{SHARE_PATH}" if public else SHARE_PATH
    tags = {
        "og:type": "website",
        "og:site_name": clinic.name,
        "og:title": title,
        "og:description": description,
        "og:image": image,
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": q.title.get(lang),
        "og:locale": LOCALES.get(lang, "en_US"),
    }
    lines = [
        f"<title>{html.escape(title)}</title>",
        f'<meta name="description" content="{html.escape(description)}">',
    ]
    lines += [f'<meta property="{k}" content="{html.escape(v)}">' for k, v in tags.items()]
    lines += [
        f'<meta property="og:locale:alternate" content="{LOCALES[other]}">'
        for other in LANGUAGES
        if other != lang and other in LOCALES
    ]
    if public:
        url = f"{public}/" + ("" if lang == "en" else f"?lang={lang}")
        lines.append(f'<meta property="og:url" content="{html.escape(url)}">')
    lines += [
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:title" content="{html.escape(title)}">',
        f'<meta name="twitter:description" content="{html.escape(description)}">',
        f'<meta name="twitter:image" content="{html.escape(image)}">',
    ]
    return "\n".join(lines)


def page_language(scope: Scope, offered: Mapping[str, str]) -> str:
    """The language a page's preview is in: ?lang= when it names one offered, else English."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
    return asked if asked in offered else "en"


def inject(page: bytes, tags: str) -> bytes:
    """Replace Streamlit's generic <title> with our tags (or put them first in <head>)."""
    text = page.decode("utf-8")
    start, end = text.find("<title>"), text.find("</title>")
    if start != -1 and end > start:
        text = text[:start] + tags + text[end + len("</title>") :]
    else:
        text = text.replace("<head>", "<head>\n" + tags, 1)
    return text.encode("utf-8")


class SiteMiddleware:
    """Adds the security headers everywhere and the share tags to the app's HTML pages."""

    def __init__(
        self, app: ASGIApp, clinic: Clinic | None, tags: Mapping[str, str] | None
    ) -> None:
        self.app = app
        self.headers = security_headers(clinic)
        self.tags = tags

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not known(scope["path"]):
            await self._not_found(send)
            return
        page = self.tags is not None and scope["method"] == "GET" and scope["path"] in PAGE_PATHS
        # The browser's own random id, which staff exports are bound to (web/site/export_grants.py).
        browser_cookie = (
            f"{BROWSER_COOKIE}={secrets.token_hex(16)}; Path=/; HttpOnly; SameSite=Strict"
            if scope["path"] in PAGE_PATHS and cookie(scope, BROWSER_COOKIE) is None
            else None
        )
        if page:  # an uncompressed page, so the tags can be put in
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        start: Message | None = None
        body: list[bytes] = []

        bundle = scope["path"].startswith(BUNDLE_TREE)
        replaced = False

        async def wrapped(message: Message) -> None:
            nonlocal start, replaced
            if replaced:
                return  # the body of Streamlit's page, answered with a 404 instead
            if message["type"] == "http.response.start":
                if bundle and _is_html(message):
                    replaced = True
                    await self._not_found(send)
                    return
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {name for name, _ in self.headers}
                ]
                message = {**message, "headers": headers + self.headers}
                if browser_cookie is not None:
                    message["headers"].append((b"set-cookie", browser_cookie.encode()))
                content_type = dict(headers).get(b"content-type", b"")
                if page and content_type.startswith(b"text/html"):
                    start = message  # hold it: the length changes once the tags are in
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                tags = self.tags or {}
                payload = inject(b"".join(body), tags.get(page_language(scope, tags), ""))
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(payload)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": payload})
            else:
                await send(message)

        await self.app(scope, receive, wrapped)

    async def _not_found(self, send: Send) -> None:
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(NOT_FOUND)).encode()),
            (b"cache-control", b"no-store"),
            *self.headers,
        ]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
        await send({"type": "http.response.body", "body": NOT_FOUND})


def _is_html(start: Message) -> bool:
    headers = dict(start.get("headers", []))
    return bool(headers.get(b"content-type", b"").startswith(b"text/html"))


def site_parts() -> tuple[Clinic | None, dict[str, str] | None]:
    """The clinic and the share tags of each language it offers, or None for what cannot be
    loaded (the app itself then shows its "temporarily unavailable" page; headers still go out
    with safe defaults)."""
    questions, clinic_path = paths()  # the files the app itself loads
    # Any failure at all leaves the defaults: the server must start and show the unavailable page.
    try:
        clinic = load_clinic(clinic_path)
    except Exception:
        return None, None
    try:
        q = load_questionnaire(questions)
        return clinic, {lang: share_tags(q, clinic, lang) for lang in clinic.languages}
    except Exception:
        return clinic, None


async def share_image(_request: Request) -> Response:
    return FileResponse(
        SHARE_IMAGE, media_type="image/png", headers={"cache-control": "public, max-age=86400"}
    )


_stores: dict[str, Store] = {}


def _shared_store(url: str) -> Store:
    # One engine per configured database: a changed secrets file is probed at its new URL.
    if url not in _stores:
        _stores[url] = open_store(url)
    return _stores[url]


async def ready(_request: Request) -> Response:
    """200 only when the questionnaire loads and the database answers (for load balancers).

    The checks read files and wait on the database: they run in a worker thread so a probe
    never stalls the event loop that carries every open session."""
    return await run_in_threadpool(_readiness)


def _readiness() -> Response:
    questions, clinic_path = paths()
    try:
        load_questionnaire(questions)
        load_clinic(clinic_path)
    except ContentError:
        return PlainTextResponse("content files have problems", status_code=503)
    try:
        url = from_files().database_url  # the database the app and the commands use
        _shared_store(url).ping()
    except SecretsFileError:
        return PlainTextResponse("the secrets file cannot be read", status_code=503)
    except StorageError:
        return PlainTextResponse("database unreachable", status_code=503)
    return PlainTextResponse("ready")
