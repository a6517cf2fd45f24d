"""Load questions.yaml and clinic.yaml into frozen models, or report every problem with its line."""

from __future__ import annotations

import difflib
import hashlib
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ContentError, Problem
from . import consistency, yamlread
from .models import LANGUAGES, Clinic, Questionnaire

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_QUESTIONS = ROOT / "questions.yaml"
DEFAULT_CLINIC = ROOT / "clinic.yaml"

M = TypeVar("M", bound=BaseModel)


def load_questionnaire(path: Path = DEFAULT_QUESTIONS) -> Questionnaire:
    """Read, validate and resolve questions.yaml; raise ContentError listing every problem."""
    data, lines, problems = yamlread.read(path, _label(path))
    model = _validate(Questionnaire, data, lines, problems, _label(path))
    problems += consistency.check(model, lines, _label(path)) if model else []
    if problems or model is None:
        raise ContentError(_sorted(problems))
    return consistency.resolve(model, version=content_hash(model))


def load_clinic(path: Path = DEFAULT_CLINIC) -> Clinic:
    """Read and validate clinic.yaml; raise ContentError listing every problem."""
    data, lines, problems = yamlread.read(path, _label(path))
    model = _validate(Clinic, data, lines, problems, _label(path))
    if model is not None and model.default_language not in model.languages:
        problems.append(
            Problem(
                "E202",
                "must be one of the languages offered",
                _label(path),
                lines.get(("default_language",)),
                "default_language",
            )
        )
    if problems or model is None:
        raise ContentError(_sorted(problems))
    return model


def check_file(path: Path) -> list[Problem]:
    """Every problem of a content file; the kind is told by its name (…clinic.yaml or not)."""
    try:
        if path.name.endswith("clinic.yaml") or path.name.endswith("clinic.yml"):
            load_clinic(path)
        else:
            load_questionnaire(path)
    except ContentError as exc:
        return exc.problems
    return []


def content_hash(model: Questionnaire) -> str:
    """A short hash of the questionnaire's meaning (not its formatting or comments)."""
    canonical = json.dumps(model.model_dump(mode="json", exclude={"version"}), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.field, p.code))


def _validate(
    cls: type[M], data: Any, lines: dict[yamlread.Path_, int], problems: list[Problem], label: str
) -> M | None:
    if problems or data is None:
        return None
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(_problem_from(cls, err, data, lines, label))
        return None


def _problem_from(
    cls: type[BaseModel], err: Any, data: Any, lines: dict[yamlread.Path_, int], label: str
) -> Problem:
    path = _data_path(data, tuple(err["loc"]))
    kind = err["type"]
    field = ".".join(str(p) for p in path)
    line = _line_for(lines, path)
    if kind == "extra_forbidden":
        known = _field_names(cls, path[:-1])
        hint = difflib.get_close_matches(str(path[-1]), known, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        return Problem("E200", f"unknown key '{path[-1]}'{extra}", label, line, field)
    if kind == "missing":
        if path and path[-1] in LANGUAGES:
            return Problem("E203", f"the '{path[-1]}' text is missing", label, line, field)
        return Problem("E201", "this field is required", label, line, field)
    value = err.get("input")
    shown = repr(value) if isinstance(value, (str, int, float, bool)) else type(value).__name__
    return Problem("E202", f"{err['msg']} (got {shown[:60]})", label, line, field)


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic location that exist in the data (drops union branch names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            # A missing field: name it, there is nothing further to descend into.
            if part.replace("_", "").isalnum() and part not in ("int", "str", "none"):
                path.append(part.rstrip("_"))
            break
    return tuple(path)


def _line_for(lines: dict[yamlread.Path_, int], path: tuple[str | int, ...]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _field_names(cls: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The field names of the model found at `path` below `cls` (for "did you mean")."""
    current: Any = cls
    for part in path:
        current = _step_into(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _step_into(tp: Any, part: str | int) -> Any:
    tp = _unwrap_optional(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
        for name, f in tp.model_fields.items():
            if part in (name, f.alias):
                return f.annotation
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple and args:
        return _unwrap_optional(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap_optional(args[1])
    return None


def _unwrap_optional(tp: Any) -> Any:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap_optional(rest[0]) if len(rest) == 1 else tp
    return tp
