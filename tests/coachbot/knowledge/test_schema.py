"""The editor's JSON Schema and the loader's validator must agree, field by field."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from coachbot.knowledge.fields import DRAFT_KEY, REVIEW_EVERY, REVIEWED, TOPIC_FIELDS
from coachbot.knowledge.validator import read_topic
from coachbot.knowledge.yamlsource import read_node
from tests.conftest import KNOWLEDGE

SCHEMA = json.loads((KNOWLEDGE / "schema" / "topic.schema.json").read_text(encoding="utf-8"))
TOPIC_FILES = sorted((KNOWLEDGE / "topics").glob("*.yaml"))


class _EditorLoader(yaml.SafeLoader):
    """YAML as the editor's language server reads it (YAML 1.2): 2026-01-31 stays text."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _as_the_editor_reads(text: str) -> object:
    return yaml.load(text, Loader=_EditorLoader)  # a SafeLoader: builds plain values only


def test_schema_names_exactly_the_validators_fields():
    assert set(SCHEMA["properties"]) == {rule.name for rule in TOPIC_FIELDS} | {DRAFT_KEY}
    assert SCHEMA["properties"][DRAFT_KEY]["type"] == "boolean"
    assert set(SCHEMA["required"]) == {rule.name for rule in TOPIC_FIELDS if rule.required}
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize("rule", TOPIC_FIELDS, ids=lambda rule: rule.name)
def test_schema_limits_match_the_validator(rule):
    prop = SCHEMA["properties"][rule.name]
    if rule.kind == "text":
        assert prop["type"] == "string"
        assert prop.get("maxLength") == rule.max_length
    elif rule.kind in ("date", "interval"):
        assert prop["type"] == "string"
        assert prop["pattern"] == (REVIEWED if rule.kind == "date" else REVIEW_EVERY).pattern
    else:
        assert prop["type"] == "array"
        assert prop.get("minItems", 0) == rule.min_items
        assert prop.get("maxItems") == rule.max_items
        items = prop["items"]
        if rule.kind == "text_list":
            assert items["maxLength"] == rule.max_length
        else:
            assert set(items["required"]) == {"phrase", "why"}


@pytest.mark.parametrize("path", TOPIC_FILES, ids=lambda p: p.stem)
def test_every_topic_file_declares_the_schema_and_passes_it(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/topic.schema.json")
    jsonschema.validate(_as_the_editor_reads(text), SCHEMA)


def _mutations(topic: dict) -> list[tuple[str, dict]]:
    """Documents that break one rule each, plus a few that stay valid."""
    cases = []

    def variant(name, change):
        doc = copy.deepcopy(topic)
        change(doc)
        cases.append((name, doc))

    variant("valid as is", lambda d: None)
    variant("unknown key", lambda d: d.update(setps=["x"]))
    variant("missing title", lambda d: d.pop("title"))
    variant("missing tip is fine", lambda d: d.pop("tip", None))
    variant("steps not a list", lambda d: d.update(steps="breathe"))
    variant("too few steps", lambda d: d.update(steps=d["steps"][:2]))
    variant("too many steps", lambda d: d.update(steps=d["steps"] + ["a", "b", "c", "d", "e"]))
    variant("too few questions", lambda d: d.update(questions=d["questions"][:7]))
    variant("one say", lambda d: d.update(say=d["say"][:1]))
    variant("empty summary", lambda d: d.update(summary=""))
    variant("long title", lambda d: d.update(title="t" * 101))
    variant("bad id", lambda d: d.update(id="Stay Calm"))
    variant("avoid without why", lambda d: d.update(avoid=[{"phrase": "Calm down."}]))
    variant("avoid extra key", lambda d: d.update(avoid=[{"phrase": "a", "why": "b", "c": "d"}]))
    variant("no sources", lambda d: d.update(sources=[]))
    variant("empty related is fine", lambda d: d.update(related=[]))
    variant("an owner", lambda d: d.update(owner="Priya, returns team"))
    variant("empty owner", lambda d: d.update(owner=""))
    variant("owner not text", lambda d: d.update(owner=["a", "b"]))
    variant("reviewed", lambda d: d.update(reviewed="2026-01-31"))
    variant("reviewed day first", lambda d: d.update(reviewed="31/01/2026"))
    variant("review every 90d", lambda d: d.update(review_every="90d"))
    variant("review every 1y", lambda d: d.update(review_every="1y"))
    variant("review every without unit", lambda d: d.update(review_every="90"))
    variant("review every 0d", lambda d: d.update(review_every="0d"))
    variant("review every 2 days", lambda d: d.update(review_every="2 days"))
    variant("review every hours", lambda d: d.update(review_every="5h"))
    return cases


def test_schema_and_validator_give_the_same_verdict(tmp_path: Path):
    base = yaml.safe_load((KNOWLEDGE / "topics" / "stay-calm.yaml").read_text(encoding="utf-8"))
    for name, doc in _mutations(base):
        path = tmp_path / "stay-calm.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        root, problems = read_node(path)
        topic, _ = read_topic(str(path), "stay-calm", root)
        validator_ok = topic is not None and not problems
        schema_ok = jsonschema.Draft202012Validator(SCHEMA).is_valid(doc)
        assert validator_ok == schema_ok, f"{name}: validator {validator_ok}, schema {schema_ok}"


def test_an_unquoted_review_date_passes_the_schema_and_the_validator(tmp_path: Path):
    lines = (KNOWLEDGE / "topics" / "stay-calm.yaml").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(("owner:", "reviewed:", "review_every:"))]
    text = "\n".join([*kept, "owner: Priya", "reviewed: 2026-01-31", "review_every: 6m", ""])
    path = tmp_path / "stay-calm.yaml"
    path.write_text(text, encoding="utf-8")
    jsonschema.validate(_as_the_editor_reads(text), SCHEMA)
    root, problems = read_node(path)
    topic, problems = read_topic(str(path), "stay-calm", root)
    assert problems == []
    assert topic is not None and str(topic.reviewed) == "2026-01-31"
