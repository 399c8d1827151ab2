"""A fast first reading of a topic file that is plainly valid, without YAML nodes.

Why: at 10,000 topics, PyYAML's node tree (one Python object per value, kept only so that a
problem can name its line) and the node validator are most of a cold start. Almost every
file has no problem, so it is first read by yaml-rs (a YAML parser in Rust) into plain values
and checked here against the same rules. Whenever this reading is not certain to agree with
the node path, it gives up and the node path reads the file: for any file with a problem
(the node path then names every problem with its position), for YAML features that the two
parsers could read differently (tags, anchors, aliases, directives, tabs, characters PyYAML
refuses), and for any text that PyYAML's YAML 1.1 rules would read as something other than a
string (`yes`, `1.5`, `~`, a date). So the outcome is the node path's, only sooner.

Reference: `validator.read_topic` on the nodes of `yamlsource.compose` (the node path of
`loader.read_topic_file`). tests/coachbot/knowledge/fast/test_read.py holds the two equal on
the shipped files and on thousands of mutated ones (see this package's table).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from coachbot.knowledge.fields import (
    AVOID_KEYS,
    REVIEW_EVERY,
    REVIEWED,
    TOPIC_FIELDS,
    TOPIC_ID,
    FieldRule,
)
from coachbot.knowledge.models import AvoidPhrase, ReviewInterval, Topic
from coachbot.knowledge.shown import too_long

try:
    import yaml_rs
except ImportError:  # pragma: no cover - a platform without a yaml-rs wheel: node path only
    yaml_rs = None

# what the node path could read otherwise: tag, anchor or alias indicators where a value can
# start, a directive, and tabs (each a quick `in` test first). The reserved `@` and a backtick
# cannot start a value in either parser, and are text inside one.
_INDICATORS = "!&*%\t\r"
_UNCERTAIN = re.compile(r"(?:^|[\s\[{,])[!&*]|^%|\t|\r(?!\n)", re.MULTILINE)
# characters PyYAML's reader refuses, and the line breaks of YAML 1.1 only (NEL, LS, PS)
_REFUSED_ASCII = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
_REFUSED = re.compile(
    r"[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_FIELDS = {rule.name: rule for rule in TOPIC_FIELDS}
_REQUIRED = frozenset(rule.name for rule in TOPIC_FIELDS if rule.required)
_PLACEHOLDER = "TODO"
# PyYAML's implicit typing (YAML 1.1): a plain scalar matching one of these is not a string
_IMPLICIT = yaml.SafeLoader.yaml_implicit_resolvers
# YAML's indicators, which PyYAML refuses at the start of a plain value (or inside [ ] or
# { }) where a YAML 1.2 parser may take them as text
_INDICATOR_STARTS = "?:,[]{}#&*!|>%@`"
# the first characters of those and of what PyYAML would type
_TYPED_STARTS = frozenset([*_IMPLICIT, *_INDICATOR_STARTS])
# between the items of a list while they are single-spaced together: NUL is never whitespace,
# and the spaces around it absorb the items' own leading and trailing whitespace
_SEPARATOR = " \x00 "


class _Unsure(Exception):
    """This reading cannot vouch for the file: the node path reads it."""


def read_plain_topic(text: str, file: str, stem: str) -> tuple[Topic, tuple[str, ...]] | None:
    """The topic in `text` and its `related` ids, exactly as the node path would give them;
    None if the file has a problem or anything this reading is not sure of."""
    if yaml_rs is None or _uncertain(text):
        return None
    try:
        root = yaml_rs.loads(
            text.removeprefix("\ufeff"),
            parse_datetime=False,  # a day stays text, as the node path reads it
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,  # the node path refuses them
        )
        return _topic(root, file, stem)
    except (_Unsure, yaml_rs.YAMLDecodeError, ValueError, TypeError, RecursionError):
        return None


def _uncertain(text: str) -> bool:
    if any(char in text for char in _INDICATORS) and _UNCERTAIN.search(text):
        return True
    return bool((_REFUSED_ASCII if text.isascii() else _REFUSED).search(text))


def _topic(root: Any, file: str, stem: str) -> tuple[Topic, tuple[str, ...]]:
    if type(root) is not dict or not _REQUIRED.issubset(root) or not _FIELDS.keys() >= root.keys():
        raise _Unsure
    values: dict[str, Any] = {}
    for name, value in root.items():
        rule = _FIELDS[name]
        if rule.kind == "text":
            values[name] = _text(rule, value)
        elif rule.kind == "text_list":
            values[name] = _texts(rule, _items(rule, value))
        elif rule.kind == "avoid_list":
            values[name] = tuple(_avoid(rule, item) for item in _items(rule, value))
        elif rule.kind == "date":
            values[name] = _day(value)
        else:
            values[name] = _interval(value)
    topic_id = values["id"]
    if not TOPIC_ID.match(topic_id) or topic_id != stem:
        raise _Unsure
    if too_long(values["steps"], values["say"], values["avoid"]):
        raise _Unsure  # the node path names the section and its line
    topic = Topic(**values, source_file=file)
    return topic, topic.related


def _string(value: Any) -> str:
    """A value both parsers read as the same string, or _Unsure."""
    if type(value) is not str or (value and value[0] in _INDICATOR_STARTS):
        raise _Unsure
    for _tag, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):  # PyYAML would type it (if plain): let the node path judge
            raise _Unsure
    return value


def _text(rule: FieldRule, value: Any) -> str:
    text = " ".join(_string(value).split())
    too_long = rule.max_length and len(text) > rule.max_length
    if not text or too_long or text.startswith(_PLACEHOLDER):
        raise _Unsure
    return text


def _items(rule: FieldRule, value: Any) -> list:
    if value is None or value == []:
        if rule.min_items:
            raise _Unsure
        return []
    if type(value) is not list or len(value) < rule.min_items:
        raise _Unsure
    if rule.max_items is not None and len(value) > rule.max_items:
        raise _Unsure
    return value


def _texts(rule: FieldRule, items: list) -> tuple[str, ...]:
    """`_text` of each item, a list at a time: most lists are long and all plain text."""
    if not items:
        return ()
    joined = _SEPARATOR.join(items)  # TypeError (the caller's) unless all are strings
    for item in [item for item in items if item[:1] in _TYPED_STARTS]:
        _string(item)
    texts = " ".join(joined.split()).split(_SEPARATOR)  # each item's words, single-spaced
    if joined.count("\x00") != len(items) - 1 or len(texts) != len(items):
        texts = [" ".join(item.split()) for item in items]  # an item held a NUL or no words
    if (
        not all(texts)
        or (rule.max_length and max(map(len, texts)) > rule.max_length)
        or (_PLACEHOLDER in joined and any(text.startswith(_PLACEHOLDER) for text in texts))
    ):
        raise _Unsure
    return tuple(texts)


def _avoid(rule: FieldRule, entry: Any) -> AvoidPhrase:
    if type(entry) is not dict or entry.keys() != set(AVOID_KEYS):
        raise _Unsure
    return AvoidPhrase(phrase=_text(rule, entry["phrase"]), why=_text(rule, entry["why"]))


def _day(value: Any) -> date:
    """`2026-01-31`, quoted or not: the node path takes both."""
    if type(value) is not str or not REVIEWED.match(value):
        raise _Unsure
    return date.fromisoformat(value)  # ValueError: not a real day, for the node path to say


def _interval(value: Any) -> ReviewInterval:
    text = _string(value)
    if not REVIEW_EVERY.match(text):
        raise _Unsure
    return ReviewInterval(int(text[:-1]), text[-1])
