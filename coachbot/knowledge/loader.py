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
from coachbot.knowledge.fast.read import read_plain_topic
from coachbot.knowledge.models import DraftTopic, KnowledgeBase, SynonymGroup, Topic
from coachbot.knowledge.quizfile import read_quizzes
from coachbot.knowledge.validator import (
    DRAFT_LINE,
    is_draft,
    read_string_list,
    read_synonyms,
    read_topic,
    suggest,
)
from coachbot.knowledge.yamlsource import (
    NotReadable,
    Problem,
    compose,
    display_path,
    is_inside,
    knowledge_root,
    locate,
    read_file,
    read_node,
    read_text,
)

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


@dataclass(frozen=True)
class Draft:
    """A topic file marked `draft: true`, as read: its TopicFile if it has no problem."""

    entry: TopicFile | None


# one topic file read: the file (or a draft), or None; and the problems that stop it
Outcome = tuple[TopicFile | Draft | None, list[Problem]]


class KnowledgeProblems(KnowledgeError):
    """A load's problems as `Problem`s, and the drafts it found, for `kb lint`."""

    def __init__(self, found: list[Problem], drafts: tuple[DraftTopic, ...]) -> None:
        super().__init__([str(p) for p in found])
        self.found = found
        self.drafts = drafts


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
    (fast/bulkload.py does it on several cores); by default, `read_topic_files`.
    """
    started_ns = time.time_ns()
    directory = Path(directory)
    topics_dir = directory / "topics"
    if not topics_dir.is_dir():
        raise KnowledgeError([f"{display_path(topics_dir)}: no topics folder here"])
    root = knowledge_root(directory)  # files are read only if they lie inside it
    _require_inside(topics_dir, root)
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
            todo.append((len(outcomes), TopicSource(path, name, root=root)))
            outcomes.append((None, []))
            continue
        try:  # only a regular file inside the folder may come from the cache
            _, stat = locate(path, root)
        except (OSError, NotReadable):
            stat = None  # the parser says why
        cached = stat and cache.topic_file(path.name, stat.st_size, stat.st_mtime_ns, name)
        if cached:
            outcomes.append((cached, []))
            continue
        todo.append((len(outcomes), TopicSource(path, name, root=root)))
        outcomes.append((None, []))
    parsed = (parse or read_topic_files)([source for _, source in todo])
    for (slot, _), outcome in zip(todo, parsed, strict=True):
        outcomes[slot] = outcome

    loaded: list[TopicFile] = []
    seen: dict[str, str] = {}  # topic id -> the file it came from
    # ids that exist although they are not served: a file that failed (its own problems are
    # the root cause, a link to it is not one more) or a draft (a link waits until it is live)
    unserved: set[str] = set()
    drafts: list[tuple[str, str, list[Problem], list[TopicFile]]] = []
    for path, (entry, file_problems) in zip(files, outcomes, strict=True):
        if isinstance(entry, Draft):  # its `related` links are checked once all ids are known
            links = [entry.entry] if entry.entry else []
            drafts.append((path.stem, shown(path.name), file_problems, links))
            unserved.add(path.stem)
            continue
        problems.extend(file_problems)
        if entry is None:
            unserved.add(path.stem)
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

    known, where = unserved.union(seen), (topics_dir, root)
    problems.extend(_related_problems(loaded, known, *where))
    synonyms = _optional(directory / SYNONYMS_FILE, root, problems, read_synonyms)
    out_of_scope = _optional(
        directory / OUT_OF_SCOPE_FILE,
        root,
        problems,
        lambda file, node: read_string_list(file, node, "examples"),
    )
    quiz_folder = directory / QUIZ_FOLDER
    _require_inside(quiz_folder, root)
    quiz, quiz_problems = read_quizzes(quiz_folder, set(seen), root=root, unserved=unserved)
    problems.extend(quiz_problems)
    draft_topics = tuple(
        DraftTopic(stem, name, tuple(map(str, found + _related_problems(links, known, *where))))
        for stem, name, found, links in drafts
    )
    if problems:
        raise KnowledgeProblems(problems, draft_topics)
    log.info("loaded %d topics from %s", len(loaded), display_path(directory))
    kb = KnowledgeBase(
        topics=tuple(entry.topic for entry in loaded),
        synonyms=synonyms or (),
        out_of_scope=out_of_scope or (),
        quiz=quiz,
        drafts=draft_topics,
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
    root: str | None = None  # the resolved knowledge folder: a link must lead inside it


def read_topic_files(sources: list[TopicSource]) -> list[Outcome]:
    """Parse and validate each file, in this process (see `read_knowledge`'s `parse`).

    The reference for `fast.bulkload.BulkReader`, which reads the same files on several cores.
    """
    return [read_topic_file(source) for source in sources]


def read_topic_file(source: TopicSource) -> Outcome:
    """One topic file, parsed and validated: the TopicFile, or the problems that stop it."""
    path, shown, root = source
    text, stat, problems = read_file(path, shown, root=root)
    if text is None or stat is None:
        return None, problems
    size, mtime_ns = stat.st_size, stat.st_mtime_ns
    plain = read_plain_topic(text, shown, path.stem)  # (never a draft: no `draft` key)
    if plain is not None:  # valid for certain: `related` positions only if ever needed
        topic, related = plain
        return TopicFile(path.name, size, mtime_ns, topic, tuple((r, 0, 0) for r in related)), []
    node, problems = compose(text, shown)
    if node is None:  # a draft still, if its `draft: true` line says so
        return (Draft(None) if DRAFT_LINE.search(text) else None), problems
    topic, problems = read_topic(shown, path.stem, node)
    entry = TopicFile(path.name, size, mtime_ns, topic, _related_positions(node)) if topic else None
    if is_draft(node):
        return Draft(entry), problems
    return entry, problems


def _related_positions(root: yaml.Node) -> tuple[tuple[str, int, int], ...]:
    related = next(
        (value for key, value in root.value if getattr(key, "value", None) == "related"), None
    )
    return tuple(
        (" ".join(str(item.value).split()), item.start_mark.line + 1, item.start_mark.column + 1)
        for item in _items(related)
    )


def _positioned(entry: TopicFile, topics_dir: Path, root: str) -> tuple[tuple[str, int, int], ...]:
    """`entry.related` with positions; a file read without nodes (see fast/read.py) is read
    again with them, which only a file with a broken `related` link ever needs."""
    if all(line for _, line, _ in entry.related):
        return entry.related
    shown = entry.topic.source_file
    text, _ = read_text(topics_dir / entry.name, shown, root=root)
    root, _ = compose(text, shown) if text is not None else (None, [])
    found = _related_positions(root) if isinstance(root, yaml.MappingNode) else ()
    if [name for name, _, _ in found] != [name for name, _, _ in entry.related]:
        return tuple((name, 1, 1) for name, _, _ in entry.related)  # changed since: no position
    return found


def _require_inside(folder: Path, root: str) -> None:
    """A folder of knowledge files that is a link must lead inside the knowledge folder."""
    if folder.is_dir() and not is_inside(os.path.realpath(folder), root):
        raise KnowledgeError(
            [
                f"{display_path(folder)}: the folder is a link to a place outside the knowledge "
                "folder; only files inside it are read (move the files in instead)"
            ]
        )


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    value = getattr(node, "value", None)
    return value if isinstance(value, list) else []


def _display_names(topics_dir: Path) -> Callable[[str], str]:
    """`display_path` of each file in `topics_dir`, without pathlib work per file."""
    folder = display_path(topics_dir)
    if folder == ".":
        return lambda name: name
    return lambda name: folder + os.sep + name


def _related_problems(
    files: list[TopicFile], known: set[str], topics_dir: Path, root: str
) -> list[Problem]:
    problems = []
    for entry in files:
        topic = entry.topic
        if known.issuperset(entry.topic.related) and topic.id not in topic.related:
            continue
        for name, line, column in _positioned(entry, topics_dir, root):
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


def _optional(path: Path, root: str, problems: list[Problem], read) -> tuple | None:
    if not os.path.lexists(path):
        return None
    node, read_problems = read_node(path, root=root)
    problems.extend(read_problems)
    if node is None:
        return None
    values, more = read(display_path(path), node)
    problems.extend(more)
    return values


__all__ = [
    "Draft",
    "KnowledgeProblems",
    "Loaded",
    "Outcome",
    "SynonymGroup",
    "TopicFile",
    "TopicSource",
    "load_knowledge",
    "read_knowledge",
    "read_topic_file",
]
