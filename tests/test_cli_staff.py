"""`python -m screening staff add|disable|enable|list|reset`, `unlock --account` and `audit` on a
real SQLite database, and the password policy they apply."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st

from screening.cli import main
from screening.records import staff_accounts
from screening.records.channel import Channel
from screening.records.contact import ContactRequest
from screening.records.staff_accounts import ROLES, may, password_problem
from screening.records.storage import (
    ENV_URL,
    AuditTrail,
    Entry,
    Store,
    StoredAccounts,
    open_store,
)

GOOD = "Marigold-Tundra-Oboe-7731"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'screening.db'}"
    monkeypatch.setenv(ENV_URL, url)
    monkeypatch.delenv("SCREENING_STAFF_PASSWORD_HASH", raising=False)
    opened = open_store(url)
    yield opened
    opened.close()


def typed(monkeypatch: pytest.MonkeyPatch, line: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(line + "\n"))


def trail(store: Store) -> list[tuple[str, str, str | None, str | None]]:
    rows = reversed(AuditTrail(store.engine).rows())
    return [(r["actor"], r["action"], r["target"], r["detail"]) for r in rows]


# --- the policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pass1", "at least 12"),
        ("password1234", "most common"),  # a listed password with digits after it
        ("qwertyuiop123!", "most common"),
        ("iloveyou2024", "most common"),
        ("aaaaaaaaaaaaaa", "different characters"),
        ("x" * 1025, "at most"),
        ("frontdesk-Blue-Heron-9", "account's name"),
        (GOOD, None),
        ("correct horse battery staple", None),
    ],
)
def test_the_password_policy(password: str, problem: str | None) -> None:
    found = password_problem(password, "frontdesk@clinic.example")
    assert (found is None) if problem is None else (problem in (found or "")), found


def test_the_common_list_is_the_packaged_one_and_large() -> None:
    common = staff_accounts.common_passwords()
    assert len(common) > 25_000 and "password" in common and "123456" in common


@given(st.text(min_size=0, max_size=11))
def test_nothing_shorter_than_the_minimum_is_accepted(password: str) -> None:
    assert password_problem(password) is not None


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("viewer", "view", True), ("viewer", "call", True), ("viewer", "export", False),
        ("viewer", "forget", False), ("viewer", "accounts", False),
        ("admin", "view", True), ("admin", "export", True), ("admin", "forget", True),
        ("admin", "accounts", True), ("root", "view", False), ("", "export", False),
    ],
)  # fmt: skip
def test_what_each_role_may_do(role: str, action: staff_accounts.Action, allowed: bool) -> None:
    assert may(role, action) is allowed


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" Ana@Clinic.Example ", "ana@clinic.example"), ("ana", None), ("a b@c.d", None),
     ("@clinic.example", None), ("x" * 250 + "@c.de", None)],
)  # fmt: skip
def test_account_names_are_e_mail_addresses_in_lower_case(text: str, expected: str | None) -> None:
    assert staff_accounts.email(text) == expected


# --- staff add | list | disable | enable | reset -------------------------------------------------


def test_add_list_disable_enable_reset(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, GOOD)
    assert main(["staff", "add", "Ana@Clinic.Example", "--role", "admin"]) == 0
    typed(monkeypatch, GOOD)
    assert main(["staff", "add", "desk@clinic.example", "--role", "viewer"]) == 0
    capsys.readouterr()
    assert main(["staff", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ana@clinic.example\tadmin\tenabled\tpassword",
        "desk@clinic.example\tviewer\tenabled\tpassword",
    ]
    accounts = StoredAccounts(store.engine)
    ana = accounts.find("ana@clinic.example")
    assert ana is not None and PasswordHasher().verify(str(ana.password_hash), GOOD)

    assert main(["staff", "disable", "desk@clinic.example"]) == 0
    desk = accounts.find("desk@clinic.example")
    assert desk is not None and not desk.enabled and desk.generation == 2
    assert main(["staff", "enable", "desk@clinic.example"]) == 0

    typed(monkeypatch, "Another-Lighthouse-Fjord-42")
    assert main(["staff", "reset", "desk@clinic.example", "--role", "admin"]) == 0
    desk = accounts.find("desk@clinic.example")
    assert desk is not None and desk.role == "admin" and desk.generation == 4
    assert PasswordHasher().verify(str(desk.password_hash), "Another-Lighthouse-Fjord-42")

    rows = trail(store)
    assert [(actor, action) for actor, action, _, _ in rows] == [("command line", "account")] * 5
    assert [target for _, _, target, _ in rows] == [
        "ana@clinic.example", "desk@clinic.example", "desk@clinic.example",
        "desk@clinic.example", "desk@clinic.example"]  # fmt: skip
    assert rows[-1][3] == "role set to admin, password set"
    assert GOOD not in str(rows) and "argon2" not in str(rows)


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["staff", "add", "ana", "--role", "admin"], GOOD, "not an e-mail address"),
        (["staff", "add", "ana@c.example", "--role", "admin"], "password123", "refused"),
        (["staff", "add", "ana@c.example", "--role", "admin"], "password12345", "common"),
        (["staff", "disable", "nobody@c.example"], "", "there is no account"),
        (["staff", "reset", "nobody@c.example"], GOOD, "there is no account"),
        (["unlock", "--account", "nobody@c.example"], "", "no account"),
    ],
)
def test_refusals_change_nothing(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    typed(monkeypatch, stdin)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert StoredAccounts(store.engine).count() == 0 and trail(store) == []


def test_an_account_name_is_taken_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    typed(monkeypatch, GOOD)
    assert main(["staff", "add", "ana@clinic.example", "--role", "viewer"]) == 0
    typed(monkeypatch, GOOD)
    assert main(["staff", "add", "ANA@clinic.example", "--role", "admin"]) == 2
    assert StoredAccounts(store.engine).count() == 1


def test_the_shared_password_becomes_the_first_admins(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("old shared pw")
    monkeypatch.setenv("SCREENING_STAFF_PASSWORD_HASH", shared)
    assert main(["staff", "add", "boss@clinic.example", "--role", "admin",
                 "--shared-password"]) == 0  # fmt: skip
    boss = StoredAccounts(store.engine).find("boss@clinic.example")
    assert boss is not None and boss.role == "admin" and boss.password_hash == shared


def test_the_shared_password_cannot_be_taken_over_when_none_is_set(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["staff", "add", "boss@clinic.example", "--role", "admin",
                 "--shared-password"]) == 2  # fmt: skip
    assert "no staff_password_hash" in capsys.readouterr().err


def test_a_single_sign_on_account_has_no_password(store: Store) -> None:
    assert main(["staff", "add", "sso@clinic.example", "--role", "viewer", "--no-password"]) == 0
    found = StoredAccounts(store.engine).find("sso@clinic.example")
    assert found is not None and found.password_hash is None


# --- forget, purge and audit ---------------------------------------------------------------------


def add_person(store: Store, name: str, days_ago: int = 0) -> int:
    at = datetime.now(UTC) - timedelta(days=days_ago)
    return store.save_contact(
        ContactRequest(name, "+18065032090", "ana@example.org", "call", "morning", "hi"),
        consent_text="I agree.", lang="en", channel=Channel(), screening_id=None,
        idempotency_key=name, now=at,
    )  # fmt: skip


def test_forget_and_purge_from_the_command_line_leave_one_row_each(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = add_person(store, "Kept Person")
    add_person(store, "Old Person", days_ago=400)
    assert main(["forget", "--contact", str(kept)]) == 0
    assert main(["forget", "--contact", "9999"]) == 2  # nothing forgotten: no row
    assert main(["purge", "--older-than", "365"]) == 0
    rows = list(reversed(AuditTrail(store.engine).rows()))
    assert [(r["actor"], r["action"], r["target"], r["row_count"]) for r in rows] == [
        ("command line", "forget", f"contact request {kept}", None),
        ("command line", "purge", None, 1),
    ]
    assert "Person" not in str(rows)


def test_audit_prints_the_trail_and_its_csv(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, GOOD)
    assert main(["staff", "add", "ana@clinic.example", "--role", "admin"]) == 0
    assert main(["staff", "disable", "ana@clinic.example"]) == 0
    capsys.readouterr()
    assert main(["audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "disabled" in lines[0] and "added as admin" in lines[1]
    expected = "| command line | changed an account | ana@clinic.example |"
    assert all(expected in line for line in lines)
    assert main(["audit", "--format", "csv"]) == 0
    found = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["detail"] for r in found] == ["added as admin", "disabled"]
    assert list(found[0]) == ["id", "at", "actor", "action", "target", "row_count", "detail",
                              "address"]  # fmt: skip


def test_every_role_is_known() -> None:
    assert ROLES == ("viewer", "admin")


def test_second_factor_commands(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    typed(monkeypatch, GOOD)
    assert main(["staff", "add", "ana@clinic.example", "--role", "admin"]) == 0
    accounts = StoredAccounts(store.engine)
    assert main(["staff", "require-second-factor", "yes"]) == 0
    assert accounts.second_factor_required()
    accounts.change("ana@clinic.example", Entry("x", "account"), totp_secret="JBSWY3DPEHPK3PXP")
    assert main(["staff", "remove-second-factor", "ana@clinic.example"]) == 0
    found = accounts.find("ana@clinic.example")
    assert found is not None and found.totp_secret is None
    assert main(["staff", "require-second-factor", "no"]) == 0
    assert not accounts.second_factor_required()
    assert [d for _, _, _, d in trail(store)] == [
        "added as admin", "second factor required of everybody", "second factor set up",
        "second factor removed", "second factor optional"]  # fmt: skip
