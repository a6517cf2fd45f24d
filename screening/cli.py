"""Command line: `python -m screening COMMAND`: score, check, explain, fhir, export, purge,
forget, migrate, unlock, staff, audit, staff-password, settings.

Each command parses, calls the core or the store, prints. The database is the one the app uses,
resolved by screening/settings.py: $SCREENING_DATABASE_URL, else database_url in
.streamlit/secrets.toml, else data/screening.db; `export`, `purge` and `forget` name it (its
password masked) so nobody changes one database believing it is another.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from .errors import AnswersError, ContentError, Problem, StorageError
from .outputs.summary import describe
from .questionnaire.loader import (
    DEFAULT_CLINIC,
    DEFAULT_QUESTIONS,
    check_file,
    load_clinic,
    load_questionnaire,
)
from .questionnaire.models import LANGUAGES, Questionnaire
from .questionnaire.rules import Result, evaluate
from .records.staff_accounts import ROLES, password_problem
from .records.staff_accounts import email as staff_email
from .settings import SPECS, SecretsFileError, from_files, mask_url, shown

EXIT_OK = 0
EXIT_FAILED = 1  # the database could not be read or written
EXIT_PROBLEM = 2
MIN_PASSWORD = 12
MAX_INPUT_BYTES = 1_000_000
ANSWERS_HELP = 'JSON {"answers": {...}} or a FHIR QuestionnaireResponse; - is stdin'
LANG_HELP = "language of the output (default: the response's language, else en)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 fine, 2 a problem with the input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    handler = args.handler
    try:
        return int(handler(args))
    except ContentError as exc:
        _print_problems(exc.problems, sys.stderr)
        return EXIT_PROBLEM
    except StorageError as exc:
        print(f"database: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except SecretsFileError as exc:
        print(f"secrets: {exc}", file=sys.stderr)
        return EXIT_PROBLEM


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m screening", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    score = sub.add_parser("score", help="route a JSON set of answers and print the result")
    score.add_argument("file", nargs="?", default="-", help=ANSWERS_HELP)
    score.add_argument("--lang", choices=LANGUAGES, help=LANG_HELP)
    _content_options(score)
    score.set_defaults(handler=cmd_score)

    fhir = sub.add_parser("fhir", help="print the questionnaire or a set of answers as FHIR R4")
    fhir_sub = fhir.add_subparsers(required=True, metavar="WHAT")
    definition = fhir_sub.add_parser("questionnaire", help="questions.yaml as a Questionnaire")
    definition.add_argument("--lang", choices=LANGUAGES, default="en")
    _content_options(definition)
    definition.set_defaults(handler=cmd_fhir_questionnaire)
    response = fhir_sub.add_parser(
        "response", help="answers (the score command's input) as a QuestionnaireResponse"
    )
    response.add_argument("file", help=ANSWERS_HELP)
    response.add_argument("--lang", choices=LANGUAGES, help=LANG_HELP)
    _content_options(response)
    response.set_defaults(handler=cmd_fhir_response)

    check = sub.add_parser("check", help="validate questions.yaml / clinic.yaml")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files to check (default: questions.yaml and clinic.yaml)",
    )
    check.set_defaults(handler=cmd_check)

    explain = sub.add_parser("explain", help="print the rules as plain-English tables (RULES.md)")
    _content_options(explain)
    explain.set_defaults(handler=cmd_explain)

    export = sub.add_parser("export", help="print kept contact requests or screenings as CSV")
    export.add_argument("what", choices=("contacts", "screenings"))
    export.add_argument("--format", choices=("csv",), default="csv")
    export.add_argument("--since", type=_day, help="only rows from this UTC date on (YYYY-MM-DD)")
    export.set_defaults(handler=cmd_export)

    purge = sub.add_parser("purge", help="delete screenings and contact requests older than DAYS")
    purge.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    purge.set_defaults(handler=cmd_purge)

    forget = sub.add_parser("forget", help="delete one person's contact request and screening")
    forget.add_argument("--contact", type=int, required=True, metavar="ID")
    forget.set_defaults(handler=cmd_forget)

    migrate = sub.add_parser("migrate", help="apply the database migrations; print those applied")
    migrate.set_defaults(handler=cmd_migrate)

    unlock = sub.add_parser(
        "unlock",
        help="lift the staff sign-in lock-out of one client address, of all, or of one account",
    )
    which = unlock.add_mutually_exclusive_group(required=True)
    which.add_argument("address", nargs="?", help="the client's IP address, as the server saw it")
    which.add_argument("--all", action="store_true", help="every address")
    which.add_argument("--account", metavar="E-MAIL", help="one staff account, from everywhere")
    unlock.set_defaults(handler=cmd_unlock)

    staff = sub.add_parser("staff", help="staff accounts: add, disable, list, reset")
    staff_sub = staff.add_subparsers(required=True, metavar="ACTION")
    add = staff_sub.add_parser(
        "add", help="add an account (password prompted, or one line on stdin)"
    )
    add.add_argument("email", metavar="E-MAIL")
    add.add_argument("--role", choices=ROLES, required=True)
    how = add.add_mutually_exclusive_group()
    how.add_argument(
        "--shared-password",
        action="store_true",
        help="take the configured staff_password_hash as this account's password "
        "(moving from the shared password to a first admin)",
    )
    how.add_argument(
        "--no-password", action="store_true", help="single sign-on only, no password"
    )
    add.set_defaults(handler=cmd_staff_add)
    disable = staff_sub.add_parser("disable", help="stop an account from signing in (kept)")
    disable.add_argument("email", metavar="E-MAIL")
    disable.set_defaults(handler=cmd_staff_disable)
    enable = staff_sub.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("email", metavar="E-MAIL")
    enable.set_defaults(handler=cmd_staff_enable)
    listing = staff_sub.add_parser("list", help="print the accounts")
    listing.set_defaults(handler=cmd_staff_list)
    reset = staff_sub.add_parser(
        "reset", help="set a new password (prompted, or one line on stdin); ends its sign-ins"
    )
    reset.add_argument("email", metavar="E-MAIL")
    reset.add_argument("--role", choices=ROLES, help="also change the role")
    reset.set_defaults(handler=cmd_staff_reset)

    no_factor = staff_sub.add_parser(
        "remove-second-factor", help="remove an account's second factor (a lost phone)"
    )
    no_factor.add_argument("email", metavar="E-MAIL")
    no_factor.set_defaults(handler=cmd_staff_remove_factor)
    policy = staff_sub.add_parser(
        "require-second-factor", help="require a second factor of every password sign-in, or not"
    )
    policy.add_argument("answer", choices=("yes", "no"))
    policy.set_defaults(handler=cmd_staff_require_factor)

    audit = sub.add_parser("audit", help="print the staff audit trail (newest first)")
    audit.add_argument("--since", type=_day, help="only rows from this UTC date on (YYYY-MM-DD)")
    audit.add_argument("--limit", type=_days, default=100, metavar="N", help="rows (default 100)")
    audit.add_argument("--format", choices=("table", "csv"), default="table",
                       help="csv: every row since --since, oldest first")  # fmt: skip
    audit.set_defaults(handler=cmd_audit)

    shown_settings = sub.add_parser(
        "settings", help="print the settings in force and where each came from (secrets masked)"
    )
    shown_settings.set_defaults(handler=cmd_settings)

    password = sub.add_parser(
        "staff-password", help="hash a staff password (prompted, or one line on stdin)"
    )
    password.set_defaults(handler=cmd_staff_password)
    return parser


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help=argparse.SUPPRESS)
    p.add_argument("--clinic", type=Path, default=DEFAULT_CLINIC, help=argparse.SUPPRESS)


def cmd_explain(args: argparse.Namespace) -> int:
    from .questionnaire.explain import explain

    sys.stdout.write(explain(load_questionnaire(args.questions)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_QUESTIONS, DEFAULT_CLINIC]
    problems = [p for path in paths for p in check_file(path)]
    if problems:
        _print_problems(problems, sys.stdout)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return EXIT_PROBLEM
    for warning in _advice(paths):
        print(f"warning: {warning}", file=sys.stderr)
    print("OK")
    return EXIT_OK


def _advice(paths: list[Path]) -> list[str]:
    """What valid content files still lack for a public site (warnings: the check passes)."""
    found = []
    for path in paths:
        if path.name.endswith(("clinic.yaml", "clinic.yml")) and not load_clinic(path).public_url:
            found.append(
                f"{path}: public_url is not set: link previews then show no picture and no "
                "address (og:image must be absolute), and reminders and campaign links fall "
                "back to the clinic's website"
            )
    return found


def _scored(args: argparse.Namespace) -> tuple[Questionnaire, Result, str] | None:
    """The input of `score` and `fhir response` (our answers JSON or a FHIR
    QuestionnaireResponse), evaluated, and the output's language (--lang, else the response's
    own, else English); None once problems are printed."""
    source = sys.stdin if args.file == "-" else Path(args.file)
    data, problems = read_json(source)
    q = load_questionnaire(args.questions)
    answers: dict[str, Any] = {}
    lang = args.lang
    try:
        if not problems and data.get("resourceType") == "QuestionnaireResponse":
            from .outputs.fhir import read_response

            answers = read_response(q, load_clinic(args.clinic), data)
            if lang is None and data.get("language") in LANGUAGES:
                lang = data["language"]
        elif not problems:
            answers, problems = answers_in(data)
        if problems:
            _print_problems(problems, sys.stderr)
            return None
        return q, evaluate(q, answers), lang or "en"
    except AnswersError as exc:
        _print_problems(exc.problems, sys.stderr)
        return None


def cmd_score(args: argparse.Namespace) -> int:
    scored = _scored(args)
    if scored is None:
        return EXIT_PROBLEM
    q, result, lang = scored
    view = describe(q, load_clinic(args.clinic), result, lang)
    _print_json(
        {
            "tier": result.tier,
            "reasons": list(result.reasons),
            "score": result.score,
            "questionnaire_version": result.questionnaire_version,
            "language": lang,
            "evidence": list(result.evidence),
            "steps_reached": list(result.steps_reached),
            "texts": view.as_dict(),
        }
    )
    return EXIT_OK


def cmd_fhir_questionnaire(args: argparse.Namespace) -> int:
    from .outputs.fhir import questionnaire

    q = load_questionnaire(args.questions)
    _print_json(questionnaire(q, load_clinic(args.clinic), args.lang))
    return EXIT_OK


def cmd_fhir_response(args: argparse.Namespace) -> int:
    from .outputs.fhir import questionnaire_response

    scored = _scored(args)
    if scored is None:
        return EXIT_PROBLEM
    q, result, lang = scored
    authored = datetime.now(UTC).replace(microsecond=0)
    _print_json(questionnaire_response(q, load_clinic(args.clinic), result, lang, authored))
    return EXIT_OK


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_settings(_args: argparse.Namespace) -> int:
    chosen = from_files()
    for spec in SPECS:
        value = chosen.get(spec.name)
        print(f"{spec.name} = {shown(value)}  ({value.where})")
    return EXIT_OK


def _database() -> str:
    """The configured database URL, announced (masked) on stderr before anything is changed."""
    url = from_files().database_url
    print(f"database: {mask_url(url)}", file=sys.stderr)
    return url


def cmd_export(args: argparse.Namespace) -> int:
    from .outputs.csvexport import to_csv
    from .records.storage import CONTACT_COLUMNS, SCREENING_COLUMNS, open_store

    with closing(open_store(_database())) as store:
        if args.what == "contacts":
            rows, columns = store.contact_rows(args.since), CONTACT_COLUMNS
        else:
            rows, columns = store.screening_rows(args.since), SCREENING_COLUMNS
    sys.stdout.write(to_csv(rows, columns))
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from .records.storage import COMMAND_LINE, Entry, open_store

    url = _database()
    audit = Entry(COMMAND_LINE, "purge", detail=f"older than {args.older_than} day(s): ")
    with closing(open_store(url)) as store:
        purged = store.purge(timedelta(days=args.older_than), datetime.now(UTC), audit=audit)
    print(
        f"deleted {purged.screenings} screening(s) and {purged.contact_requests} "
        f"contact request(s) older than {args.older_than} day(s) in {mask_url(url)}"
    )
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from .records.storage import COMMAND_LINE, Entry, open_store

    url = _database()
    audit = Entry(COMMAND_LINE, "forget", target=f"contact request {args.contact}")
    with closing(open_store(url)) as store:
        found = store.forget_contact(args.contact, audit=audit)
    if not found:
        print(f"no contact request {args.contact} in {mask_url(url)}", file=sys.stderr)
        return EXIT_PROBLEM
    print(
        f"deleted contact request {args.contact} and the screening it came with "
        f"from {mask_url(url)}"
    )
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace) -> int:
    from .records.storage import StoredLockout, open_store, sender

    if args.account is not None:
        return _unlock_account(args.account)
    chosen = from_files()
    key = chosen.get("address_key").value
    if not args.all and not key:
        # The app then hashes addresses with a random key of its own: no name to match here.
        print(
            "address_key is not set, so the app's address hashes cannot be matched; "
            "use --all (or set address_key for every replica)",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    url = _database()
    with closing(open_store(url)) as store:
        gate = StoredLockout(store.engine)
        removed = gate.clear(None if args.all else sender(args.address, str(key).encode()))
    what = "every address" if args.all else args.address
    print(f"sign-in unlocked for {what} ({removed} lock-out record(s) removed) in {mask_url(url)}")
    return EXIT_OK


def _unlock_account(typed: str) -> int:
    from .records.storage import (
        COMMAND_LINE,
        AccountLockout,
        AuditTrail,
        Entry,
        StoredAccounts,
        open_store,
    )

    name = staff_email(typed)
    url = _database()
    with closing(open_store(url)) as store:
        account = None if name is None else StoredAccounts(store.engine).find(name)
        if account is None:
            print(f"no account {typed!r} in {mask_url(url)}", file=sys.stderr)
            return EXIT_PROBLEM
        removed = AccountLockout(store.engine).clear_account(account.id)
        AuditTrail(store.engine).record(
            Entry(COMMAND_LINE, "unlock", target=account.email, row_count=removed)
        )
    print(f"sign-in unlocked for {account.email} ({removed} lock-out record(s) removed)")
    return EXIT_OK


def _new_password(email: str) -> str | None:
    """A new password, prompted twice (or the first line of stdin), checked by the policy;
    None once the problem is printed."""
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {email}: ")
        if getpass.getpass("Same again: ") != password:
            print("the two passwords differ; nothing changed", file=sys.stderr)
            return None
    else:  # scripts: the first line of stdin
        password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password, email)
    if problem:
        print(f"password refused: {problem}; nothing changed", file=sys.stderr)
        return None
    return password


def cmd_staff_add(args: argparse.Namespace) -> int:
    from .records.staff_accounts import hash_password
    from .records.storage import COMMAND_LINE, AccountError, Entry, StoredAccounts, open_store

    name = staff_email(args.email)
    if name is None:
        print(f"not an e-mail address: {args.email!r}", file=sys.stderr)
        return EXIT_PROBLEM
    hashed: str | None = None
    if args.shared_password:
        shared = from_files().get("staff_password_hash")
        if not isinstance(shared.value, str) or not shared.value.strip().startswith("$argon2"):
            print("no staff_password_hash is configured to take over", file=sys.stderr)
            return EXIT_PROBLEM
        hashed = shared.value.strip()
    elif not args.no_password:
        password = _new_password(name)
        if password is None:
            return EXIT_PROBLEM
        hashed = hash_password(password)
    url = _database()
    with closing(open_store(url)) as store:
        try:
            accounts = StoredAccounts(store.engine)
            accounts.add(name, args.role, hashed, Entry(COMMAND_LINE, "account"))
        except AccountError as exc:
            print(f"{exc}; nothing changed", file=sys.stderr)
            return EXIT_PROBLEM
    print(f"added {name} as {args.role} in {mask_url(url)}")
    return EXIT_OK


def _change(typed: str, what: str, **values: Any) -> int:
    from .records.storage import COMMAND_LINE, AccountError, Entry, StoredAccounts, open_store

    name = staff_email(typed)
    if name is None:
        print(f"not an e-mail address: {typed!r}", file=sys.stderr)
        return EXIT_PROBLEM
    url = _database()
    with closing(open_store(url)) as store:
        try:
            StoredAccounts(store.engine).change(name, Entry(COMMAND_LINE, "account"), **values)
        except AccountError as exc:
            print(f"{exc} in {mask_url(url)}; nothing changed", file=sys.stderr)
            return EXIT_PROBLEM
    print(f"{name}: {what}; its sign-ins have ended")
    return EXIT_OK


def cmd_staff_disable(args: argparse.Namespace) -> int:
    return _change(args.email, "disabled", enabled=False)


def cmd_staff_enable(args: argparse.Namespace) -> int:
    return _change(args.email, "enabled", enabled=True)


def cmd_staff_reset(args: argparse.Namespace) -> int:
    from .records.staff_accounts import hash_password

    name = staff_email(args.email)
    if name is None:
        print(f"not an e-mail address: {args.email!r}", file=sys.stderr)
        return EXIT_PROBLEM
    password = _new_password(name)
    if password is None:
        return EXIT_PROBLEM
    values: dict[str, Any] = {"password_hash": hash_password(password)}
    if args.role:
        values["role"] = args.role
    return _change(name, "new password" + (f", role {args.role}" if args.role else ""), **values)


def cmd_staff_remove_factor(args: argparse.Namespace) -> int:
    return _change(args.email, "second factor removed", totp_secret=None)


def cmd_staff_require_factor(args: argparse.Namespace) -> int:
    from .records.storage import COMMAND_LINE, Entry, StoredAccounts, open_store

    with closing(open_store(_database())) as store:
        StoredAccounts(store.engine).require_second_factor(
            args.answer == "yes", Entry(COMMAND_LINE, "account")
        )
    print(f"a second factor is {'required' if args.answer == 'yes' else 'optional'}")
    return EXIT_OK


def cmd_staff_list(_args: argparse.Namespace) -> int:
    from .records.storage import StoredAccounts, open_store

    with closing(open_store(_database())) as store:
        found = StoredAccounts(store.engine).all()
    if not found:
        print("no staff accounts (the shared password, if set, still signs in)")
    for account in found:
        state = "enabled" if account.enabled else "disabled"
        how = "password" if account.password_hash else "single sign-on only"
        factor = "\tsecond factor" if account.totp_secret else ""
        print(f"{account.email}\t{account.role}\t{state}\t{how}{factor}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from .outputs.csvexport import to_csv
    from .records.storage import ACTIONS, AUDIT_COLUMNS, AuditTrail, open_store

    with closing(open_store(_database())) as store:
        trail = AuditTrail(store.engine)
        if args.format == "csv":
            rows = list(reversed(trail.rows(args.since)))
        else:
            rows = trail.rows(args.since, args.limit)
    if args.format == "csv":
        sys.stdout.write(to_csv(rows, AUDIT_COLUMNS))
        return EXIT_OK
    for row in rows:
        parts = [
            row["at"].strftime("%Y-%m-%d %H:%M:%S UTC"),
            row["actor"],
            ACTIONS.get(row["action"], row["action"]),
            row["target"] or "",
            "" if row["row_count"] is None else f"{row['row_count']} row(s)",
            row["detail"] or "",
            row["address"] or "",
        ]
        print(" | ".join(_one_line(p) for p in parts if p))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    # Opening the store applies every migration not yet recorded (one transaction each) or
    # raises; afterwards every known migration is recorded. A deployment runs this once before
    # a rollout (deploy/kubernetes: the migrate Job) so a failed migration stops it early.
    from .migrations import migrations
    from .records.storage import open_store

    with closing(open_store(_database())) as store:
        dialect = store.engine.dialect.name
    for migration in migrations(dialect):
        print(migration.name)
    return EXIT_OK


def cmd_staff_password(args: argparse.Namespace) -> int:
    from argon2 import PasswordHasher

    if sys.stdin.isatty():
        password = getpass.getpass("Staff password: ")
        if getpass.getpass("Same again: ") != password:
            print("the two passwords differ; nothing printed", file=sys.stderr)
            return EXIT_PROBLEM
    else:  # scripts: the first line of stdin
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        print(f"use at least {MIN_PASSWORD} characters", file=sys.stderr)
        return EXIT_PROBLEM
    print(PasswordHasher().hash(password))
    return EXIT_OK


def _day(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2025-01-31: {text!r}") from None


def _days(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of days, 1 or more, not {text!r}")
    return int(text)


def read_answers(source: Path | TextIO) -> tuple[dict[str, Any], list[Problem]]:
    """Read `{"answers": {id: value}}`; any other shape is a problem, never an exception."""
    data, problems = read_json(source)
    return ({}, problems) if problems else answers_in(data)


def read_json(source: Path | TextIO) -> tuple[dict[str, Any], list[Problem]]:
    """Read one JSON object of at most MAX_INPUT_BYTES; problems instead of exceptions."""

    def bad(message: str) -> tuple[dict[str, Any], list[Problem]]:
        return {}, [Problem("A103", message)]

    try:
        if isinstance(source, Path):
            if source.stat().st_size > MAX_INPUT_BYTES:
                return bad(f"the input is larger than {MAX_INPUT_BYTES} bytes")
            raw = source.read_text(encoding="utf-8")
        else:
            raw = source.read(MAX_INPUT_BYTES + 1)
            if len(raw) > MAX_INPUT_BYTES:
                return bad(f"the input is larger than {MAX_INPUT_BYTES} bytes")
    except (OSError, UnicodeDecodeError) as exc:
        return bad(f"cannot read the input: {getattr(exc, 'strerror', None) or exc}")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # ValueError: also a number too long to read
        return bad(
            f"not valid JSON: {exc}"
            if isinstance(exc, ValueError)
            else "not valid JSON: nested too deeply"
        )
    if not isinstance(data, dict):
        return bad(ANSWERS_SHAPE)
    return data, []


ANSWERS_SHAPE = (
    'expected a JSON object like {"answers": {"question_id": "option_id"}}, '
    "or a FHIR QuestionnaireResponse"
)


def answers_in(data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The answers of our own JSON shape, `{"answers": {id: value}}`."""
    if not isinstance(data.get("answers"), dict):
        return {}, [Problem("A103", ANSWERS_SHAPE)]
    extra = sorted(set(data) - {"answers"})
    if extra:
        return {}, [Problem("A103", f"unexpected top-level key(s): {', '.join(extra)}")]
    answers: dict[str, Any] = data["answers"]
    problems = [
        Problem("A101", "expected an option id (text) or a list of option ids", field=key[:80])
        for key, value in answers.items()
        if not (
            isinstance(value, str)
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        )
    ]
    return answers, problems


def _print_problems(problems: list[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(_one_line(str(problem)), file=stream)


def _one_line(text: str) -> str:
    return " ".join(text.split())
