"""Turns YAML nodes into frozen topics, collecting every problem instead of stopping at one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import yaml
from rapidfuzz import fuzz, process

from coachbot.knowledge.fields import (
    AVOID_KEYS,
    DRAFT_KEY,
    REVIEW_EVERY,
    REVIEWED,
    TOPIC_FIELDS,
    TOPIC_ID,
    FieldRule,
)
from coachbot.knowledge.models import AvoidPhrase, ReviewInterval, SynonymGroup, Topic
from coachbot.knowledge.shown import too_long, too_long_message
from coachbot.knowledge.yamlsource import Problem, at

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
INT_TAG = "tag:yaml.org,2002:int"
# `coachbot kb new` writes "TODO: ..." where the trainer must write; such text never goes live.
PLACEHOLDER = "TODO"
BOOL_TAG = "tag:yaml.org,2002:bool"
# `draft: true` (which `kb new` writes) keeps a topic from agents: linted, never served. The
# line is also looked for in a file too broken to parse, so a draft never stops a start.
DRAFT_LINE = re.compile(r"^draft:[ \t]*true[ \t]*(?:#.*)?$", re.MULTILINE)


def suggest(word: str, choices: Iterable[str]) -> str:
    """A did-you-mean suffix for a misspelt key, or nothing."""
    best = closest(word, choices)
    return f" (did you mean '{best}'?)" if best else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` is most likely a misspelling of, if any is close enough."""
    best = process.extractOne(word, list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return best[0] if best else None


def _plain(value: str) -> str:
    return " ".join(value.split())


def _is_empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.tag == NULL_TAG or not str(node.value).strip()
    return not node.value


class _TopicReader:
    """Reads one topic mapping; problems accumulate in `self.problems`."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.misspelt: set[str] = set()  # the keys an unknown key was taken for

    def fail(self, node: yaml.Node | None, message: str) -> None:
        self.problems.append(at(self.file, node, message))

    def text(self, rule: FieldRule, node: yaml.Node, label: str | None = None) -> str | None:
        label = label or f"'{rule.name}'"
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{label} must be text")
            return None
        if node.tag not in (STR_TAG, NULL_TAG):  # a number or yes/no where text belongs
            self.fail(node, f"{label} must be text (put it in quotes)")
            return None
        value = _plain(node.value or "")
        if not value:
            self.fail(node, f"{label} must not be empty")
            return None
        if value.startswith(PLACEHOLDER):
            optional = "" if rule.required else " (or delete the line: it is optional)"
            self.fail(
                node, f"{label} is still a TODO placeholder: replace it with real text{optional}"
            )
            return None
        return self._check_length(rule, node, value, label)

    def _check_length(self, rule: FieldRule, node: yaml.Node, value: str, label: str) -> str:
        if rule.max_length and len(value) > rule.max_length:
            self.fail(node, f"{label} is {len(value)} characters; the limit is {rule.max_length}")
        return value

    def items(self, rule: FieldRule, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if _is_empty(node):
            if rule.min_items:
                self.fail(node, f"'{rule.name}' must not be empty")
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"'{rule.name}' must be a list of {what}")
            return None
        count = len(node.value)
        if count < rule.min_items:
            self.fail(node, f"'{rule.name}' needs at least {rule.min_items} entries, has {count}")
        if rule.max_items is not None and count > rule.max_items:
            self.fail(node, f"'{rule.name}' has {count} entries; the limit is {rule.max_items}")
        return node.value

    def text_list(self, rule: FieldRule, node: yaml.Node) -> tuple[str, ...] | None:
        items = self.items(rule, node, "strings")
        if items is None:
            return None
        values = []
        limit = rule.max_length
        for index, item in enumerate(items, start=1):
            if type(item) is yaml.ScalarNode and item.tag == STR_TAG:  # the usual case, inline
                value = " ".join(item.value.split())
                too_long = limit and len(value) > limit
                if value and not too_long and not value.startswith(PLACEHOLDER):
                    values.append(value)
                    continue
            if not isinstance(item, yaml.ScalarNode):
                self.fail(item, f"'{rule.name}' must be a list of strings (entry {index} is not)")
                continue
            value = self.text(rule, item, label=f"entry {index} of '{rule.name}'")
            if value is not None:
                values.append(value)
        return tuple(values)

    def avoid_list(self, rule: FieldRule, node: yaml.Node) -> tuple[AvoidPhrase, ...] | None:
        items = self.items(rule, node, "{phrase, why} entries")
        if items is None:
            return None
        values = []
        for index, item in enumerate(items, start=1):
            if not isinstance(item, yaml.MappingNode):
                self.fail(item, f"entry {index} of 'avoid' must have 'phrase' and 'why'")
                continue
            found = self.mapping(item, AVOID_KEYS, f"entry {index} of 'avoid'")
            parts = {}
            for key in AVOID_KEYS:
                if key not in found:
                    self.fail(item, f"entry {index} of 'avoid' is missing '{key}'")
                    continue
                parts[key] = self.text(rule, found[key], label=f"'{key}' in entry {index}")
            if all(parts.get(key) for key in AVOID_KEYS):
                values.append(AvoidPhrase(phrase=parts["phrase"], why=parts["why"]))
        return tuple(values)

    def day(self, rule: FieldRule, node: yaml.Node) -> date | None:
        """A day written YYYY-MM-DD; YAML may have tagged it a timestamp, which is fine."""
        label = f"'{rule.name}'"
        text = node.value if isinstance(node, yaml.ScalarNode) else None
        if node.tag not in (STR_TAG, TIMESTAMP_TAG) or not REVIEWED.match(text or ""):
            shown = f", got '{_plain(str(text))[:40]}'" if text is not None else ""
            self.fail(node, f"{label} must be a date written YYYY-MM-DD, like 2026-01-31{shown}")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(node, f"{label} is not a real date: '{text}'")
            return None

    def interval(self, rule: FieldRule, node: yaml.Node) -> ReviewInterval | None:
        """A count and a unit: 90d, 12w, 6m or 1y."""
        text = node.value if isinstance(node, yaml.ScalarNode) else None
        if node.tag == STR_TAG and REVIEW_EVERY.match(text or ""):
            return ReviewInterval(int(text[:-1]), text[-1])
        shown = f", got '{_plain(str(text))[:40]}'" if text is not None else ""
        hint = " (a unit is missing)" if node.tag == INT_TAG else ""
        self.fail(
            node,
            f"'{rule.name}' must be a number from 1 to 999 and a unit, like 90d, 12w, 6m or 1y "
            f"(d days, w weeks, m months, y years){shown}{hint}",
        )
        return None

    def mapping(self, node: yaml.MappingNode, allowed: tuple[str, ...], where: str) -> dict:
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, f"keys in {where} must be plain words")
            elif key in found:
                self.fail(key_node, f"'{key}' appears twice in {where}")
            elif key not in allowed:
                meant = closest(key, allowed)
                hint = f" (did you mean '{meant}'?)" if meant else ""
                self.fail(key_node, f"unknown key '{key}' in {where}{hint}")
                self.misspelt.add(meant or "")
            else:
                found[key] = value_node
        return found


def read_topic(file: str, stem: str, root: yaml.Node) -> tuple[Topic | None, list[Problem]]:
    """Validate one topic file's root node; the topic is returned only if it has no problems.

    The reference for `fast.read.read_plain_topic`, which reads a plainly valid file without
    nodes; any change of rule here is made there too (table in coachbot/knowledge/fast).
    """
    reader = _TopicReader(file)
    if not isinstance(root, yaml.MappingNode):
        reader.fail(root, "a topic file must be a mapping of keys such as 'id', 'title', 'steps'")
        return None, reader.problems
    names = tuple(rule.name for rule in TOPIC_FIELDS)
    found = reader.mapping(root, (*names, DRAFT_KEY), "a topic")
    draft = found.pop(DRAFT_KEY, None)
    if draft is not None and not (isinstance(draft, yaml.ScalarNode) and draft.tag == BOOL_TAG):
        reader.fail(draft, f"'{DRAFT_KEY}' must be true or false (delete the line to publish)")
    misspelt = reader.misspelt  # a key misspelt is its one problem, not also a missing one
    values: dict[str, object] = {}
    for rule in TOPIC_FIELDS:
        node = found.get(rule.name)
        if node is None:
            if rule.required and rule.name not in misspelt:
                reader.fail(root, f"missing required key '{rule.name}'")
            continue
        if rule.kind == "text":
            values[rule.name] = reader.text(rule, node)
        elif rule.kind == "text_list":
            values[rule.name] = reader.text_list(rule, node)
        elif rule.kind == "date":
            values[rule.name] = reader.day(rule, node)
        elif rule.kind == "interval":
            values[rule.name] = reader.interval(rule, node)
        else:
            values[rule.name] = reader.avoid_list(rule, node)
    topic_id = values.get("id")
    if isinstance(topic_id, str):
        if not TOPIC_ID.match(topic_id):
            reader.fail(
                found["id"], f"'id' must be lowercase words joined by '-', got '{topic_id}'"
            )
        elif topic_id != stem:
            reader.fail(found["id"], f"'id' is '{topic_id}' but the file is named '{stem}.yaml'")
    if not reader.problems:  # each list fits, item by item: does each section as shown?
        shown = too_long(values["steps"], values["say"], values["avoid"])  # type: ignore[arg-type]
        for name, length in shown.items():
            reader.fail(found[name], too_long_message(name, length))
    if reader.problems:
        return None, reader.problems
    # each key of a topic file is the Topic field of the same name
    topic = Topic(**values, source_file=file)
    return topic, []


def is_draft(root: yaml.Node) -> bool:
    """Whether a topic's root says `draft: true`."""
    if not isinstance(root, yaml.MappingNode):
        return False
    return any(
        getattr(key, "value", None) == DRAFT_KEY
        and isinstance(value, yaml.ScalarNode)
        and value.tag == BOOL_TAG
        and value.value.lower() in ("true", "yes", "on")
        for key, value in root.value
    )


def read_string_list(file: str, root: yaml.Node, key: str) -> tuple[tuple[str, ...], list[Problem]]:
    """A file shaped `{key: [text, ...]}` (the out-of-scope examples)."""
    reader = _TopicReader(file)
    if not isinstance(root, yaml.MappingNode):
        reader.fail(root, f"the file must be a mapping with a '{key}' list")
        return (), reader.problems
    found = reader.mapping(root, (key,), "this file")
    rule = FieldRule(key, "text_list", max_items=5000, max_length=300)
    values = reader.text_list(rule, found[key]) if key in found else ()
    if key not in found:
        reader.fail(root, f"missing required key '{key}'")
    return values or (), reader.problems


def read_synonyms(file: str, root: yaml.Node) -> tuple[tuple[SynonymGroup, ...], list[Problem]]:
    """`groups:` a list of lists; each inner list holds terms that mean the same."""
    reader = _TopicReader(file)
    if not isinstance(root, yaml.MappingNode):
        reader.fail(root, "the file must be a mapping with a 'groups' list")
        return (), reader.problems
    found = reader.mapping(root, ("groups",), "the synonyms file")
    if "groups" not in found:
        reader.fail(root, "missing required key 'groups'")
        return (), reader.problems
    outer = FieldRule("groups", "text_list", max_items=2000)
    groups = []
    for index, group in enumerate(reader.items(outer, found["groups"], "lists") or [], 1):
        rule = FieldRule(f"group {index}", "text_list", min_items=2, max_items=50, max_length=60)
        terms = reader.text_list(rule, group)
        if terms:
            groups.append(SynonymGroup(terms=tuple(t.lower() for t in terms)))
    return tuple(groups), reader.problems
