"""Roles on the real server, against a forged WebSocket: a viewer who sends the widget states of an
admin's "forget" (ids copied from an admin's session) deletes nothing, and leaves no audit row.
The same messages from the admin's own session do delete, so the forgery is one that would work
if only the page hid the button. A viewer who presses the admin's download buttons, or fetches
the address of the admin's export, gets no file and leaves no export row. Browsers are replaced
by tests/streamlit_client.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_process import Server, running
from staff_support import ACCOUNT_PASSWORD, ADMIN, VIEWER, add_account, audit_rows
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit_client import Tab, session

from bench.client import Widget
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.storage import open_store

NAME = "Evangeline Thistlewood"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("roles")
    url = f"sqlite:///{folder / 'screening.db'}"
    store = open_store(url)
    try:
        request = ContactRequest(NAME, "+18065550111", "ev@example.org", "call", "morning", "")
        store.save_contact(request, consent_text="I agree", lang="en", channel=Channel(),
                           screening_id=None, idempotency_key="one")  # fmt: skip
    finally:
        store.close()
    add_account(url, ADMIN, "admin")
    add_account(url, VIEWER, "viewer")
    with running(folder / "server.log", {"SCREENING_DATABASE_URL": url}) as started:
        started.url = url  # type: ignore[attr-defined]
        yield started


def signed_in(tab: Tab, email: str) -> Tab:
    tab.type("staff.email", email)
    tab.type("staff.password", ACCOUNT_PASSWORD)
    tab.press("staff.login")
    assert "Staff dashboard" in tab.shown()
    return tab


def stored_names(url: str) -> list[str]:
    store = open_store(url)
    try:
        return [str(r["name"]) for r in store.contact_rows()]
    finally:
        store.close()


def forge(tab: Tab, copied: dict[str, str]) -> None:
    """Send the admin's forget: the tick set, the button pressed, under the admin's ids."""
    sure = copied["staff.forget_sure"]
    tab.widgets["staff.forget_sure"] = Widget(
        sure, "forged", state=WidgetState(id=sure, bool_value=True)
    )
    tab.widgets["staff.forget"] = Widget(copied["staff.forget"], "forged")
    tab.run(triggers=("staff.forget",))


DOWNLOADS = ("staff.download_contacts", "staff.download_screenings", "staff.download_audit")


def exports(url: str) -> list[tuple[str, str, int]]:
    return [(r["actor"], r["target"], r["row_count"]) for r in audit_rows(url)
            if r["action"] == "export"]  # fmt: skip


def test_a_viewer_cannot_export_even_with_a_forged_widget_or_the_files_address(
    server: Server,
) -> None:
    url = server.url  # type: ignore[attr-defined]
    with session(server.base, page="staff", fetch_page=True) as admin_tab:
        signed_in(admin_tab, ADMIN)
        assert set(DOWNLOADS) <= set(admin_tab.visit.drawn.downloads)
        copied = {k: admin_tab.widgets[k].id for k in DOWNLOADS if k in admin_tab.widgets}
        address = admin_tab.file_url("staff.download_contacts")
        status, body = admin_tab.fetch(address)
        assert status == 200 and NAME in body.decode("utf-8-sig")  # the admin's own file
        assert exports(url) == [(ADMIN, "contact requests (CSV)", 1)]

        with session(server.base, page="staff", fetch_page=True) as viewer_tab:
            signed_in(viewer_tab, VIEWER)
            assert not viewer_tab.visit.drawn.downloads  # no download button for a viewer
            assert "Downloads" not in viewer_tab.shown()
            for key in DOWNLOADS:  # the admin's buttons pressed from the viewer's session
                widget_id = copied.get(key, f"$$ID-forged-{key}")
                viewer_tab.widgets[key] = Widget(widget_id, "forged")
            viewer_tab.run(triggers=DOWNLOADS)
            assert not viewer_tab.visit.drawn.downloads
            status, body = viewer_tab.fetch(address)  # the admin's file, from another browser
            assert status != 200
            assert NAME.encode() not in body  # the viewer sees the list, but gets no file
    assert exports(url) == [(ADMIN, "contact requests (CSV)", 1)]  # nothing more was built


def test_a_viewer_cannot_forget_even_with_a_forged_widget(server: Server) -> None:
    url = server.url  # type: ignore[attr-defined]
    with session(server.base, page="staff") as admin_tab:
        signed_in(admin_tab, ADMIN)
        copied = {k: admin_tab.widgets[k].id for k in ("staff.forget", "staff.forget_sure")}
        with session(server.base, page="staff") as viewer_tab:
            signed_in(viewer_tab, VIEWER)
            assert "staff.forget" not in viewer_tab.widgets  # not drawn for a viewer
            forge(viewer_tab, copied)
            forge(viewer_tab, copied)
        assert stored_names(url) == [NAME]
        assert "forget" not in [r["action"] for r in audit_rows(url)]
        # The same messages from the admin's session: the person is forgotten.
        forge(admin_tab, copied)
    assert stored_names(url) == []
    forgets = [r for r in audit_rows(url) if r["action"] == "forget"]
    assert [(r["actor"], r["row_count"]) for r in forgets] == [(ADMIN, None)]
