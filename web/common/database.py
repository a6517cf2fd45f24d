"""The shared store of the configured database: one engine (a connection pool) per process and
database URL, for the self-check and the staff pages alike."""

from __future__ import annotations

import logging

import streamlit as st

from screening.errors import StorageError
from screening.records.storage import Lifetime, ResumeStore, Store, open_store

from . import settings

log = logging.getLogger("screening.app")


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    # One engine (a connection pool) per process and database, shared by every session. A
    # failure raises, so it is not cached and the next page view tries again.
    return open_store(url)


def store() -> Store | None:
    """The shared store of the configured database, or None while it cannot be reached."""
    try:
        return _store(settings.current().database_url)
    except StorageError as exc:
        log.error("database unavailable: %s", exc)
        return None


def resume_points() -> ResumeStore | None:
    """Where people are in the check, in the same database (so every replica finds a place
    another one kept), with the lifetimes in force; None while it cannot be reached."""
    now = settings.current()
    idle, keep = now.seconds("resume_idle_seconds"), now.seconds("resume_keep_seconds")
    try:
        return _resume(now.database_url, idle, keep)
    except StorageError as exc:
        log.error("database unavailable: %s", exc)
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _resume(url: str, idle: float, keep: float) -> ResumeStore:
    # One per database and lifetimes, on the database's shared engine.
    return ResumeStore(_store(url).engine, Lifetime(idle, keep))
