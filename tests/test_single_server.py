"""deploy/single-server: the systemd units (read, and `systemd-analyze verify` where systemd is
installed) and the Caddyfile (`caddy validate`, then really served in front of the app: HSTS, the
check and its WebSocket through, Streamlit's internals not). Caddy is Debian's `caddy` package;
.ci/run installs it and systemd."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from deploy_files import ROOT, make_run_commands, option, serving, tool
from proxy_support import (
    AGENT_PATHS,
    METRICS_SPELLINGS,
    fetch,
    is_metrics,
    raw_get,
)
from server_process import Server, free_port, running
from streamlit_client import session

from bench.caddy import caddy

FOLDER = ROOT / "deploy" / "single-server"
UNITS = ("screening.service", "screening-backup.service", "screening-backup.timer")
APP_DIR = "/opt/screening"
CADDYFILE = FOLDER / "Caddyfile"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, empty_lines_in_values=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string((FOLDER / name).read_text(encoding="utf-8"))
    return parser


# --- the units, read -------------------------------------------------------------------------


def test_the_service_runs_make_runs_commands_on_loopback() -> None:
    service = unit("screening.service")["Service"]
    *checks, serve = make_run_commands()
    pre = [shlex.split(service["ExecStartPre"])] if "ExecStartPre" in service else []
    assert [serving(c) for c in pre] == [serving(c) for c in checks]
    start = shlex.split(service["ExecStart"])
    assert serving(start) == serving(serve)
    assert option(start, "--server.address") == "127.0.0.1"  # only Caddy is public
    assert option(start, "--server.port") == "8501"
    for argv in (*pre, start):
        assert argv[0].startswith(f"{APP_DIR}/.venv/bin/")  # make run's virtual environment
    assert service["WorkingDirectory"] == APP_DIR


@pytest.mark.parametrize("name", ["screening.service", "screening-backup.service"])
def test_the_services_are_hardened_and_write_only_where_they_must(name: str) -> None:
    service = unit(name)["Service"]
    assert service["User"] == service["Group"] == "screening"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ProtectHome"] == "yes"
    assert service["PrivateTmp"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    # The default SQLite database lives in data/ of the project folder (screening/storage).
    assert f"{APP_DIR}/data" in service["ReadWritePaths"].split()


def test_the_backup_runs_daily_and_keeps_two_weeks() -> None:
    timer = unit("screening-backup.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 03:15:00"
    assert timer["Timer"]["Persistent"] == "true"
    service = unit("screening-backup.service")["Service"]
    assert service["Type"] == "oneshot"
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[1]) == (FOLDER / "backup.py").relative_to(ROOT)
    assert argv[2] == "backup" and option(argv, "--keep-days") == "14"
    assert option(argv, "--to") in service["ReadWritePaths"].split()


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = tool("systemd-analyze", "apt-get install systemd")
    # An alternate root with the system's own units and stand-ins for the project's programs,
    # so the check needs no installation; warnings (an unknown or misspelt key) count as failures.
    root = tmp_path / "root"
    (root / "usr" / "lib" / "systemd").mkdir(parents=True)
    system = root / "usr" / "lib" / "systemd" / "system"
    shutil.copytree("/usr/lib/systemd/system", system, symlinks=True)
    installed = root / "etc" / "systemd" / "system"
    installed.mkdir(parents=True)
    for name in UNITS:
        shutil.copy(FOLDER / name, installed / name)
    bin_dir = root / APP_DIR.lstrip("/") / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for program in ("python", "streamlit"):
        (bin_dir / program).write_text("#!/bin/sh\n")
        (bin_dir / program).chmod(0o755)
    done = subprocess.run(
        [analyze, "verify", "--man=no", "--generators=no", f"--root={root}"]
        + [f"/etc/systemd/system/{name}" for name in UNITS],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


# --- Caddy -----------------------------------------------------------------------------------


def caddy_env(folder: Path) -> dict[str, str]:
    # Caddy keeps certificates and its autosaved config under these: a test's own folder.
    return {
        **os.environ,
        "HOME": str(folder),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }


def test_caddy_accepts_the_caddyfile(tmp_path: Path) -> None:
    caddy = tool("caddy", "apt-get install caddy")
    done = subprocess.run(
        [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=caddy_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    formatted = subprocess.run(
        [caddy, "fmt", str(CADDYFILE)], capture_output=True, text=True, env=caddy_env(tmp_path)
    )
    assert formatted.stdout == CADDYFILE.read_text(encoding="utf-8")  # caddy's own layout


@dataclass
class Proxied:
    app: Server
    base: str  # Caddy
    port: int


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    """The Caddyfile as deployed, but on a loopback port over plain HTTP (no certificate can be
    had here) and without the admin endpoint (parallel runs would share its port): the site
    block as the first-load benchmark serves it (bench/caddy.py), without its HTTPS."""
    tool("caddy", "apt-get install caddy")
    folder = tmp_path_factory.mktemp("caddy")
    env = {"SCREENING_DATABASE_URL": f"sqlite:///{folder / 'screening.db'}"}
    port = free_port()
    with (
        running(folder / "app.log", env) as app,
        caddy({port: app.port}, folder / "caddy.log", tls=False) as bases,
    ):
        yield Proxied(app, bases[app.port], port)


def test_the_check_is_served_through_caddy_with_hsts(proxied: Proxied) -> None:
    for path in ("/", "/_stcore/health", "/ready"):
        status, headers, _ = fetch(proxied.base + path)
        assert status == 200, path
        assert headers["strict-transport-security"].startswith("max-age=31536000"), path
        assert headers["x-content-type-options"] == "nosniff", path  # the app's own headers
        assert "server" not in headers, path
    with session(proxied.base, Origin=proxied.base) as tab:  # the WebSocket, proxied
        assert "nav.start" in tab.widgets


def test_metrics_are_served_by_the_app_but_not_through_caddy(proxied: Proxied) -> None:
    status, _, body = fetch(proxied.app.base + "/_stcore/metrics")
    assert status == 200 and is_metrics(body)  # there is something to hide
    for path in METRICS_SPELLINGS:
        status, _, body = fetch(proxied.base + path)
        assert not is_metrics(body), path
        status, body = raw_get(proxied.port, path)
        assert not is_metrics(body), (path, status)


@pytest.mark.parametrize(
    "path", [*AGENT_PATHS, "/_stcore/upload_file/x/y", "/_stcore/%75pload_file/x/y"]
)
def test_the_agent_api_and_uploads_are_refused_by_caddy(proxied: Proxied, path: str) -> None:
    status, _, body = fetch(proxied.base + path)
    assert status == 404 and b"agent" not in body.lower(), path
    assert raw_get(proxied.port, path)[0] == 404, path
