"""Files every site has: robots.txt and the clinic's favicon (assets/favicon.*, drawn by
`make favicon`). Without these routes Streamlit answered /robots.txt with its page and
/favicon.png with its own logo."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from screening.questionnaire.loader import ROOT

ROBOTS_PATH = "/robots.txt"
# The address Streamlit's page links to, and the one its scripts set again when app.py gives no
# page_icon. A page_icon file would be read, decoded and registered as a download on every
# script run (measured: the real app's server CPU per tap doubled in bench/compare.py).
FAVICON_PNG_PATH = "/favicon.png"
FAVICON_ICO_PATH = "/favicon.ico"  # the path browsers and crawlers try on their own
FAVICON_PNG = ROOT / "assets" / "favicon.png"
FAVICON_ICO = ROOT / "assets" / "favicon.ico"
PATHS = frozenset({ROBOTS_PATH, FAVICON_PNG_PATH, FAVICON_ICO_PATH})
# The self-check is public and may be found by search engines; the staff pages may not.
ROBOTS = "User-agent: *\nAllow: /\nDisallow: /staff\n"
DAY = "public, max-age=86400"  # not immutable: the address stays when the picture changes


async def robots(_request: Request) -> Response:
    return PlainTextResponse(ROBOTS, headers={"cache-control": DAY})


async def favicon_png(_request: Request) -> Response:
    return FileResponse(FAVICON_PNG, media_type="image/png", headers={"cache-control": DAY})


async def favicon_ico(_request: Request) -> Response:
    return FileResponse(
        FAVICON_ICO, media_type="image/vnd.microsoft.icon", headers={"cache-control": DAY}
    )
