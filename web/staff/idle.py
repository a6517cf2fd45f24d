"""The idle sign-out on screen: a timer that reruns the page once the sign-in has been idle for
staff_idle_minutes, so the dashboard's data leave the screen of an unattended computer instead
of waiting for the next click. The timer's own runs are not activity (access.idle_left does not
touch the sign-in); the sign-out itself happens in access.current, which every run calls."""

from __future__ import annotations

import streamlit as st

from . import access

CHECK_SECONDS = 30.0


@st.fragment(run_every=CHECK_SECONDS)
def watch() -> None:
    left = access.idle_left()
    if left is not None and left <= 0:
        st.rerun(scope="app")
