"""Whose contact request this is, for the limits per tab and per client address
(screening/records/storage/quotas.py); the address is hashed with web/common/client_address.py's
key."""

from __future__ import annotations

import streamlit as st

from screening.records.storage import Quota

from ..common import client_address
from . import state


def quota() -> Quota:
    """The quota of this tab at its client address."""
    return Quota.of(st.session_state[state.TAB], client_address.address(), client_address.key())
