"""What the clinic keeps: funnel counts, anonymous screenings, contact requests. The only package
that talks to the database (SQLAlchemy 2; SQLite by default, PostgreSQL by URL).

Every Store method commits before it returns (a saved request is saved) and turns any database
failure into StorageError, so a page can tell the person plainly. Never stored: IP addresses,
user agents, cookies, anything from a third party. Times are UTC.
"""

from ...errors import StorageError
from . import event_writer
from .database import DEFAULT_URL, ENV_URL, upgrade
from .lockouts import LOCAL, StoredLockout, sender
from .quotas import Quota, address_digest
from .resume import Lifetime, ResumeStore
from .schema import CONTACT_COLUMNS, SCREENING_COLUMNS
from .store import EVENT_KINDS, Purged, Store, event_row, open_store

__all__ = [
    "CONTACT_COLUMNS",
    "DEFAULT_URL",
    "ENV_URL",
    "EVENT_KINDS",
    "LOCAL",
    "SCREENING_COLUMNS",
    "Lifetime",
    "Purged",
    "Quota",
    "ResumeStore",
    "StorageError",
    "Store",
    "StoredLockout",
    "address_digest",
    "event_row",
    "event_writer",
    "open_store",
    "sender",
    "upgrade",
]
