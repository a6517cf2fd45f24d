"""The tables as the queries see them. migrations/*.sql create them; a test keeps both in step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..channel import KEYS as UTM_KEYS


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as UTC without a zone."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times given to storage must carry a time zone (use UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = sa.MetaData()


def _utm() -> list[sa.Column[Any]]:
    return [sa.Column(key, sa.String(100)) for key in UTM_KEYS]


events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("step", sa.String(40)),
    sa.Column("tier", sa.String(20)),
    sa.Column("lang", sa.String(5), nullable=False),
    *_utm(),
    sa.Column("dedupe_key", sa.String(64), unique=True),
)
screenings = sa.Table(
    "screenings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("questionnaire_version", sa.String(40), nullable=False),
    sa.Column("lang", sa.String(5), nullable=False),
    sa.Column("tier", sa.String(20), nullable=False),
    sa.Column("score", sa.Integer),
    sa.Column("reasons", sa.Text, nullable=False),  # JSON list of reason ids
    sa.Column("answers", sa.Text, nullable=False),  # JSON object: question id -> option id(s)
    *_utm(),
    # JSON: question id -> the camera aid's measurement (records/measurement.py); shared only
    sa.Column("phone_measurements", sa.Text),
    sa.Column("idempotency_key", sa.String(64), unique=True),
)
consent_texts = sa.Table(
    "consent_texts",
    metadata,
    sa.Column("version", sa.String(16), primary_key=True),
    sa.Column("lang", sa.String(5), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False),
)
contact_requests = sa.Table(
    "contact_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id")),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("phone", sa.String(20)),
    sa.Column("email", sa.String(254)),
    sa.Column("preferred_way", sa.String(10)),
    sa.Column("preferred_time", sa.String(10)),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("lang", sa.String(5), nullable=False),
    *_utm(),
    sa.Column("consent_version", sa.String(16), nullable=False),
    sa.Column("consent_at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Column("handled_at", UTCDateTime),  # 0002
)
sign_in_lockout = sa.Table(  # 0005 (0003's one shared row is gone)
    "sign_in_lockout",
    metadata,
    sa.Column("sender_digest", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("locks", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.Double, nullable=False),  # seconds since 1970
    sa.Column("last_failure", sa.Double, nullable=False),  # seconds since 1970
)
account_lockout = sa.Table(  # 0009: per account and address
    "account_lockout",
    metadata,
    sa.Column("lock_key", sa.String(100), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("locks", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.Double, nullable=False),
    sa.Column("last_failure", sa.Double, nullable=False),
)
staff_accounts = sa.Table(  # 0008
    "staff_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("password_hash", sa.String(512)),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),
    sa.Column("totp_secret", sa.String(64)),  # 0012
    sa.Column("totp_last_step", sa.BigInteger),  # 0012
)
staff_policy = sa.Table(  # 0012
    "staff_policy",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)
audit_trail = sa.Table(  # 0010
    "audit_trail",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(254), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target", sa.String(254)),
    sa.Column("row_count", sa.Integer),
    sa.Column("detail", sa.String(200)),
    sa.Column("address", sa.String(64)),
)
call_attempts = sa.Table(  # 0011
    "call_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "contact_id",
        sa.BigInteger,
        sa.ForeignKey("contact_requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("staff", sa.String(254), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)
contact_quota = sa.Table(  # 0004
    "contact_quota",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("tab_digest", sa.String(64), nullable=False),
    sa.Column("sender_digest", sa.String(64), nullable=False),
)
resume_points = sa.Table(  # 0006
    "resume_points",
    metadata,
    sa.Column("id_digest", sa.String(64), primary_key=True),
    sa.Column("created", sa.Double, nullable=False),  # seconds since 1970
    sa.Column("touched", sa.Double, nullable=False),  # seconds since 1970
    sa.Column("state", sa.Text, nullable=False),  # JSON: screen, language, answers
)
schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)

CONTACT_COLUMNS = (
    "id", "created_at", "name", "phone", "email", "preferred_way", "preferred_time", "note",
    "lang", *UTM_KEYS, "tier", "reasons", "screening_id", "consent_version", "consent_at",
    "handled_at", "phone_measurements",
)  # fmt: skip
AUDIT_COLUMNS = ("id", "at", "actor", "action", "target", "row_count", "detail", "address")
SCREENING_COLUMNS = (
    "id", "created_at", "questionnaire_version", "lang", *UTM_KEYS, "tier", "reasons", "score",
    "answers",
)  # fmt: skip
