"""What the clinic keeps: funnel counts, anonymous screenings, contact requests, staff accounts and
the audit trail. The only package that talks to the database (SQLAlchemy 2; SQLite by default,
PostgreSQL by URL).

Every Store method commits before it returns (a saved request is saved) and turns any database
failure into StorageError, so a page can tell the person plainly. Never stored: the public's IP
addresses (the audit trail keeps those of staff actions), user agents, cookies, anything from a
third party. Times are UTC.
"""

from ...errors import StorageError
from . import event_writer
from .accounts import AccountError, StoredAccounts
from .audit import ACTIONS, COMMAND_LINE, SHARED, AuditTrail, Entry
from .callbacks import StoredCalls
from .database import DEFAULT_URL, ENV_URL, upgrade
from .lockouts import LOCAL, AccountLockout, StoredLockout, account_key, sender
from .quotas import Quota, address_digest
from .resume import Lifetime, ResumeStore
from .schema import AUDIT_COLUMNS, CONTACT_COLUMNS, SCREENING_COLUMNS
from .store import EVENT_KINDS, Purged, Store, event_row, open_store

__all__ = [
    "ACTIONS",
    "AUDIT_COLUMNS",
    "COMMAND_LINE",
    "CONTACT_COLUMNS",
    "DEFAULT_URL",
    "ENV_URL",
    "EVENT_KINDS",
    "LOCAL",
    "SCREENING_COLUMNS",
    "SHARED",
    "AccountError",
    "AccountLockout",
    "AuditTrail",
    "Entry",
    "Lifetime",
    "Purged",
    "Quota",
    "ResumeStore",
    "StorageError",
    "Store",
    "StoredAccounts",
    "StoredCalls",
    "StoredLockout",
    "account_key",
    "address_digest",
    "event_row",
    "event_writer",
    "open_store",
    "sender",
    "upgrade",
]
