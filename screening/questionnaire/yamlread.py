"""Safe, bounded YAML reading that remembers the line of every value.

Content files are edited by hand, so every problem must point at a line. PyYAML's compose()
keeps the marks; we turn nodes into plain data ourselves so that duplicate keys, aliases
(exponential "billion laughs" expansion) and object-building tags are refused instead of
silently accepted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

MAX_BYTES = 512 * 1024  # the real questionnaire is about 40 KB
MAX_DEPTH = 24

Path_ = tuple[str | int, ...]


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader whose booleans follow YAML 1.2: `yes`/`no`/`on`/`off` stay strings.

    Option ids are literally `yes` and `no`; YAML 1.1 would turn them into booleans.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # Each *name becomes its own marker node: never expanded, and placed on its own line
        # (PyYAML would hand back the anchored node, whose line is the &name's).
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            return yaml.ScalarNode(_ALIAS_TAG, event.anchor, event.start_mark, event.end_mark)
        # PyYAML composes recursively: thousands of nested [ would end in a RecursionError.
        # Stop well before that, at the first level deeper than any content file may go.
        if self.depth > MAX_DEPTH:
            raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__()
        self.mark = mark


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# No number in a content file needs more: Python refuses to read an integer of more than 4,300
# digits (ValueError, not a YAML error), which once stopped the server from starting at all.
MAX_NUMBER_CHARS = 30
_MAP_TAG = "tag:yaml.org,2002:map"
_ALIAS_TAG = "tag:screening,alias"  # not a real tag: the marker _Yaml12Loader leaves for *name
_SEQ_TAG = "tag:yaml.org,2002:seq"


def read(path: Path, label: str) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Parse a content file into plain data, a map of field path to line, and problems."""
    try:
        size = path.stat().st_size
        # Never more than the limit into memory, even from a file whose size says 0 (a pipe,
        # /dev/zero) or one that grows while it is read.
        with path.open("rb") as stream:
            raw = b"" if size > MAX_BYTES else stream.read(MAX_BYTES + 1)
        if size > MAX_BYTES or len(raw) > MAX_BYTES:
            found = f"{size} bytes" if size > MAX_BYTES else f"more than {MAX_BYTES} bytes"
            message = f"{found}; the limit is {MAX_BYTES}"
            return None, {}, [Problem("E101", message, label, 1)]  # the whole file: line 1
    except OSError as exc:
        return None, {}, [Problem("E100", exc.strerror or "cannot be read", label)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, {}, [Problem("E102", f"not UTF-8 text (byte {exc.start})", label, line)]
    return parse(text, label)


def parse(text: str, label: str) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Parse YAML text; see read()."""
    try:
        loader = _Yaml12Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _TooDeep as exc:
        message = f"nested more than {MAX_DEPTH} levels"
        return None, {}, [Problem("E107", message, label, exc.mark.line + 1)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "does not parse"
        return None, {}, [Problem("E102", what, label, line)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. \x01
        line = text.count("\n", 0, exc.position) + 1
        message = f"the control character #x{exc.character:04x} is not allowed"
        return None, {}, [Problem("E102", message, label, line)]
    except yaml.YAMLError as exc:
        return None, {}, [Problem("E102", str(exc).splitlines()[0], label, 1)]
    if node is None:
        return None, {}, [Problem("E106", "the file is empty", label, 1)]
    walker = _Walker(label, loader)
    data = walker.build(node, (), 0)
    if not walker.problems and not isinstance(data, dict):
        walker.problems.append(Problem("E106", "expected key: value pairs", label, 1))
    return data, walker.lines, walker.problems


class _Walker:
    def __init__(self, label: str, loader: yaml.SafeLoader) -> None:
        self.label = label
        self.loader = loader
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []

    def _problem(self, code: str, message: str, node: yaml.Node, path: Path_) -> None:
        field = ".".join(str(p) for p in path)
        self.problems.append(Problem(code, message, self.label, node.start_mark.line + 1, field))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if node.tag == _ALIAS_TAG:
            self._problem("E103", "an alias (*name) repeats another part of the file", node, path)
            return None
        self.lines.setdefault(path, node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            self._problem("E107", f"nested more than {MAX_DEPTH} levels", node, path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._problem("E104", f"tag {node.tag} is not allowed", node, path)
                return None
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            self._problem("E104", f"tag {node.tag} is not allowed", node, path)
            return None
        if node.tag in _NUMBER_TAGS and len(str(node.value)) > MAX_NUMBER_CHARS:
            message = f"a number of {len(str(node.value))} characters (at most {MAX_NUMBER_CHARS})"
            self._problem("E108", message, node, path)
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):  # a number Python will not read
            self._problem("E108", "a number that cannot be read", node, path)
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> Any:
        if node.tag != _MAP_TAG:
            self._problem("E104", f"tag {node.tag} is not allowed", node, path)
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem("E103", "merge keys (<<) are not allowed", key_node, path)
                continue
            if key_node.tag == _ALIAS_TAG:
                self._problem("E103", "an alias (*name) cannot be a key", key_node, path)
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self._problem("E202", "a key must be plain text", key_node, path)
                continue
            key = str(key_node.value)
            if key in out:
                self._problem("E105", f"key '{key}' appears twice", key_node, (*path, key))
                continue
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out
