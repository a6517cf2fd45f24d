"""Admins' view of the staff accounts: who has one, their role and second factor, and the
clinic's choice to require a second factor of everybody. Adding, disabling and resetting
accounts stays on the command line (`python -m screening staff`), where passwords are typed
into no web page. Every change checks the role when it runs and leaves one audit row."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from screening.errors import StorageError
from screening.records.storage import AccountError, Entry, Store, StoredAccounts

from . import access

log = logging.getLogger("screening.app")
REQUIRE = "staff.require_second_factor"
SAVE_POLICY = "staff.save_policy"
REMOVE_ID = "staff.remove_factor_of"
REMOVE = "staff.remove_factor"
NOTICE = "staff.accounts_notice"


def show(db: Store) -> None:
    found = StoredAccounts(db.engine)
    try:
        accounts = found.all()
        required = found.second_factor_required()
    except StorageError as exc:
        log.error("the dashboard could not read the accounts: %s", exc)
        st.error("The accounts cannot be read right now. Try again in a minute.")
        return
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.text(notice)
    st.dataframe(
        pd.DataFrame(
            {
                "account": [a.email for a in accounts],
                "role": [a.role for a in accounts],
                "can sign in": ["yes" if a.enabled else "no (disabled)" for a in accounts],
                "signs in with": [
                    "password" if a.password_hash else "single sign-on" for a in accounts
                ],
                "second factor": ["set up" if a.totp_secret else "none" for a in accounts],
            }
        ),
        hide_index=True,
        key="staff.accounts",
    )
    st.caption(
        "Add, disable or reset accounts with: python -m screening staff (README.md, "
        '"The staff page").'
    )
    st.checkbox(
        "Require a second factor (a code from an authenticator app) of everybody who signs in "
        "with a password",
        value=required,
        key=REQUIRE,
    )
    st.button("Save this choice", key=SAVE_POLICY, on_click=_save_policy, args=(db,))
    with_factor = [a.email for a in accounts if a.totp_secret]
    if with_factor:
        st.selectbox("Second factor of", with_factor, key=REMOVE_ID)
        st.button(
            "Remove it (a lost phone: they set up a new one at their next sign-in)",
            key=REMOVE,
            on_click=_remove,
            args=(db,),
        )


def _save_policy(db: Store) -> None:
    staff = access.allowed("accounts")
    if staff is None:
        return
    on = bool(st.session_state.get(REQUIRE))
    try:
        StoredAccounts(db.engine).require_second_factor(
            on, Entry(staff.email, "account", address=access.address())
        )
    except StorageError as exc:
        log.error("the dashboard could not change the staff policy: %s", exc)
        st.session_state[NOTICE] = "It could not be saved. Try again in a minute."
        return
    st.session_state[NOTICE] = (
        "A second factor is now required of everybody." if on else "A second factor is optional."
    )


def _remove(db: Store) -> None:
    staff = access.allowed("accounts")
    email = st.session_state.get(REMOVE_ID)
    if staff is None or not isinstance(email, str):
        return
    try:
        StoredAccounts(db.engine).change(
            email, Entry(staff.email, "account", address=access.address()), totp_secret=None
        )
    except (StorageError, AccountError) as exc:
        log.error("the dashboard could not remove a second factor: %s", exc)
        st.session_state[NOTICE] = "It could not be removed. Try again in a minute."
        return
    st.session_state[NOTICE] = f"The second factor of {email} is removed."
