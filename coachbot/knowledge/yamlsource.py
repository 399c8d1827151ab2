"""Reads one YAML file into a node tree with positions, refusing what could hurt the bot.

Nodes (not plain Python values) are kept so that every problem can name `file:line:column`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000

try:  # libyaml is several times faster; PyYAML's pure-Python loader is the fallback
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with less Python per node (the C composer calls back for each one).

    Same tags as PyYAML's own `resolve` (used whenever a wildcard or path resolver is
    registered): a table lookup by first character, then those regexes only. With no path
    resolvers, PyYAML's `descend_resolver` and `ascend_resolver` return at once; here they
    are builtins that do nothing, and `resolve` is a closure, so no method is bound per call.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        table = self.yaml_implicit_resolvers
        if self.yaml_path_resolvers or None in table:
            return  # PyYAML's own methods, as they are
        get, scalar = table.get, yaml.ScalarNode
        # what PyYAML's `resolve` falls back to; no reference to `self`, so no cycle keeps a
        # loader alive while the garbage collector is paused
        defaults = {
            scalar: self.DEFAULT_SCALAR_TAG,
            yaml.SequenceNode: self.DEFAULT_SEQUENCE_TAG,
            yaml.MappingNode: self.DEFAULT_MAPPING_TAG,
        }

        def resolve(kind: type, value: str, implicit: tuple[bool, bool]) -> str | None:
            if kind is scalar and implicit[0]:
                for tag, regexp in get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return defaults.get(kind)

        self.resolve = resolve
        self.descend_resolver = _IGNORE_TWO
        self.ascend_resolver = _IGNORE_NONE


_IGNORE_TWO = {}.get  # called as (node, index); returns None like the methods it stands in for
_IGNORE_NONE = int  # called with no arguments


@dataclass(frozen=True)
class Problem:
    """One validation problem, rendered as `file:line:column: message`."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def at(file: str, node: yaml.Node | None, message: str) -> Problem:
    """A problem positioned at a node (1-based line and column, as editors count)."""
    if node is None:
        return Problem(file, 1, 1, message)
    mark = node.start_mark
    return Problem(file, mark.line + 1, mark.column + 1, message)


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as a trainer would type it: relative to the working directory when possible."""
    base = base or Path.cwd().resolve()
    try:
        return str(path.absolute().relative_to(base))
    except ValueError:
        return str(path)


def read_node(
    path: Path, name: str | None = None, size: int | None = None
) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse a file into its root node, or explain why it cannot be used.

    `name` is how problems name the file (default: `display_path(path)`); `size`, its size
    if the caller has just looked.
    """
    name = name or display_path(path)
    text, problems = read_text(path, name, size)
    if text is None:
        return None, problems
    return compose(text, name)


def read_text(path: Path, name: str, size: int | None = None) -> tuple[str | None, list[Problem]]:
    """A knowledge file's text, or why it cannot be read (too big, not UTF-8, unreadable)."""
    try:
        size = path.stat().st_size if size is None else size
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"cannot read the file ({exc.strerror})")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                name,
                1,
                1,
                f"the file is too large ({size / 1_000_000:.1f} MB); "
                f"knowledge files must be under {MAX_FILE_BYTES // 1_000_000} MB",
            )
        ]
    try:
        return _read_bytes(path, size).decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, 1, f"the file is not UTF-8 text (byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"cannot read the file ({exc.strerror})")]


def compose(text: str, name: str) -> tuple[yaml.Node | None, list[Problem]]:
    """`text` as a node tree with positions, or its syntax problem; refuses YAML bombs."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(name, line, column, f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, 1, f"YAML error: {exc.__class__.__name__}")]
    if root is None:
        return None, [Problem(name, 1, 1, "the file is empty")]
    # an alias needs a '*' and MAX_NODES values need far more text: skip the walk (the
    # composer's own output is a tree) unless either could be there
    problem = None
    if "*" in text or len(text) > MAX_NODES // 4:
        problem = _shared_node_problem(name, root)
    if problem:
        return None, [problem]
    return root, []


def _read_bytes(path: Path, size: int) -> bytes:
    """`path.read_bytes()` with less work per file (no file object); `size` is a hint."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = [os.read(fd, size + 1)]
        if len(parts[0]) <= size:  # all of it: a short read of a regular file is its end
            return parts[0]
        while parts[-1]:  # the file grew since its size was taken, or reports none
            parts.append(os.read(fd, 1 << 16))
        return b"".join(parts)
    finally:
        os.close(fd)


def _shared_node_problem(name: str, root: yaml.Node) -> Problem | None:
    """Refuse anchors/aliases (the 'billion laughs' bomb) and absurdly large trees.

    An alias makes the composer reuse one node object, so a node seen twice is an alias.
    """
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return at(name, node, "anchors and aliases (& and *) are not allowed here")
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            return at(name, root, f"the file has more than {MAX_NODES} values")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None
