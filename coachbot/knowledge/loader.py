"""Loads a whole knowledge directory, reporting every problem of the run at once."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from coachbot.errors import KnowledgeError
from coachbot.knowledge.models import KnowledgeBase, SynonymGroup, Topic
from coachbot.knowledge.validator import read_string_list, read_synonyms, read_topic, suggest
from coachbot.knowledge.yamlsource import Problem, at, display_path, read_node

log = logging.getLogger(__name__)

SYNONYMS_FILE = "synonyms.yaml"
OUT_OF_SCOPE_FILE = "out_of_scope.yaml"
MAX_TOPIC_FILES = 20_000


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Validate everything under `directory`; raise KnowledgeError listing every problem."""
    directory = Path(directory)
    topics_dir = directory / "topics"
    if not topics_dir.is_dir():
        raise KnowledgeError([f"{display_path(topics_dir)}: no topics folder here"])
    problems: list[Problem] = []
    files = sorted(topics_dir.glob("*.yaml")) + sorted(topics_dir.glob("*.yml"))
    if not files:
        raise KnowledgeError([f"{display_path(topics_dir)}: no topic files (*.yaml)"])
    if len(files) > MAX_TOPIC_FILES:
        raise KnowledgeError([f"{display_path(topics_dir)}: more than {MAX_TOPIC_FILES} files"])

    topics: list[Topic] = []
    # per topic id: its file and its `related` node (positions for errors); whole trees are
    # dropped as soon as a file is read, which keeps peak memory low on big knowledge bases
    id_nodes: dict[str, tuple[str, yaml.Node | None]] = {}
    for path in files:
        root, read_problems = read_node(path)
        problems.extend(read_problems)
        if root is None:
            continue
        topic, topic_problems = read_topic(display_path(path), path.stem, root)
        problems.extend(topic_problems)
        if topic is None:
            continue
        if topic.id in id_nodes:
            first = id_nodes[topic.id][0]
            problems.append(
                Problem(topic.source_file, 1, 1, f"duplicate id '{topic.id}' (also in {first})")
            )
            continue
        related = next(
            (value for key, value in root.value if getattr(key, "value", None) == "related"), None
        )
        id_nodes[topic.id] = (topic.source_file, related)
        topics.append(topic)

    problems.extend(_related_problems(topics, id_nodes))
    synonyms = _optional(directory / SYNONYMS_FILE, problems, read_synonyms)
    out_of_scope = _optional(
        directory / OUT_OF_SCOPE_FILE,
        problems,
        lambda file, root: read_string_list(file, root, "examples"),
    )
    if problems:
        raise KnowledgeError([str(p) for p in problems])
    log.info("loaded %d topics from %s", len(topics), display_path(directory))
    return KnowledgeBase(
        topics=tuple(topics), synonyms=synonyms or (), out_of_scope=out_of_scope or ()
    )


def _related_problems(topics: list[Topic], id_nodes: dict) -> list[Problem]:
    known = set(id_nodes)
    problems = []
    for topic in topics:
        related = id_nodes[topic.id][1]
        for item in getattr(related, "value", None) or []:
            name = " ".join(str(item.value).split())
            if name == topic.id:
                problems.append(at(topic.source_file, item, "a topic cannot relate to itself"))
            elif name not in known:
                hint = suggest(name, known)
                problems.append(
                    at(topic.source_file, item, f"unknown related topic '{name}'{hint}")
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


__all__ = ["SynonymGroup", "load_knowledge"]
