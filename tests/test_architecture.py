"""An architecture rule that runs: what each module of screening/ may import.

Each module is imported on its own in a fresh interpreter, and every top-level package that
import brings into sys.modules is checked against an allow-list. The pure core needs only the
standard library and pydantic; a library that belongs to one shell (the database, the PDF) is
allowed in that shell's module and nowhere else. To let a module use a new library, add it to
ALLOWED below (and what it pulls in to PULLED_IN); that one line is the design decision.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "screening"

# Every module not listed: the standard library, pydantic and PyYAML.
DEFAULT = frozenset({"pydantic", "yaml"})
# The longest matching prefix wins ("screening.records.storage" covers screening.storage.store).
ALLOWED: dict[str, frozenset[str]] = {
    # The pure core: no YAML, no files, only models and rules.
    "screening.errors": frozenset(),
    "screening.questionnaire.models": frozenset({"pydantic"}),
    "screening.questionnaire.rules": frozenset({"pydantic"}),
    "screening.outputs.summary": frozenset({"pydantic"}),
    "screening.outputs.fhir": frozenset({"pydantic"}),  # plain dicts; fhir.resources only in tests
    # Shells that own one library each.
    "screening.records.contact": DEFAULT | {"phonenumbers", "email_validator"},
    "screening.records.storage": DEFAULT
    | {"sqlalchemy", "phonenumbers", "email_validator"},  # + contact
    "screening.outputs.report": DEFAULT | {"fpdf"},
    # The result page's model offers the PDF (report) and the contact form (contact).
    "screening.outputs.result_page": DEFAULT | {"fpdf", "phonenumbers", "email_validator"},
}
# Packages an allowed package brings in by itself.
PULLED_IN: dict[str, frozenset[str]] = {
    "pydantic": frozenset(
        {"pydantic_core", "annotated_types", "typing_extensions", "typing_inspection"}
    ),
    "yaml": frozenset({"_yaml"}),
    "sqlalchemy": frozenset({"greenlet", "typing_extensions"}),
    "email_validator": frozenset({"idna", "dns"}),
    # fpdf imports numpy when it is installed (pandas brings it), and cryptography (Authlib
    # brings it, for single sign-on) for signed PDFs; the summary uses neither.
    "fpdf": frozenset(
        {"PIL", "fontTools", "defusedxml", "numpy", "cryptography", "_cffi_backend", "_openssl"}
    ),
}
# Not packages anyone chose: compiled-extension runtimes and the interpreter's own build data.
INTERNALS = re.compile(r"^(_cython_[0-9_]+|cython_runtime|_sysconfigdata_.*)$")
NEVER = ("streamlit", "pandas", "altair")  # the page's libraries never reach the core

IMPORT_ONE = """
import importlib, json, sys
before = set(sys.modules)
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(set(sys.modules) - before)))
"""
RUN_MAIN = """
import contextlib, io, json, runpy, sys
before = set(sys.modules)
sys.argv = ["screening", "check"]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    runpy.run_module("screening", run_name="__main__")
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def modules() -> list[str]:
    """Every module of the package, found on disk (a new module is checked without a change)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append(".".join(parts))
    return found


def allowed_for(module: str) -> frozenset[str]:
    keys = [k for k in ALLOWED if module == k or module.startswith(k + ".")]
    chosen = ALLOWED[max(keys, key=len)] if keys else DEFAULT
    pulled = [PULLED_IN.get(name, frozenset()) for name in chosen]
    return chosen.union(*pulled)


@pytest.fixture(scope="module")
def imported() -> dict[str, set[str]]:
    """Module name -> top-level packages its import added, each from a fresh interpreter."""
    running = {}
    for module in modules():
        script, args = (RUN_MAIN, []) if module == "screening.__main__" else (IMPORT_ONE, [module])
        running[module] = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    result = {}
    for module, process in running.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, f"importing {module} failed:\n{err}"
        result[module] = {name.split(".")[0] for name in json.loads(out)}
    return result


def test_every_module_is_found() -> None:
    found = modules()
    for core in ("questionnaire.models", "questionnaire.loader", "questionnaire.rules", "errors"):
        assert f"screening.{core}" in found
    assert "screening.cli" in found and "screening.__main__" in found


@pytest.mark.parametrize("module", modules())
def test_module_imports_only_what_it_may(imported: dict[str, set[str]], module: str) -> None:
    third_party = {
        name
        for name in imported[module]
        if name not in sys.stdlib_module_names and name != "screening" and not INTERNALS.match(name)
    }
    assert not third_party & set(NEVER), f"{module} imports a page library"
    assert third_party <= allowed_for(module), sorted(third_party - allowed_for(module))


def test_rule_catches_a_forbidden_library() -> None:
    # The check itself must be able to fail: sqlalchemy is not allowed outside storage.
    assert "sqlalchemy" not in allowed_for("screening.questionnaire.rules")
    assert "sqlalchemy" not in allowed_for("screening.questionnaire.models")
    assert "sqlalchemy" in allowed_for("screening.records.storage.store")
    assert "yaml" not in allowed_for("screening.questionnaire.rules")
    assert "fpdf" in allowed_for("screening.outputs.report")
    assert "fpdf" not in allowed_for("screening.questionnaire.loader")
