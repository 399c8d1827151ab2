"""Appending an accepted question to a topic file: only one line changes, linted, atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from coachbot.errors import CoachError, KnowledgeError
from coachbot.knowledge.append import append_question, insert_question
from coachbot.knowledge.live import LiveKnowledge
from tests.knowledge_versions import topic_doc, write_version

NEW = "grandpa writes to us about the meter"

BLOCK = """\
# a trainer's note at the top
id: angry-caller
title: Caller is shouting
questions:
  - first question   # why this one is here
  - 'second question'

  # a comment after the list stays where it is
summary: >-
  Folded text
  that stays folded.
"""

FLOW = 'id: x\nquestions: [first question, "second question"]  # short list\nsummary: s\n'


def questions(text: str) -> list[str]:
    return yaml.safe_load(text)["questions"]


def test_a_block_list_gets_one_line_after_its_last_item_and_nothing_else_changes():
    text = insert_question(BLOCK, NEW)
    assert questions(text) == ["first question", "second question", NEW]
    lines = BLOCK.splitlines(keepends=True)
    assert text == "".join(lines[:6]) + f'  - "{NEW}"\n' + "".join(lines[6:])


def test_a_flow_list_gets_one_more_item_before_its_bracket():
    text = insert_question(FLOW, NEW)
    assert questions(text) == ["first question", "second question", NEW]
    assert text.endswith(f'"second question", "{NEW}"]  # short list\nsummary: s\n')


def test_windows_line_endings_a_missing_last_newline_and_an_unindented_list():
    crlf = BLOCK.replace("\n", "\r\n")
    assert insert_question(crlf, NEW).count("\r\n") == crlf.count("\r\n") + 1
    bare = "id: x\nquestions:\n- one\n- two"
    assert insert_question(bare, NEW) == f'id: x\nquestions:\n- one\n- two\n- "{NEW}"\n'


def test_a_block_scalar_as_the_last_item():
    text = "questions:\n  - |\n    two lines\n    of text\nsummary: s\n"
    assert questions(insert_question(text, NEW)) == ["two lines\nof text\n", NEW]


def test_quotes_and_backslashes_in_the_question_read_back_as_written():
    tricky = 'he said "refund me" \\ then: #hashtag [name]'
    assert questions(insert_question(BLOCK, tricky))[-1] == tricky


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return directory


def test_the_file_is_linted_loads_and_keeps_its_mode(knowledge):
    path = knowledge / "topics" / "angry-caller.yaml"
    os.chmod(path, 0o640)
    shown = append_question(knowledge, "angry-caller", NEW)
    assert shown.endswith("angry-caller.yaml")
    assert LiveKnowledge.load(knowledge).kb.topic("angry-caller").questions[-1] == NEW
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_an_edit_that_would_fail_the_lint_is_refused_and_the_file_is_unchanged(knowledge):
    path = knowledge / "topics" / "angry-caller.yaml"
    full = topic_doc("angry-caller", "A", questions=[f"question {n}" for n in range(200)])
    path.write_text(yaml.safe_dump(full), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(KnowledgeError) as error:
        append_question(knowledge, "angry-caller", NEW)
    assert "'questions' has 201 entries; the limit is 200" in error.value.user_message
    assert path.read_bytes() == before


def test_a_link_inside_the_folder_is_followed_and_stays_a_link(knowledge):
    topics = knowledge / "topics"
    (knowledge / "kept").mkdir()
    os.replace(topics / "angry-caller.yaml", knowledge / "kept" / "angry-caller.yaml")
    (topics / "angry-caller.yaml").symlink_to(knowledge / "kept" / "angry-caller.yaml")
    append_question(knowledge, "angry-caller", NEW)
    assert (topics / "angry-caller.yaml").is_symlink()
    assert NEW in (knowledge / "kept" / "angry-caller.yaml").read_text(encoding="utf-8")


def test_a_link_to_a_file_outside_the_folder_is_never_written(knowledge, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    os.replace(knowledge / "topics" / "angry-caller.yaml", outside)
    (knowledge / "topics" / "angry-caller.yaml").symlink_to(outside)
    before = outside.read_bytes()
    with pytest.raises(CoachError, match="outside the knowledge folder"):
        append_question(knowledge, "angry-caller", NEW)
    assert outside.read_bytes() == before


def test_a_topic_without_a_file_says_so(knowledge):
    with pytest.raises(CoachError, match="no file for topic 'nope'"):
        append_question(knowledge, "nope", NEW)


def test_a_write_that_fails_says_so_and_leaves_the_file(knowledge, monkeypatch):
    path = knowledge / "topics" / "angry-caller.yaml"
    before = path.read_bytes()

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(CoachError, match="could not be written \\(Permission denied\\)"):
        append_question(knowledge, "angry-caller", NEW)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
