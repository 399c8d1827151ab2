"""Reads one YAML file into a node tree with positions, refusing what could hurt the bot.

Nodes (not plain Python values) are kept so that every problem can name `file:line:column`.
"""

from __future__ import annotations

import os
import stat
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
    path: Path, name: str | None = None, *, root: str | None = None
) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse a file into its root node, or explain why it cannot be used.

    `name` is how problems name the file (default: `display_path(path)`); `root`, see
    `read_text`.
    """
    name = name or display_path(path)
    text, problems = read_text(path, name, root=root)
    if text is None:
        return None, problems
    return compose(text, name)


class NotReadable(Exception):
    """A knowledge file that is refused before a byte of it is read; the text says why."""


def knowledge_root(directory: Path) -> str:
    """`directory` with every link resolved: what `read_text`'s `root` expects."""
    return os.path.realpath(directory)


def is_inside(path: str, root: str) -> bool:
    """Whether the resolved `path` is `root` or lies under it (both resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def locate(path: Path | str, root: str | None = None) -> tuple[str, os.stat_result]:
    """Where `path` leads (itself, or its link's target) and that file's status.

    Why: a knowledge file is opened by the bot on every load and reload, so only a regular
    file is read. A named pipe would block the read forever and a link to /dev/zero never
    ends; a link leading outside `root` (a resolved knowledge folder) could make the bot read
    any file its user may read. Raises NotReadable (with the reason) or OSError.
    """
    target = os.fspath(path)
    info = os.lstat(target)
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(target)
        info = os.stat(target)
        _require_regular(info)
        if root is not None and not is_inside(target, root):
            raise NotReadable(
                "it is a link to a file outside the knowledge folder; "
                "only files inside the folder are read (copy the file in instead)"
            )
    _require_regular(info)
    return target, info


def read_text(
    path: Path, name: str, *, root: str | None = None
) -> tuple[str | None, list[Problem]]:
    """A knowledge file's text, or why it cannot be read (not a regular file inside `root`,
    too big, not UTF-8, unreadable). Never reads more than MAX_FILE_BYTES + 1 bytes."""
    text, _, problems = read_file(path, name, root=root)
    return text, problems


def read_file(
    path: Path, name: str, *, root: str | None = None
) -> tuple[str | None, os.stat_result | None, list[Problem]]:
    """`read_text`, and the status of the file read (its size and time, for the cache)."""
    try:
        target, _ = locate(path, root)
        data, info = _read_bytes(target)
    except NotReadable as exc:
        return None, None, [Problem(name, 1, 1, str(exc))]
    except OSError as exc:
        return None, None, [Problem(name, 1, 1, f"cannot read the file ({exc.strerror or exc})")]
    try:
        return data.decode("utf-8"), info, []
    except UnicodeDecodeError as exc:
        return None, None, [Problem(name, 1, 1, f"the file is not UTF-8 text (byte {exc.start})")]


def _too_large(size: int) -> NotReadable:
    return NotReadable(
        f"the file is too large ({size / 1_000_000:.1f} MB); "
        f"knowledge files must be under {MAX_FILE_BYTES // 1_000_000} MB"
    )


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _require_regular(info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((kind for test, kind in _KINDS if test(info.st_mode)), "a special file")
        raise NotReadable(f"it is {kind}, not a regular file; knowledge files must be plain files")


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


def _read_bytes(target: str) -> tuple[bytes, os.stat_result]:
    """The file's bytes and status; NotReadable past MAX_FILE_BYTES (never reads more).

    Opened without following a link (`locate` resolved it) and without waiting (a file
    swapped for a named pipe since it was looked at opens at once, and is then refused)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        _require_regular(info)  # what was opened, whatever the path leads to now
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        parts = [os.read(fd, info.st_size + 1)]
        left = MAX_FILE_BYTES + 1 - len(parts[0])
        # all of it unless the file grew since (a short read of a regular file is its end)
        while len(parts[0]) > info.st_size and parts[-1] and left > 0:
            parts.append(os.read(fd, min(left, 1 << 16)))
            left -= len(parts[-1])
        data = b"".join(parts)
        if len(data) > MAX_FILE_BYTES:  # it grew past the limit while being read
            raise _too_large(len(data))
        return data, info
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
