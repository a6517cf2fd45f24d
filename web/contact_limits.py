"""Whose contact request this is, for the limits per tab and per client address
(screening/storage/quotas.py).

The address comes from the connection (behind nginx, uvicorn takes it from X-Forwarded-For sent
by the proxy on loopback). It is hashed with a key before it goes anywhere: address_key from the
settings when set (every replica needs the same one to share the per-address counts), else a
random key of this process, so that a stolen database says nothing about who asked.
"""

from __future__ import annotations

import secrets

import streamlit as st

from screening.storage import Quota

from . import settings, state

_process_key = secrets.token_bytes(32)


def _key() -> bytes:
    configured = settings.current().get("address_key").value
    return str(configured).encode() if configured else _process_key


def quota() -> Quota:
    """The quota of this tab at its client address."""
    address = st.context.ip_address
    # Only a real address counts (AppTest's context has a stand-in object instead).
    return Quota.of(
        st.session_state[state.TAB], address if isinstance(address, str) else None, _key()
    )
