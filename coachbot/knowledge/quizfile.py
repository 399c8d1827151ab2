"""Reads one quiz file (`knowledge/quizzes/*.yaml`) into items, with every problem positioned.

A choice is a button's text, so it fits the smaller of Discord's and Slack's button limits
(coachbot.limits: 75 characters), and a prompt with its choices fits in one message.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from coachbot import limits
from coachbot.knowledge.fields import TOPIC_ID, FieldRule
from coachbot.knowledge.models import QuizItem
from coachbot.knowledge.validator import BOOL_TAG, _TopicReader, suggest
from coachbot.knowledge.yamlsource import Problem, at, display_path, read_node

QUIZ_KEYS = ("topic", "items")
ITEM_KEYS = ("id", "prompt", "choices", "explain")
CHOICE_KEYS = ("text", "correct")
TOPIC = FieldRule("topic", "text", max_length=60)
ITEM_ID = FieldRule("id", "text", max_length=60)
PROMPT = FieldRule("prompt", "text", max_length=1500)
EXPLAIN = FieldRule("explain", "text", max_length=600)
CHOICE = FieldRule("text", "text", max_length=limits.BUTTON_LABEL)
ITEMS = FieldRule("items", "text_list", min_items=1, max_items=500)
CHOICES = FieldRule("choices", "text_list", min_items=2, max_items=4)


def read_quiz_file(file: str, root: yaml.Node) -> tuple[list[QuizItem], list[Problem]]:
    """Items of one file; an item with any problem is left out and its problems reported."""
    reader = _TopicReader(file)
    if not isinstance(root, yaml.MappingNode):
        reader.fail(root, "a quiz file must be a mapping with 'topic' and 'items'")
        return [], reader.problems
    found = reader.mapping(root, QUIZ_KEYS, "a quiz file")
    for key in QUIZ_KEYS:
        if key not in found:
            reader.fail(root, f"missing required key '{key}'")
    topic = reader.text(TOPIC, found["topic"]) if "topic" in found else None
    entries = reader.items(ITEMS, found["items"], "quiz items") if "items" in found else None
    items = []
    for index, node in enumerate(entries or (), start=1):
        before = len(reader.problems)
        item = _read_item(reader, node, index, topic or "")
        if item is not None and len(reader.problems) == before and topic:
            items.append(item)
    return items, reader.problems


def _read_item(reader: _TopicReader, node: yaml.Node, index: int, topic: str) -> QuizItem | None:
    where = f"quiz item {index}"
    if not isinstance(node, yaml.MappingNode):
        reader.fail(node, f"{where} must have 'id', 'prompt', 'choices' and 'explain'")
        return None
    found = reader.mapping(node, ITEM_KEYS, where)
    for key in ITEM_KEYS:
        if key not in found:
            reader.fail(node, f"{where} is missing '{key}'")
    item_id = reader.text(ITEM_ID, found["id"]) if "id" in found else None
    if item_id and not TOPIC_ID.match(item_id):
        reader.fail(found["id"], f"'id' must be lowercase words joined by '-', got '{item_id}'")
    prompt = reader.text(PROMPT, found["prompt"]) if "prompt" in found else None
    explain = reader.text(EXPLAIN, found["explain"]) if "explain" in found else None
    choices = _read_choices(reader, found["choices"], where) if "choices" in found else None
    if not (item_id and prompt and explain and choices):
        return None
    texts, answer = choices
    return QuizItem(item_id, topic, prompt, texts, answer, explain, reader.file)


def _read_choices(
    reader: _TopicReader, node: yaml.Node, where: str
) -> tuple[tuple[str, ...], int] | None:
    entries = reader.items(CHOICES, node, "{text, correct} entries")
    if not entries:
        return None
    texts: list[str] = []
    correct: list[int] = []
    for index, entry in enumerate(entries, start=1):
        label = f"choice {index} of {where}"
        if not isinstance(entry, yaml.MappingNode):
            reader.fail(entry, f"{label} must be a mapping with 'text' (and 'correct: true')")
            continue
        found = reader.mapping(entry, CHOICE_KEYS, label)
        if "text" not in found:
            reader.fail(entry, f"{label} is missing 'text'")
            continue
        text = reader.text(CHOICE, found["text"], label=f"'text' of {label} (a button label)")
        if text is None:
            continue
        if text.casefold() in (t.casefold() for t in texts):
            reader.fail(found["text"], f"{label} repeats an earlier choice: '{text}'")
        texts.append(text)
        flag = found.get("correct")
        if flag is not None:
            if not (isinstance(flag, yaml.ScalarNode) and flag.tag == BOOL_TAG):
                reader.fail(flag, f"'correct' in {label} must be true or false")
            elif flag.value.lower() in ("true", "yes", "on"):
                correct.append(len(texts) - 1)
    if len(correct) != 1:
        reader.fail(
            node, f"{where} needs exactly one choice with 'correct: true', has {len(correct)}"
        )
        return None
    return tuple(texts), correct[0]


def read_quizzes(
    folder: Path,
    topic_ids: set[str],
    *,
    root: str | None = None,
    unserved: set[str] | frozenset[str] = frozenset(),
) -> tuple[tuple[QuizItem, ...], list[Problem]]:
    """Every `*.yaml` in `folder` (optional): unique item ids, topics that exist; `root`, the
    resolved knowledge folder that a file's link must lead into (see `read_text`).

    Items of an `unserved` topic (a draft, or a file that failed) are left out quietly: they
    go live with their topic, and a topic's own problems are reported once, in its file."""
    if not folder.is_dir():
        return (), []
    items: list[QuizItem] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        shown = display_path(path)
        node, read_problems = read_node(path, shown, root=root)
        problems.extend(read_problems)
        if node is None:
            continue
        found, file_problems = read_quiz_file(shown, node)
        problems.extend(file_problems)
        topic_node = (
            next(
                (value for key, value in node.value if getattr(key, "value", None) == "topic"), None
            )
            if isinstance(node, yaml.MappingNode)
            else None
        )
        for item in found:
            if item.topic_id in unserved:
                continue
            if item.topic_id not in topic_ids:
                problems.append(
                    at(
                        shown,
                        topic_node,
                        f"unknown topic '{item.topic_id}'{suggest(item.topic_id, topic_ids)}",
                    )
                )
                break
            if item.id in seen:
                problems.append(
                    Problem(
                        shown, 1, 1, f"duplicate quiz item id '{item.id}' (also in {seen[item.id]})"
                    )
                )
                continue
            seen[item.id] = shown
            items.append(item)
    return (tuple(items), problems)
