"""The client's address, for the limits that count per address (contact requests, the staff
sign-in lock-out), and the key it is hashed with before it goes anywhere.

The address comes from the connection (behind nginx, uvicorn takes it from X-Forwarded-For sent
by the proxy on loopback). The key is address_key from the settings when set (every replica needs
the same one to share the per-address counts), else a random key of this process, so that a
stolen database says nothing about who asked.
"""

from __future__ import annotations

import secrets

import streamlit as st

from . import settings

_process_key = secrets.token_bytes(32)


def key() -> bytes:
    """The key that client addresses are hashed with."""
    configured = settings.current().get("address_key").value
    return str(configured).encode() if configured else _process_key


def address() -> str | None:
    """This session's client address; None for loopback (Streamlit gives none) and in AppTest
    (whose context has a stand-in object instead)."""
    try:
        found = st.context.ip_address
    except Exception:  # no request context
        return None
    return found if isinstance(found, str) else None
