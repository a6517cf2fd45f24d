"""The second step of a staff sign-in: a code from an authenticator app, or first setting one up
(a QR code drawn with segno, and the secret as text for typing in by hand). The secret is shown
only on this screen, to the person whose password was just accepted."""

from __future__ import annotations

import io

import segno
import streamlit as st

from screening.records.second_factor import setup_uri
from screening.records.staff_accounts import Account

from . import access


def show(account: Account, new_secret: str | None) -> None:
    if new_secret:
        st.subheader("Set up your second factor")
        st.text(
            "The clinic asks for a code from an authenticator app as well as your password. "
            "Scan this QR code with the app on your phone (for example Google Authenticator, "
            "Microsoft Authenticator or 1Password), then type the 6-digit code it shows."
        )
        qr = segno.make(setup_uri(new_secret, account.email), error="m", micro=False)
        png = io.BytesIO()
        qr.save(png, kind="png", scale=5, border=2)
        st.image(png.getvalue(), width=220)  # served from /media like any image (no data: URL)
        st.text(f"Or type this key into the app: {new_secret}")
    else:
        st.subheader("Second factor")
        st.text("Type the 6-digit code your authenticator app shows now.")
    with st.form("staff.code_form", enter_to_submit=True):
        st.text_input(
            "Code", key=access.CODE, max_chars=8, autocomplete="one-time-code"
        )
        st.form_submit_button("Continue", key=access.VERIFY, type="primary",
                              on_click=access.verify_code)  # fmt: skip
    st.button("Start again", key=access.CANCEL, on_click=access.cancel_second_factor)
