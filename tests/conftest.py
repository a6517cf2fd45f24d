"""Shared fixtures: the real content files, loaded once; an empty database (and its Store) of
each kind. And the measured figures, repeated at the end of every run.

The loaded models are frozen, so one copy can safely serve every test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from backends import BACKENDS, database
from hypothesis import HealthCheck, settings

from screening.questionnaire.loader import load_clinic, load_questionnaire
from screening.questionnaire.models import Clinic, Questionnaire
from screening.records.storage import Store, open_store

if TYPE_CHECKING:
    from staff_support import Clock

# One Hypothesis profile for every run, here and in CI: these machines are shared and slow at
# times, so no example may fail for taking long (no deadline, no too_slow or data_too_large
# health check), and the number of examples is fixed so a run does the same work each time.
# A test that needs more or fewer examples says so with its own @settings(max_examples=...).
settings.register_profile(
    "steady",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("steady")


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture(scope="session")
def clinic() -> Clinic:
    return load_clinic()


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, and PostgreSQL (tests/backends.py)."""
    with database(request.param, tmp_path) as found:
        yield found


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    """The Store on each kind of database (a test module may define its own instead)."""
    opened = open_store(url)
    yield opened
    opened.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The staff sign-in's clock, moved by the test (no sleeping); modules that want it name it
    in pytestmark. Each test's own database holds a fresh lock-out."""
    from staff_support import Clock

    from web.staff import access

    monkeypatch.delenv(access.ENV_HASH, raising=False)
    fake = Clock()
    monkeypatch.setattr(access, "clock", fake)
    return fake


# --- the figures the hardening tests measure -------------------------------------------------
# Tests print one line per figure, starting with a bracketed tag ("[concurrency sqlite] ...").
# pytest keeps a passing test's output to itself, so these lines are gathered from every report
# and repeated at the end of the run, where `make test` shows them (SECURITY.md summarises them).

FIGURE = re.compile(
    r"^\[(?:content corpus|hostile input|concurrency|kill|logs|lock-out|nginx|staff data|csp)"
    r"[^\]]*\] .+"
)
_FIGURES: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for line in report.capstdout.splitlines():
        if FIGURE.match(line) and line not in _FIGURES:
            _FIGURES.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("measured figures (see SECURITY.md)")
        for line in _FIGURES:
            terminalreporter.write_line(line)
