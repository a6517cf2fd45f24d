"""The staff sign-in at /staff. Shows no data; app.py swaps in the dashboard after sign-in."""

from __future__ import annotations

import math

import streamlit as st

from web.common import browser
from web.staff import access, second_factor_form

st.set_page_config(page_title="Staff sign-in")
st.title("Staff sign-in")
browser.style()  # the same focus rings and 24 px targets as the self-check
count = access.account_count()
shared = count == 0  # no account yet: the shared password of old still signs in
current = access.setting()

if shared and current.state == "missing":
    st.info("No staff account exists yet, so the dashboard is switched off.")
    st.markdown(
        "To switch it on, whoever runs the app adds the first admin account:\n"
        "1. Run `python -m screening staff add you@clinic.example --role admin` and type a "
        "password of 12 characters or more.\n"
        "2. Sign in here with that e-mail and password, then add an account for each member "
        'of staff (README.md, "The staff dashboard").'
    )
    st.stop()

if shared and current.state == "malformed":
    st.error(
        f"The staff password hash in {current.where} is not a valid argon2 hash, so nobody can "
        "sign in. Make a new one with `python -m screening staff-password` and replace it "
        "(copy the whole line it prints), then restart the app. Better: add named accounts "
        "with `python -m screening staff add`."
    )
    st.stop()

MESSAGES = {
    "wrong": (
        "That password is not right."
        if shared
        else "That e-mail and password do not match an account that may sign in."
    ),
    "empty": "Type the staff password." if shared else "Type your e-mail and password.",
    "signed_out": "You are signed out.",
    "idle": "You were signed out after a while without activity. Sign in again.",
    "day_over": "Your sign-in lasted 12 hours, the longest one may. Sign in again.",
    "wrong_code": "That code is not right (or was used already). Type the code shown now.",
    "expired": "That took too long. Sign in again.",
    "sso_no_account": (
        "The account you signed in with at your organisation has no staff account here (or it "
        "is disabled). Ask an admin to add it with that e-mail."
    ),
}
message = st.session_state.pop(access.MESSAGE, None)
wait = access.lock_wait()
if wait is None or count is None or message == "unavailable":
    st.warning(
        "Sign-in is not possible right now: the database that counts wrong passwords cannot be "
        "reached. Try again in a few minutes; if it goes on, see the server log."
    )
elif wait > 0:
    st.warning(
        f"Too many wrong passwords from this network. Sign-in from here is locked for "
        f"{math.ceil(wait)} more seconds. Whoever runs the app can lift it sooner."
    )
elif message == "account_locked":
    st.warning(
        "Too many wrong passwords for this account from here: it is locked for a while. Other "
        "accounts can still sign in. An admin can lift it with `python -m screening unlock "
        "--account`."
    )
elif message in MESSAGES:
    (st.info if message in ("signed_out", "idle", "day_over") else st.error)(MESSAGES[message])

waiting = access.pending()
if waiting is not None:
    second_factor_form.show(*waiting)
    st.stop()

sso = access.sso_configured()
identity = access.sso_identity() if sso else None
if identity is not None and message in ("signed_out", "idle", "day_over"):
    st.logout()  # the provider's cookie goes too: the next person must sign in afresh
    st.stop()
if sso:
    if identity is None:
        if st.button("Sign in with your organisation's account", key=access.SSO_LOGIN,
                     type="primary"):  # fmt: skip
            st.login()
    else:
        st.text(f"Your organisation says you are {identity}.")
        st.button(f"Continue as {identity}", key=access.SSO_CONTINUE, type="primary",
                  on_click=access.sso_sign_in)  # fmt: skip
        if st.button("Use another account", key=access.SSO_OTHER):
            st.logout()
    if shared:
        st.stop()  # single sign-on needs accounts to match
    st.caption("Or with a password:")

if shared:
    st.caption(
        "Signing in with the clinic's shared password. Once an admin adds named accounts "
        "(python -m screening staff add), each person signs in with their own."
    )
with st.form("staff.form", enter_to_submit=True):
    if not shared:
        st.text_input(
            "E-mail",
            key=access.EMAIL,
            max_chars=254,
            autocomplete="username",
        )
    st.text_input(
        "Password" if not shared else "Staff password",
        type="password",
        key=access.PASSWORD,
        max_chars=access.PASSWORD_MAX,
        autocomplete="current-password",
    )
    st.form_submit_button("Sign in", key=access.LOGIN, type="primary", on_click=access.sign_in)
