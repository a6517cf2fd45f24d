"""Complete flows with distinctive names, phones, e-mails, notes and answers, with every log
record (all loggers, DEBUG and up) and everything written to stdout/stderr captured: none of
them appears. Logs carry errors and counts, never health answers or contact details.
(tests/test_server_hardening.py checks the same on a real server's output.)"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from apptest_support import (  # noqa: F401  (app_env is autouse)
    ABOUT_YOU,
    FIRST,
    SAFE,
    answer,
    app_env,
    click,
    consult,
    db_rows,
    fill_form,
    open_with,
    texts,
)
from staff_support import PASSWORD, everything, open_staff, sign_in

NAME = "Perpetua Snodgrass"
PHONE = "806-555-0148"
PHONE_E164 = "+18065550148"
EMAIL = "perpetua.snodgrass@example.org"
NOTE = "My left eye closes when I chew Gooseberry"
BAD_EMAIL = "perpetua-at-Marzipan"
CAMPAIGN = "Tamarindflyer"


def test_no_answer_or_contact_detail_reaches_a_log(
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger that propagates
    for name in ("screening", "screening.app", "sqlalchemy", "streamlit"):
        caplog.set_level(logging.DEBUG, logger=name)

    # A consult result; a refused form; a saved request; the dashboard that shows it.
    at = consult(open_with({"utm_source": CAMPAIGN}))
    fill_form(at, name=NAME, phone=PHONE, email=BAD_EMAIL, note=NOTE, consent=True)
    fill_form(at, email=EMAIL)
    assert "We got your request" in texts(at)
    assert [row["name"] for row in db_rows()[2]] == [NAME]
    staff = sign_in(open_staff(), "a wrong password Zeppelin")
    staff = sign_in(staff, PASSWORD)
    assert NAME in everything(staff)

    # An emergency stop.
    emergency = open_with({"lang": "es"})
    click(emergency, "nav.start")
    answer(emergency, {"rf_stroke_signs": "now"})

    # The database gone during a request: an error is logged, without the request.
    folder = tmp_path / "gone"
    folder.write_text("not a folder")
    monkeypatch.setenv("SCREENING_DATABASE_URL", f"sqlite:///{folder / 'x.db'}")
    import streamlit as st

    st.cache_resource.clear()
    failed = consult(open_with({}))
    fill_form(failed, name=NAME, phone=PHONE, email=EMAIL, note=NOTE, consent=True)
    assert "could not send your request" in texts(failed)

    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "a contact request was not saved" in caplog.text  # the capture does see our logs
    secrets = [NAME, PHONE, PHONE_E164, EMAIL, BAD_EMAIL, NOTE, "Gooseberry", CAMPAIGN, PASSWORD,
               "Zeppelin", "Perpetua", "Snodgrass"]  # fmt: skip
    answers = [*FIRST, *ABOUT_YOU, *SAFE, "eye_narrows_smile", "hx_eye_closes", "nh_twitching"]
    assert [s for s in secrets if s in logged] == []
    assert [a for a in answers if a in logged] == []
    print(
        f"\n[logs] {len(caplog.records)} log records and {len(out + err)} characters of output "
        f"from complete flows: none of {len(secrets)} distinctive values, no question id"
    )
