"""The staff sign-in at /staff. Shows no data; app.py swaps in the dashboard after sign-in."""

from __future__ import annotations

import math

import streamlit as st

from web.common import browser
from web.staff import access

st.set_page_config(page_title="Staff sign-in")
st.title("Staff sign-in")
browser.style()  # the same focus rings and 24 px targets as the self-check
current = access.setting()

if current.state == "missing":
    st.info("No staff password is set, so the dashboard is switched off.")
    st.markdown(
        "To switch it on:\n"
        "1. Run `python -m screening staff-password` and type a password of 12 characters "
        "or more. It prints a hash that starts with `$argon2id$`.\n"
        "2. Put the hash in `.streamlit/secrets.toml` as "
        '`staff_password_hash = "$argon2id$..."`, or in the environment variable '
        f"`{access.ENV_HASH}`.\n"
        "3. Restart the app."
    )
    st.stop()

if current.state == "malformed":
    st.error(
        f"The staff password hash in {current.where} is not a valid argon2 hash, so nobody can "
        "sign in. Make a new one with `python -m screening staff-password` and replace it "
        "(copy the whole line it prints), then restart the app."
    )
    st.stop()

MESSAGES = {
    "wrong": "That password is not right.",
    "empty": "Type the staff password.",
    "signed_out": "You are signed out.",
}
message = st.session_state.pop(access.MESSAGE, None)
wait = access.lock_wait()
if wait is None or message == "unavailable":
    st.warning(
        "Sign-in is not possible right now: the database that counts wrong passwords cannot be "
        "reached. Try again in a few minutes; if it goes on, see the server log."
    )
elif wait > 0:
    st.warning(
        f"Too many wrong passwords from this network. Sign-in from here is locked for "
        f"{math.ceil(wait)} more seconds. Whoever runs the app can lift it sooner."
    )
elif message in MESSAGES:
    (st.info if message == "signed_out" else st.error)(MESSAGES[message])

with st.form("staff.form", enter_to_submit=True):
    st.text_input(
        "Staff password",
        type="password",
        key=access.PASSWORD,
        max_chars=access.PASSWORD_MAX,
        autocomplete="current-password",
    )
    st.form_submit_button("Sign in", key=access.LOGIN, type="primary", on_click=access.sign_in)
