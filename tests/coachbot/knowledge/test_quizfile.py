"""Quiz items are validated like topics: every problem at once, with file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachbot import limits
from coachbot.errors import KnowledgeError
from coachbot.knowledge.loader import load_knowledge

GOOD = """\
topic: stay-calm
items:
  - id: calm-extra-1
    prompt: The caller is shouting. What do you do first?
    choices:
      - text: Breathe and lower your voice
        correct: true
      - text: Shout back
    explain: A slower, quieter voice brings the caller down with you.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / "quizzes" / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return caught.value.problems


def test_the_shipped_quiz_has_at_least_two_items_per_topic(live_knowledge):
    kb = live_knowledge.kb
    per_topic = {t.id: 0 for t in kb.topics}
    for item in kb.quiz:
        per_topic[item.topic_id] += 1
    assert min(per_topic.values()) >= 2 and len(kb.quiz) >= 64
    assert all(len(choice) <= limits.BUTTON_LABEL for item in kb.quiz for choice in item.choices)


def test_a_new_valid_file_adds_its_items(knowledge_copy):
    _write(knowledge_copy, "extra.yaml", GOOD)
    kb = load_knowledge(knowledge_copy)
    item = kb.quiz_by_id["calm-extra-1"]
    assert item.correct_choice == "Breathe and lower your voice" and item.topic_id == "stay-calm"


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            GOOD.replace(
                "      - text: Shout back\n", "      - text: Shout back\n        correct: true\n"
            ),
            "exactly one choice with 'correct: true', has 2",
        ),
        (
            GOOD.replace("        correct: true\n", ""),
            "exactly one choice with 'correct: true', has 0",
        ),
        (GOOD.replace("Shout back", "breathe and lower your voice"), "repeats an earlier choice"),
        (GOOD.replace("Shout back", "Shout " * 20), "the limit is 75"),
        (GOOD.replace("Shout back", "x" * 76), "is 76 characters; the limit is 75"),
        (
            GOOD.replace("topic: stay-calm", "topic: stay-clam"),
            "unknown topic 'stay-clam' (did you mean 'stay-calm'?)",
        ),
        (
            GOOD.replace(
                "    explain: A slower, quieter voice brings the caller down with you.\n", ""
            ),
            "is missing 'explain'",
        ),
        (
            GOOD.replace("correct: true", "correct: 'yes'"),
            "'correct' in choice 1 of quiz item 1 must be true or false",
        ),
        (
            GOOD.replace("    prompt:", "    promt:"),
            "unknown key 'promt' in quiz item 1 (did you mean 'prompt'?)",
        ),
        (
            GOOD.replace("id: calm-extra-1", "id: stay-calm-1"),
            "duplicate quiz item id 'stay-calm-1'",
        ),
        (GOOD.replace("      - text: Shout back\n", ""), "'choices' needs at least 2 entries"),
    ],
)
def test_a_broken_quiz_item_is_reported_with_its_position(knowledge_copy, broken, expected):
    _write(knowledge_copy, "extra.yaml", broken)
    problems = _problems(knowledge_copy)
    assert any(expected in p for p in problems), problems
    assert all(re.match(r".*quizzes/[a-z-]+\.yaml:\d+:\d+: ", p) for p in problems), problems


def test_an_empty_or_unparsable_quiz_file_is_an_error_not_a_crash(knowledge_copy):
    _write(knowledge_copy, "empty.yaml", "")
    _write(knowledge_copy, "broken.yaml", "topic: [unclosed\n")
    problems = _problems(knowledge_copy)
    assert any("empty.yaml" in p for p in problems)
    assert any("broken.yaml:" in p for p in problems)
