"""Reads one YAML file into a node tree with positions, refusing what could hurt the bot.

Nodes (not plain Python values) are kept so that every problem can name `file:line:column`.
"""

from __future__ import annotations

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
    """The safe loader, resolving a plain scalar's tag with less Python per scalar.

    Same tags as PyYAML's own `resolve` (which it falls back to whenever a wildcard or path
    resolver is registered): a table lookup by first character, then those regexes only.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        table = self.yaml_implicit_resolvers
        plain = kind is yaml.ScalarNode and implicit[0]
        if plain and not self.yaml_path_resolvers and None not in table:
            for tag, regexp in table.get(value[:1], ()):
                if regexp.match(value):
                    return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


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
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, 1, f"the file is not UTF-8 text (byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"cannot read the file ({exc.strerror})")]
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
