"""Command line: `python -m screening score|check`. Each command parses, calls the core, prints."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import AnswersError, ContentError, Problem
from .loader import DEFAULT_CLINIC, DEFAULT_QUESTIONS, check_file, load_clinic, load_questionnaire
from .models import LANGUAGES
from .rules import evaluate
from .summary import describe

EXIT_OK = 0
EXIT_PROBLEM = 2
MAX_INPUT_BYTES = 1_000_000


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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m screening", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    score = sub.add_parser("score", help="route a JSON set of answers and print the result")
    score.add_argument("file", nargs="?", default="-", help='JSON {"answers": {...}}; - is stdin')
    score.add_argument("--lang", choices=LANGUAGES, default="en")
    _content_options(score)
    score.set_defaults(handler=cmd_score)

    check = sub.add_parser("check", help="validate questions.yaml / clinic.yaml")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files to check (default: questions.yaml and clinic.yaml)",
    )
    check.set_defaults(handler=cmd_check)
    return parser


def _content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help=argparse.SUPPRESS)
    p.add_argument("--clinic", type=Path, default=DEFAULT_CLINIC, help=argparse.SUPPRESS)


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_QUESTIONS, DEFAULT_CLINIC]
    problems = [p for path in paths for p in check_file(path)]
    if problems:
        _print_problems(problems, sys.stdout)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return EXIT_PROBLEM
    print("OK")
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    answers, problems = read_answers(sys.stdin if args.file == "-" else Path(args.file))
    if problems:
        _print_problems(problems, sys.stderr)
        return EXIT_PROBLEM
    q = load_questionnaire(args.questions)
    clinic = load_clinic(args.clinic)
    try:
        result = evaluate(q, answers)
    except AnswersError as exc:
        _print_problems(exc.problems, sys.stderr)
        return EXIT_PROBLEM
    view = describe(q, clinic, result, args.lang)
    out = {
        "tier": result.tier,
        "reasons": list(result.reasons),
        "score": result.score,
        "questionnaire_version": result.questionnaire_version,
        "language": args.lang,
        "evidence": list(result.evidence),
        "steps_reached": list(result.steps_reached),
        "texts": view.as_dict(),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def read_answers(source: Path | TextIO) -> tuple[dict[str, Any], list[Problem]]:
    """Read `{"answers": {id: value}}`; any other shape is a problem, never an exception."""

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
    except (json.JSONDecodeError, RecursionError) as exc:
        return bad(
            f"not valid JSON: {exc}"
            if isinstance(exc, json.JSONDecodeError)
            else "not valid JSON: nested too deeply"
        )
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return bad('expected a JSON object like {"answers": {"question_id": "option_id"}}')
    extra = sorted(set(data) - {"answers"})
    if extra:
        return bad(f"unexpected top-level key(s): {', '.join(extra)}")
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
