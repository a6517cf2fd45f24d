"""Readers for the deployment files, shared by the tests that compare them: the commands
`make run` runs, the Dockerfile's instructions, and tools that CI installs but a laptop may lack.

Every way of serving the app (make run, the image, the systemd unit) must run the same command;
only where it listens may differ. `serving()` takes that difference out so they can be compared.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LISTEN_OPTIONS = ("--server.port", "--server.address")


def make_run_commands() -> list[list[str]]:
    """The recipe of the Makefile's `run` target, one argv per line, with $(BIN)/ removed (the
    virtual environment's programs are on PATH in the image and named in full in the unit)."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^run\s*:", line))
    commands = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        commands.append(shlex.split(line.strip().replace("$(BIN)/", "")))
    return commands


def serving(argv: list[str]) -> list[str]:
    """argv without its listen address and port (and without a directory on the program)."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg in LISTEN_OPTIONS:
            skip = True
            continue
        if arg.split("=", 1)[0] in LISTEN_OPTIONS:
            continue
        out.append(Path(arg).name if i == 0 else arg)
    return out


def option(argv: list[str], name: str) -> str | None:
    """The value of --name VALUE or --name=VALUE in argv."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


@dataclass(frozen=True)
class Instruction:
    stage: int  # 0 for the first FROM, 1 for the next, ...
    keyword: str  # upper case
    value: str  # continuation lines joined


def dockerfile(path: Path = ROOT / "Dockerfile") -> list[Instruction]:
    """The Dockerfile's instructions in order, comments dropped, continuation lines joined."""
    found: list[Instruction] = []
    stage = -1
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = pending + line
        pending = ""
        keyword, _, value = text.partition(" ")
        if keyword.upper() == "FROM":
            stage += 1
        found.append(Instruction(stage, keyword.upper(), value.strip()))
    return found


def exec_form(value: str) -> list[str]:
    """A JSON-array (exec form) argument list; fails on the shell form."""
    parsed = json.loads(value)
    assert isinstance(parsed, list) and all(isinstance(a, str) for a in parsed), value
    return parsed


def tool(name: str, hint: str, *candidates: str) -> str:
    """The path of a command-line tool. Locally a missing tool skips with `hint`; under CI=true
    (.ci/run installs them) it fails, so CI cannot pass without running the check."""
    env_name = name.upper().replace("-", "_")
    found = os.environ.get(env_name) or shutil.which(name)
    found = found or next((c for c in candidates if os.access(c, os.X_OK)), None)
    if found:
        return found
    message = f"{name} is not installed ({hint}; or set {env_name} to its path)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{message}; .ci/run installs it", pytrace=False)
    pytest.skip(message)
