"""The Dockerfile, read (no container engine here builds it; hadolint lints it in `make lint`):
it serves with `make run`'s command, on all interfaces, as a non-root user, with every file the
app reads and nothing secret in the build context."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_files import ROOT, dockerfile, exec_form, make_run_commands, option, serving
from sqlalchemy import make_url

from screening.records.storage import DEFAULT_URL

INSTRUCTIONS = dockerfile()
FINAL = max(i.stage for i in INSTRUCTIONS)


def last(keyword: str) -> str:
    return [i.value for i in INSTRUCTIONS if i.keyword == keyword][-1]


def final(keyword: str) -> list[str]:
    return [i.value for i in INSTRUCTIONS if i.keyword == keyword and i.stage == FINAL]


CMD = exec_form(last("CMD"))
PORT = option(CMD, "--server.port")


def test_the_image_serves_with_the_command_make_run_uses() -> None:
    *_, serve = make_run_commands()
    assert serving(CMD) == serving(serve)
    assert serving(CMD)[:3] == ["streamlit", "run", "asgi.py"]  # the parser found something


def test_the_image_listens_on_all_interfaces_on_the_port_it_exposes() -> None:
    assert option(CMD, "--server.address") == "0.0.0.0"
    assert PORT is not None and final("EXPOSE") == [PORT]


def test_the_build_checks_the_content_as_make_run_does_before_serving() -> None:
    *checks, _ = make_run_commands()
    assert checks, "make run checks questions.yaml and clinic.yaml before it serves"
    built = [shlexed for run in final("RUN") for shlexed in _commands(run)]
    for check in checks:
        assert serving(check) in [serving(c) for c in built], check


def _commands(run: str) -> list[list[str]]:
    return [part.split() for part in run.split("&&")]


def test_both_stages_use_the_same_python_3_11_pinned_to_a_patch_release() -> None:
    # (The camera aid's model stage is node's: only npm runs there, and only files leave it.)
    froms = [i.value.split()[0] for i in INSTRUCTIONS if i.keyword == "FROM"]
    bases = [b for b in froms if not b.startswith("node:")]
    assert len(bases) >= 2, "multi-stage: the build tools stay out of the served image"
    assert len(set(bases)) == 1, bases  # the virtual environment is copied between them
    assert re.fullmatch(r"python:3\.11\.\d+-slim-[a-z]+", bases[0]), bases[0]


def test_only_the_run_time_requirements_are_installed() -> None:
    runs = (i.value for i in INSTRUCTIONS if i.keyword == "RUN")
    installs = [r for r in runs if re.search(r"\bpip\b", r)]
    assert installs and all("requirements.txt" in r for r in installs)
    assert not any("requirements-dev" in r for r in installs)


def test_the_app_runs_as_a_numeric_non_root_user() -> None:
    # Kubernetes' runAsNonRoot can only verify a numeric user.
    user, _, group = last("USER").partition(":")
    assert user.isdigit() and int(user) != 0
    assert not group or (group.isdigit() and int(group) != 0)


def test_the_health_check_asks_the_servers_health_route_with_python() -> None:
    value = last("HEALTHCHECK")
    argv = exec_form(value[value.index("CMD") + 3 :].strip())
    assert argv[0] == "python"  # the slim image has no curl
    assert f"http://127.0.0.1:{PORT}/_stcore/health" in argv[-1]


def test_the_only_writable_folder_is_where_the_default_database_lives() -> None:
    database = make_url(DEFAULT_URL).database
    assert database is not None
    relative = Path(database).parent.relative_to(ROOT)
    assert final("VOLUME") == [json.dumps([f"{last('WORKDIR')}/{relative.as_posix()}"])]
    assert last("ENV").count("HOME=/tmp") == 1  # Kubernetes mounts an emptyDir there


# --- the build context ----------------------------------------------------------------------


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative, POSIX) out of the build context."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns), "exceptions are not read here"
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        for prefix in prefixes:
            name = prefix.rsplit("/", 1)[-1]
            if fnmatch.fnmatchcase(prefix, pattern):
                return True
            if pattern.startswith("**/") and fnmatch.fnmatchcase(name, pattern[3:]):
                return True
    return False


def copied(path: str) -> bool:
    """Whether a COPY of the final stage (not from another stage) brings `path` into the image."""
    for value in final("COPY"):
        if value.startswith("--from"):
            continue
        sources = [s for s in value.split() if not s.startswith("--")][:-1]
        if any(path == s or path.startswith(s.rstrip("/") + "/") for s in sources):
            return True
    return False


# The files of this project that serving reads: the modules imported and every file opened, while
# asgi.py is imported and app.py runs once (as a first visitor's page does).
READS = """
import json, sys
from pathlib import Path
root = Path.cwd().resolve()
seen = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        seen.add(args[0])
sys.addaudithook(hook)
import asgi  # noqa
from streamlit.testing.v1 import AppTest
AppTest.from_file("app.py", default_timeout=60).run()
seen.update(getattr(m, "__file__", None) or "" for m in list(sys.modules.values()))
inside = set()
for name in seen:
    path = (root / name).resolve() if name else None
    if path and path.is_file() and path.is_relative_to(root) and ".venv" not in path.parts:
        inside.add(path.relative_to(root).as_posix())
print(json.dumps(sorted(inside)))
"""


@pytest.fixture(scope="module")
def served_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    data = tmp_path_factory.mktemp("db")
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{data / 'screening.db'}", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", READS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [p for p in json.loads(done.stdout.splitlines()[-1]) if "__pycache__" not in p]


def test_every_file_the_app_reads_is_in_the_image(served_files: list[str]) -> None:
    for must in (
        "asgi.py",
        "app.py",
        "questions.yaml",
        "clinic.yaml",
        "screening/questionnaire/rules.py",
    ):
        assert must in served_files  # the tracing saw what it must see
    missing = [p for p in served_files if not copied(p) or ignored(p)]
    assert not missing, f"read when serving but not in the image: {missing}"


@pytest.mark.parametrize(
    "path", [".streamlit/secrets.toml", "data/screening.db", ".venv/bin/python", ".git/config"]
)
def test_secrets_and_local_state_stay_out_of_the_build_context(path: str) -> None:
    assert ignored(path)


def test_the_settings_file_is_copied_and_the_secrets_file_is_not() -> None:
    assert copied(".streamlit/config.toml") and not ignored(".streamlit/config.toml")
    assert not copied(".streamlit/secrets.toml")
