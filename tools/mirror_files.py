"""`make mirror-files`: the camera aid's face model (npm @mediapipe/face_mesh, pinned) into the
aid's component folder, with a manifest of the sizes a phone downloads.

Installed once with `npm install --exact` into build/npm/ (as the tests' pinned packages), then
copied. Without npm it says so in one line and ends without an error: `make run` goes on and the
aid is simply not offered.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from web.selfcheck.mirror_files import MODEL_DIR, PACKAGE, VERSION, place, sizes

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "npm"


def installed_package() -> Path | None:
    """The package folder in build/npm/, installed with npm when missing; None without npm."""
    folder = CACHE / f"{PACKAGE.replace('/', '+')}@{VERSION}"
    package = folder / "node_modules" / PACKAGE
    if _version(package) == VERSION:
        return package
    npm = shutil.which("npm")
    if npm is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--exact", "--prefix", str(folder), "--ignore-scripts",
         "--no-audit", "--no-fund", "--loglevel=error", f"{PACKAGE}@{VERSION}"],
        check=False,
    )  # fmt: skip
    if done.returncode != 0:  # no registry at hand, say: the app runs without the aid
        return None
    return package if _version(package) == VERSION else None


def _version(package: Path) -> str | None:
    try:
        return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def main() -> int:
    if sizes() is not None:
        return 0
    package = installed_package()
    if package is None:
        print(
            f"camera aid not installed: npm could not install {PACKAGE}@{VERSION} (the app runs "
            "without it)"
        )
        return 0
    place(package)
    print(f"camera aid: {PACKAGE}@{VERSION} in {MODEL_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
