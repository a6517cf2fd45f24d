"""The staff second factor: time-based one-time codes (TOTP, RFC 6238) as authenticator apps make
them, through pyotp. Pure: the secret, the code and the time are passed in.

A code is accepted for its own 30-second step and the one before or after (clocks drift), and
only for a step later than the last one accepted for that account, so an overheard code cannot
sign in a second time.
"""

from __future__ import annotations

import hmac
import re

ISSUER = "Staff dashboard"
STEP_SECONDS = 30
DRIFT_STEPS = 1
_CODE = re.compile(r"[0-9]{6}")


def new_secret() -> str:
    import pyotp

    return str(pyotp.random_base32())


def setup_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    import pyotp

    return str(pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer))


def code_at(secret: str, now: float) -> str:
    """The code for the step that holds `now` (tests; the app only checks codes)."""
    import pyotp

    return str(pyotp.TOTP(secret).generate_otp(int(now // STEP_SECONDS)))


def accepted_step(secret: str, typed: str, now: float, last_step: int | None) -> int | None:
    """The time step whose code `typed` is (within the drift, after last_step), or None."""
    import pyotp

    code = "".join(typed.split())
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(str(totp.generate_otp(step)), code):
            return step
    return None
