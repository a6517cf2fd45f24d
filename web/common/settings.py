"""The app's settings: screening/settings.py's precedence, with Streamlit's view of the secrets
file (the same file the command line reads; tests can set st.secrets without writing one)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from screening.settings import Settings, resolve


def _secrets() -> Mapping[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return {}


def current() -> Settings:
    """The settings in force now (environment, then secrets, then defaults)."""
    return resolve(os.environ, _secrets())
