"""Tracked links for the clinic's outreach: the self-check's address with utm_* values. Pure.

Staff type the campaign name; it goes into the link only after channel.clean (the same safe set
of characters the app keeps when it reads a link) and only through urlencode, so no typed text
can add a parameter, a fragment or markup.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from .channel import clean

# Where a link is shared -> utm_medium.
MEDIUMS: dict[str, str] = {
    "instagram": "social",
    "facebook": "social",
    "tiktok": "social",
    "flyer": "print",
    "email": "email",
    "other": "referral",
}


def base_address(url: str) -> str:
    """The scheme, host and path of an http(s) address, ending in '/'; no query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the address must start with https:// (or http://) and name a host")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def site_root(url: str) -> str:
    """Only the scheme and host of an http(s) address, e.g. https://example.org/."""
    parts = urlsplit(base_address(url))
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def tracked_link(base: str, source: str, campaign: str, content: str | None = None) -> str:
    """The self-check's address with utm_source/medium/campaign (and utm_content when given)."""
    if source not in MEDIUMS:
        raise ValueError(f"unknown channel {source!r}; one of {', '.join(MEDIUMS)}")
    name = clean(campaign)
    if name is None:
        raise ValueError("the campaign name needs letters or digits")
    params = {"utm_source": source, "utm_medium": MEDIUMS[source], "utm_campaign": name}
    extra = clean(content)
    if extra is not None:
        params["utm_content"] = extra
    return base_address(base) + "?" + urlencode(params)


def file_stem(source: str, campaign: str) -> str:
    """A download file name for a link's QR code, e.g. selfcheck-flyer-fall-2026."""
    name = clean(campaign) or "campaign"
    slug = "-".join(name.lower().replace("_", " ").replace(".", " ").split())
    return f"selfcheck-{source}-{slug}"[:80]
