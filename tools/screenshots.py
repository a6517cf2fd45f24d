"""Refresh the README's phone screenshots from the browser tests. Run with `make screenshots`.

tests/e2e/test_browser_screens.py walks every screen on a phone (390x844, touch) in English and
Spanish and photographs each one into build/screenshots/ (or $E2E_SCREENSHOTS). This runs that
test, then copies the pictures README.md shows (docs/screenshots/NAME.png) from there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "build" / "screenshots"))
DOCS = ROOT / "docs" / "screenshots"
TEST = "tests/e2e/test_browser_screens.py"
# The camera aid's pictures come from its own browser test (a fake camera).
MIRROR_TEST = "tests/e2e/test_browser_mirror.py::test_the_aid_compares_the_two_eyes"


def wanted() -> list[str]:
    """The screenshot file names README.md shows, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r"docs/screenshots/([\w.-]+\.png)", readme)))


def main() -> int:
    began = time.time()
    env = {**os.environ, "E2E_SCREENSHOTS": str(SHOTS)}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", TEST, MIRROR_TEST], cwd=ROOT, env=env
    )
    made = [n for n in wanted() if (SHOTS / n).is_file() and (SHOTS / n).stat().st_mtime >= began]
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in made:
        shutil.copyfile(SHOTS / name, DOCS / name)
    others = [n for n in wanted() if n not in made]
    print(f"copied to {DOCS.relative_to(ROOT)}: {', '.join(made) or 'nothing'}")
    if others:  # e.g. the staff dashboard, photographed by hand
        print(f"not made by the tests, left as they are: {', '.join(others)}")
    if tests.returncode != 0:
        print(f"{TEST} failed; the pictures it made were copied all the same", file=sys.stderr)
    return tests.returncode if made else 1


if __name__ == "__main__":
    sys.exit(main())
