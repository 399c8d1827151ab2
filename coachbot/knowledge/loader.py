"""Loads a whole knowledge directory, reporting every problem of the run at once.

With a compiled cache (see cache.py) a topic file whose name, size and mtime are unchanged
is taken from the cache instead of being parsed and validated again. Only valid files are
ever cached, and everything that spans files (duplicate ids, `related` links) is checked
again on every load, so the cache can make a load faster but never change its outcome.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import yaml

from coachbot.errors import KnowledgeError
from coachbot.knowledge.fastread import read_plain_topic
from coachbot.knowledge.models import KnowledgeBase, SynonymGroup, Topic
from coachbot.knowledge.quizfile import read_quizzes
from coachbot.knowledge.validator import read_string_list, read_synonyms, read_topic, suggest
from coachbot.knowledge.yamlsource import Problem, compose, display_path, read_node, read_text

if TYPE_CHECKING:
    from coachbot.knowledge.cache import KnowledgeCache

log = logging.getLogger(__name__)

SYNONYMS_FILE = "synonyms.yaml"
OUT_OF_SCOPE_FILE = "out_of_scope.yaml"
QUIZ_FOLDER = "quizzes"
MAX_TOPIC_FILES = 20_000


@dataclass(frozen=True)
class TopicFile:
    """One valid topic file, as the loader keeps it and the cache stores it."""

    name: str  # file name inside the topics folder
    size: int
    mtime_ns: int
    topic: Topic
    related: tuple[tuple[str, int, int], ...]  # each `related` entry: name, line, column


# one topic file read: the file, or None and the problems that stop it
Outcome = tuple[TopicFile | None, list[Problem]]


@dataclass(frozen=True)
class Loaded:
    """A validated knowledge base and the topic files it came from."""

    kb: KnowledgeBase
    files: tuple[TopicFile, ...]
    started_ns: int  # wall clock when the files were listed (see KnowledgeCache.save)


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Validate everything under `directory`; raise KnowledgeError listing every problem."""
    return read_knowledge(directory).kb


def read_knowledge(
    directory: Path,
    cache: KnowledgeCache | None = None,
    *,
    parse: Callable[[list[TopicSource]], list[Outcome]] | None = None,
) -> Loaded:
    """`load_knowledge`, taking unchanged topic files from `cache` when one is given.

    `parse` reads the topic files the cache does not hold, each as `read_topic_file` does
    (bulkload.py does it on several cores); by default, `read_topic_files`.
    """
    started_ns = time.time_ns()
    directory = Path(directory)
    topics_dir = directory / "topics"
    if not topics_dir.is_dir():
        raise KnowledgeError([f"{display_path(topics_dir)}: no topics folder here"])
    problems: list[Problem] = []
    files = _listed(topics_dir, "*.yaml") + _listed(topics_dir, "*.yml")
    if not files:
        raise KnowledgeError([f"{display_path(topics_dir)}: no topic files (*.yaml)"])
    if len(files) > MAX_TOPIC_FILES:
        raise KnowledgeError([f"{display_path(topics_dir)}: more than {MAX_TOPIC_FILES} files"])

    shown = _display_names(topics_dir)
    # each file's outcome, in order: from the cache, or parsed below (all at once, so that
    # `parse` can spread a big knowledge base over several processes)
    outcomes: list[Outcome] = []
    todo: list[tuple[int, TopicSource]] = []
    for path in files:
        name = shown(path.name)
        if cache is None:  # (the parser looks at the file's size and time itself)
            todo.append((len(outcomes), TopicSource(path, name)))
            outcomes.append((None, []))
            continue
        try:
            stat = path.stat()
        except OSError as exc:
            outcomes.append((None, [_unreadable(name, exc)]))
            continue
        cached = cache.topic_file(path.name, stat.st_size, stat.st_mtime_ns, name)
        if cached is not None:
            outcomes.append((cached, []))
            continue
        todo.append((len(outcomes), TopicSource(path, name, stat.st_size, stat.st_mtime_ns)))
        outcomes.append((None, []))
    parsed = (parse or read_topic_files)([source for _, source in todo])
    for (slot, _), outcome in zip(todo, parsed, strict=True):
        outcomes[slot] = outcome

    loaded: list[TopicFile] = []
    seen: dict[str, str] = {}  # topic id -> the file it came from
    for entry, file_problems in outcomes:
        problems.extend(file_problems)
        if entry is None:
            continue
        topic = entry.topic
        if topic.id in seen:
            problems.append(
                Problem(
                    topic.source_file, 1, 1, f"duplicate id '{topic.id}' (also in {seen[topic.id]})"
                )
            )
            continue
        seen[topic.id] = topic.source_file
        loaded.append(entry)

    problems.extend(_related_problems(loaded, topics_dir))
    synonyms = _optional(directory / SYNONYMS_FILE, problems, read_synonyms)
    out_of_scope = _optional(
        directory / OUT_OF_SCOPE_FILE,
        problems,
        lambda file, root: read_string_list(file, root, "examples"),
    )
    quiz, quiz_problems = read_quizzes(directory / QUIZ_FOLDER, set(seen))
    problems.extend(quiz_problems)
    if problems:
        raise KnowledgeError([str(p) for p in problems])
    log.info("loaded %d topics from %s", len(loaded), display_path(directory))
    kb = KnowledgeBase(
        topics=tuple(entry.topic for entry in loaded),
        synonyms=synonyms or (),
        out_of_scope=out_of_scope or (),
        quiz=quiz,
    )
    return Loaded(kb=kb, files=tuple(loaded), started_ns=started_ns)


def _listed(folder: Path, pattern: str) -> list[Path]:
    """Sorted as pathlib sorts paths; in one folder that is by normcase'd name, and keying
    on it skips 100,000 Path comparisons at 10,000 files."""
    return sorted(folder.glob(pattern), key=lambda path: os.path.normcase(path.name))


class TopicSource(NamedTuple):
    """A topic file to parse, as listed (and stat'ed) by the loader."""

    path: Path
    shown: str  # how problems name it
    size: int | None = None  # None: not looked at yet
    mtime_ns: int | None = None


def read_topic_files(sources: list[TopicSource]) -> list[Outcome]:
    """Parse and validate each file, in this process (see `read_knowledge`'s `parse`)."""
    return [read_topic_file(source) for source in sources]


def read_topic_file(source: TopicSource) -> Outcome:
    """One topic file, parsed and validated: the TopicFile, or the problems that stop it."""
    path, shown, size, mtime_ns = source
    if size is None or mtime_ns is None:
        try:
            stat = path.stat()
        except OSError as exc:
            return None, [_unreadable(shown, exc)]
        size, mtime_ns = stat.st_size, stat.st_mtime_ns
    text, problems = read_text(path, shown, size)
    if text is None:
        return None, problems
    plain = read_plain_topic(text, shown, path.stem)
    if plain is not None:  # valid for certain: `related` positions only if ever needed
        topic, related = plain
        return TopicFile(path.name, size, mtime_ns, topic, tuple((r, 0, 0) for r in related)), []
    root, problems = compose(text, shown)
    if root is None:
        return None, problems
    topic, problems = read_topic(shown, path.stem, root)
    if topic is None:
        return None, problems
    return TopicFile(path.name, size, mtime_ns, topic, _related_positions(root)), []


def _related_positions(root: yaml.Node) -> tuple[tuple[str, int, int], ...]:
    related = next(
        (value for key, value in root.value if getattr(key, "value", None) == "related"), None
    )
    return tuple(
        (" ".join(str(item.value).split()), item.start_mark.line + 1, item.start_mark.column + 1)
        for item in _items(related)
    )


def _positioned(entry: TopicFile, topics_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """`entry.related` with positions; a file read without nodes (see fastread.py) is read
    again with them, which only a file with a broken `related` link ever needs."""
    if all(line for _, line, _ in entry.related):
        return entry.related
    shown = entry.topic.source_file
    text, _ = read_text(topics_dir / entry.name, shown)
    root, _ = compose(text, shown) if text is not None else (None, [])
    found = _related_positions(root) if isinstance(root, yaml.MappingNode) else ()
    if [name for name, _, _ in found] != [name for name, _, _ in entry.related]:
        return tuple((name, 1, 1) for name, _, _ in entry.related)  # changed since: no position
    return found


def _unreadable(shown: str, exc: OSError) -> Problem:
    return Problem(shown, 1, 1, f"cannot read the file ({exc.strerror})")


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    value = getattr(node, "value", None)
    return value if isinstance(value, list) else []


def _display_names(topics_dir: Path) -> Callable[[str], str]:
    """`display_path` of each file in `topics_dir`, without pathlib work per file."""
    folder = display_path(topics_dir)
    if folder == ".":
        return lambda name: name
    return lambda name: folder + os.sep + name


def _related_problems(files: list[TopicFile], topics_dir: Path) -> list[Problem]:
    known = {entry.topic.id for entry in files}
    problems = []
    for entry in files:
        topic = entry.topic
        if known.issuperset(entry.topic.related) and topic.id not in topic.related:
            continue
        for name, line, column in _positioned(entry, topics_dir):
            if name == topic.id:
                problems.append(
                    Problem(topic.source_file, line, column, "a topic cannot relate to itself")
                )
            elif name not in known:
                hint = suggest(name, known)
                problems.append(
                    Problem(
                        topic.source_file, line, column, f"unknown related topic '{name}'{hint}"
                    )
                )
    return problems


def _optional(path: Path, problems: list[Problem], read) -> tuple | None:
    if not path.exists():
        return None
    root, read_problems = read_node(path)
    problems.extend(read_problems)
    if root is None:
        return None
    values, more = read(display_path(path), root)
    problems.extend(more)
    return values


__all__ = [
    "Loaded",
    "Outcome",
    "SynonymGroup",
    "TopicFile",
    "TopicSource",
    "load_knowledge",
    "read_knowledge",
    "read_topic_file",
]
