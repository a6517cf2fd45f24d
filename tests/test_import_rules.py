"""Who may import whom, as docs/ARCHITECTURE.md's table says: every module is parsed with ast and
every import anywhere in it (a lazy one inside a function too) is checked against the table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ARCHITECTURE.md"
TABLE = re.compile(r"<!-- import-rules:start -->(.*?)<!-- import-rules:end -->", re.DOTALL)


def rules() -> dict[str, tuple[str, ...]]:
    """Package -> the packages it never imports, from the doc's table."""
    found = TABLE.search(DOC.read_text(encoding="utf-8"))
    assert found, "docs/ARCHITECTURE.md has lost its import-rules table"
    table: dict[str, tuple[str, ...]] = {}
    for line in found.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            table[cells[0].strip("`")] = tuple(re.findall(r"`([\w.]+)`", cells[1]))
    return table


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module an import statement in `source` names, anywhere in the tree, resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def modules_of(package: str) -> list[Path]:
    folder = ROOT.joinpath(*package.split("."))
    return sorted(folder.rglob("*.py"))


def breaks(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


CASES = [
    pytest.param(package, path, id=module_name(path))
    for package in rules()
    for path in modules_of(package)
]


@pytest.mark.parametrize(("package", "path"), CASES)
def test_module_keeps_the_import_rules(package: str, path: Path) -> None:
    forbidden = rules()[package]
    names = imports(path.read_text(encoding="utf-8"), module_name(path), path.stem == "__init__")
    wrong = sorted(name for name in names if breaks(name, forbidden))
    assert not wrong, f"{module_name(path)} imports {wrong} (docs/ARCHITECTURE.md forbids it)"


def test_the_table_names_every_package_and_only_those() -> None:
    table = rules()
    for package in table:
        assert ROOT.joinpath(*package.split("."), "__init__.py").is_file(), package
    web = {f"web.{p.parent.name}" for p in (ROOT / "web").glob("*/__init__.py")}
    assert web == {p for p in table if p.startswith("web.")}
    assert "screening" in table


def test_a_lazy_import_inside_a_function_is_seen() -> None:
    source = "def later():\n    from ..staff import access\n    import streamlit as st\n"
    found = imports(source, "web.selfcheck.result")
    assert "web.staff" in found and "web.staff.access" in found and "streamlit" in found
    assert breaks("web.staff.access", rules()["web.selfcheck"])
    assert not breaks("web.staffing", ("web.staff",))


def test_tests_never_import_test_modules() -> None:
    # Shared helpers live in support modules (apptest_support, staff_support, vignettes, ...).
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for name in imports(path.read_text(encoding="utf-8"), "tests.x"):
            if name.rpartition(".")[2].startswith("test_") or name.startswith("test_"):
                wrong.append(f"{path.relative_to(ROOT)}: {name}")
    assert not wrong
