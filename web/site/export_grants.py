"""Staff exports (contact CSV, screenings CSV, FHIR) bound to the signed-in browser, and revoked
at sign-out.

Streamlit serves a download from /media/<id> to anyone who has the address, for minutes, and
runs a deferred download for any session that names its id. So: signing in grants this browser
(our own random cookie, BROWSER_COOKIE, set on the page by web/site/server.py) a token; an export is
built only while its grant is live, and the digest of its bytes is recorded with the grant.
web/site/media_guard.py then serves such a file only to a request carrying that same browser cookie
while the grant is live. Sign-out (or the end of the sign-in) revokes the grant at once.
Process-wide, as Streamlit's media files are (sessions are sticky to one replica).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

BROWSER_COOKIE = "screening_browser"


class Revoked(PermissionError):
    """The export's sign-in has ended: nothing is built."""


@dataclass
class Grants:
    """Live grants (token -> browser cookie) and the digests of the files made under them."""

    _live: dict[str, str | None] = field(default_factory=dict)
    _files: dict[str, str] = field(default_factory=dict)  # sha256 of the bytes -> grant
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def grant(self, browser: str | None) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            self._live[token] = browser
        return token

    def revoke(self, token: str) -> None:
        with self._lock:
            self._live.pop(token, None)  # its digests stay known, so they are refused

    def build(self, token: str, make: Callable[[], bytes]) -> bytes:
        """Make an export for a live grant and remember its digest; Revoked otherwise."""
        with self._lock:
            if token not in self._live:
                raise Revoked("the staff sign-in has ended")
        data = make()
        with self._lock:
            if token not in self._live:
                raise Revoked("the staff sign-in has ended")
            self._files[hashlib.sha256(data).hexdigest()] = token
        return data

    def verdict(self, data: bytes, browser: str | None) -> bool | None:
        """None: not a staff export. True: a live grant's file asked for by its browser."""
        with self._lock:
            token = self._files.get(hashlib.sha256(data).hexdigest())
            if token is None:
                return None
            owner = self._live.get(token)
            return token in self._live and owner is not None and owner == browser


grants = Grants()
