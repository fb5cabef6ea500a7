"""Load stage: read case files into plain data, keeping the position of every key.

In: paths of YAML files. Out: ``RawCase`` (data plus a map from each data path to
its line and column) or problems. This stage only reads: it checks nothing but
YAML syntax and duplicate keys, which a plain YAML load would silently accept.
Safe loading only (libyaml's ``CSafeLoader`` where available): no tags that
construct Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.problems import CODES, Problem, display_path

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Pos = tuple[int, int]
DataPath = tuple[str | int, ...]


@dataclass
class RawCase:
    """One case file as plain data, with positions for error messages."""

    path: Path
    data: Any
    #: data path -> (line, column) of the value, 1-based.
    values: dict[DataPath, Pos] = field(default_factory=dict)
    #: data path -> (line, column) of the key that holds it, 1-based.
    keys: dict[DataPath, Pos] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return display_path(self.path)

    def position(self, path: DataPath, key: bool = False) -> Pos:
        """Where ``path`` is in the file; falls back to the closest enclosing value."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return (1, 1)


def load_text(text: str, path: Path) -> tuple[RawCase | None, list[Problem]]:
    """Parse YAML text; return the raw case, or problems if it cannot be read."""
    shown = display_path(path)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [
            Problem(shown, line, col, "yaml-syntax", f"YAML syntax error: {message}", CODES["yaml-syntax"].fix)
        ]
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses, with no position mark
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        fix = "remove the invisible control character at that place (retype the text around it)"
        return None, [Problem(shown, line, col, "yaml-syntax", f"YAML syntax error: {reason}", fix)]
    finally:
        loader.dispose()
    raw = RawCase(path, None)
    problems: list[Problem] = []
    if node is None:
        return raw, problems
    try:
        raw.data = _walk(node, (), raw, problems, shown, yaml.SafeLoader(""))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [
            Problem(
                shown,
                line,
                col,
                "yaml-syntax",
                f"YAML error: {exc.problem}",
                "remove the tag (the text starting with !); case files use plain YAML only",
            )
        ]
    return raw, problems


def load_file(path: Path) -> tuple[RawCase | None, list[Problem]]:
    """Read and parse one case file."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None, [
            Problem(
                display_path(path),
                1,
                1,
                "missing-file",
                "no such file or folder",
                "check the path; case files live in cases/ and end in .yaml",
            )
        ]
    except UnicodeDecodeError as exc:
        return None, [
            Problem(display_path(path), 1, 1, "yaml-syntax", f"not UTF-8 text: {exc.reason}", "save the file as UTF-8")
        ]
    return load_text(text, path)


def _walk(
    node: yaml.Node, path: DataPath, raw: RawCase, problems: list[Problem], shown: str, constructor: yaml.SafeLoader
) -> Any:
    """Build plain data from a YAML node tree, recording positions and duplicate keys."""
    raw.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"unsupported tag {node.tag!r}", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                problems.append(
                    Problem(
                        shown,
                        line,
                        key_node.start_mark.column + 1,
                        "duplicate-key",
                        f"duplicate key '{key}' (first defined on line {first_seen[key]})",
                        f"merge the two '{key}' entries into one, or rename one of them",
                    )
                )
                continue
            first_seen[key] = line
            raw.keys[path + (key,)] = (line, key_node.start_mark.column + 1)
            result[key] = _walk(value_node, path + (key,), raw, problems, shown, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), raw, problems, shown, constructor) for i, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
