"""What is not a question: the rule nonquestion.py documents, on the shipped knowledge."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.matcher import Matcher
from coachbot.knowledge.nonquestion import NonQuestion, classify
from tests.conftest import DATA

KNOWLEDGE_DATA = DATA.parent / "coachbot" / "knowledge" / "data"
QUESTION_SETS = [
    DATA / "heldout_questions.yaml",
    DATA / "heldout_indirect.yaml",
    KNOWLEDGE_DATA / "dev_questions.yaml",
    KNOWLEDGE_DATA / "dev_validation.yaml",
    KNOWLEDGE_DATA / "fresh_check.yaml",
]


@pytest.fixture(scope="module")
def matcher(live_knowledge: LiveKnowledge) -> Matcher:
    return live_knowledge.matcher


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ok", NonQuestion.NOT_A_QUESTION),
        ("no", NonQuestion.NOT_A_QUESTION),
        ("how do i", NonQuestion.NOT_A_QUESTION),  # only function words
        ("the caller", NonQuestion.NOT_A_QUESTION),  # one word that names no topic
        ("clear", NonQuestion.COMMAND),
        ("/topics", NonQuestion.COMMAND),
        ("!help", NonQuestion.COMMAND),
        ("refund", None),  # a tag
        ("escalaton", None),  # a typo of a synonym
        ("payroll", None),  # a word no topic uses: the matcher declines it and logs the gap
        ("caller keeps interrupting", None),  # more than one content word
        ("i want to ask you about the caller", None),  # a sentence: the matcher reads it
    ],
)
def test_the_rule(matcher, text, kind):
    assert classify(text, matcher) == kind


def test_a_word_a_trainer_adds_to_a_topics_tags_becomes_a_question(live_knowledge):
    before = live_knowledge.matcher
    kb = live_knowledge.kb
    topics = tuple(
        dataclasses.replace(t, tags=(*t.tags, "terminate")) if t.id == "ending-the-call" else t
        for t in kb.topics
    )
    after = Matcher(dataclasses.replace(kb, topics=topics))
    assert classify("terminate", before) is NonQuestion.NOT_A_QUESTION
    assert classify("terminate", after) is None
    assert after.match("terminate").topic_id == "ending-the-call"


def test_no_question_in_any_question_set_is_taken_for_a_non_question(matcher):
    """Aggregate only: the held-out sets stay unread."""
    caught = total = 0
    for path in QUESTION_SETS:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["in_scope"]:
            total += 1
            caught += classify(" ".join(item["q"].split()), matcher) is not None
    assert total > 900 and caught == 0
