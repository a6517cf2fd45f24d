"""An optional e-mail to the clinic when a contact request arrives: "New contact request" and a
link to the staff dashboard, never a name, a contact detail, an answer or a result.

Settings come from secrets ([smtp] host, port, user, password, from, to, starttls); without an
[smtp] table nothing is sent. The mail goes out from a background thread with a short timeout,
so the person's submit never waits for it or fails because of it; a failure is logged by its
kind only. Mails are spaced at least PACE seconds apart: a burst of requests (or someone
flooding the form) gives one mail, and the dashboard lists them all.

The link comes from clinic.yaml's public_url only. The address a browser reports is not used:
any visitor could make it point anywhere, and the mail goes to the clinic's staff.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from screening.records.outreach import base_address

from . import content as loading
from . import settings as configured

log = logging.getLogger("screening.app")
SECRET = "smtp"
TIMEOUT = 10.0
PACE = 60.0
SUBJECT = "New contact request"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True  # port 465 uses TLS from the start instead


def settings_from(raw: Mapping[str, object]) -> SmtpSettings:
    """The [smtp] table as settings; ValueError naming what is missing or wrong."""
    host, sender, to = raw.get("host"), raw.get("from"), raw.get("to")
    recipients = (to,) if isinstance(to, str) else tuple(to) if isinstance(to, list) else ()
    if not isinstance(host, str) or not host:
        raise ValueError("[smtp] host is missing")
    if not isinstance(sender, str) or "@" not in sender:
        raise ValueError("[smtp] from is missing or not an address")
    if not recipients or not all(isinstance(r, str) and "@" in r for r in recipients):
        raise ValueError("[smtp] to is missing or not an address (or a list of them)")
    port = raw.get("port", 587)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError("[smtp] port must be a number")
    user, password = raw.get("user"), raw.get("password")
    return SmtpSettings(
        host=host,
        sender=sender,
        to=tuple(str(r) for r in recipients),
        port=port,
        user=str(user) if user else None,
        password=str(password) if password else None,
        starttls=bool(raw.get("starttls", True)),
    )


def message(settings: SmtpSettings, dashboard_url: str | None) -> EmailMessage:
    """The notice itself: the same few lines every time, with the dashboard's address."""
    where = (
        f"Open the staff dashboard to see it:\n{dashboard_url}"
        if dashboard_url
        else "Open the staff dashboard (/staff on the self-check's address) to see it."
    )
    mail = EmailMessage()
    mail["Subject"] = SUBJECT
    mail["From"] = settings.sender
    mail["To"] = ", ".join(settings.to)
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    mail.set_content(
        "A new contact request came in through the facial movement self-check.\n\n"
        f"{where}\n\n"
        "On purpose, this e-mail holds no names, contact details or answers.\n"
    )
    return mail


def send(settings: SmtpSettings, mail: EmailMessage, timeout: float = TIMEOUT) -> None:
    """Deliver one mail; raises on any failure."""
    tls = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.port == 465:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=tls)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    with smtp:
        if settings.starttls and settings.port != 465:
            smtp.starttls(context=tls)
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(mail)


class Pacer:
    """Lets one mail through per `every` seconds, across threads."""

    def __init__(self, every: float = PACE, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self._clock = clock
        self._guard = threading.Lock()
        self._last: float | None = None

    def ready(self) -> bool:
        with self._guard:
            now = self._clock()
            if self._last is not None and now - self._last < self.every:
                return False
            self._last = now
            return True


_pacer = Pacer()


def dashboard_address() -> str | None:
    """public_url + staff, from clinic.yaml; None when it is not set."""
    content = loading.load()
    public = None if isinstance(content, loading.Unavailable) else content.clinic.public_url
    return base_address(public) + "staff" if public else None


def _settings() -> SmtpSettings | None:
    raw = configured.current().get(SECRET).value
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        log.error("new-request notices are off: [smtp] in secrets is not a table")
        return None
    try:
        return settings_from(raw)
    except ValueError as exc:
        log.error("new-request notices are off: %s", exc)  # names a setting, never a value
        return None


def new_request(dashboard_url: str | None = None) -> threading.Thread | None:
    """Tell the clinic that a contact request came in, without waiting; the sending thread
    (None when notices are off or one went out less than PACE seconds ago)."""
    try:
        settings = _settings()
        if settings is None or not _pacer.ready():
            return None
        mail = message(settings, dashboard_url or dashboard_address())
    except Exception as exc:  # a notice must never break the person's submit
        log.warning("the new-request notice was not prepared (%s)", type(exc).__name__)
        return None
    worker = threading.Thread(target=_deliver, args=(settings, mail), name="notify", daemon=True)
    worker.start()
    return worker


def _deliver(settings: SmtpSettings, mail: EmailMessage) -> None:
    try:
        send(settings, mail)
    except Exception as exc:  # logged by kind only: the error text may hold addresses
        log.warning("the new-request notice was not sent (%s)", type(exc).__name__)
