"""The fuzzy re-rank reads a question next to each topic's own examples, and leaves one out."""

from __future__ import annotations

import pytest

from coachbot.knowledge.models import KnowledgeBase, Topic
from coachbot.knowledge.rerank import ExampleTexts, plain, word_set


def topic(topic_id: str, title: str, *questions: str) -> Topic:
    return Topic(
        id=topic_id,
        title=title,
        tags=(),
        questions=questions,
        summary="",
        steps=(),
        say=(),
        avoid=(),
        related=(),
        sources=(),
    )


KB = KnowledgeBase(
    topics=(
        topic("calm", "Stay calm", "customer keeps yelling at me", "how do i keep my cool"),
        topic("wait", "Long wait", "caller waited an hour on hold", "slow replies on chat"),
    ),
    out_of_scope=("when is payday", "my vpn is down"),
)
# example rows: each topic's title, then its questions; then the out-of-scope examples
CALM, WAIT, OUT = range(0, 3), range(3, 6), range(6, 8)


def test_plain_text_is_casefolded_words_with_contractions_expanded():
    assert plain("Customer WON'T stop — yelling!!") == "customer will not stop yelling"


def test_a_word_set_is_one_character_per_distinct_word_and_letter():
    assert len(word_set("yell yell at me")) == len("yell") + len("at") + len("me")
    assert word_set("at me yell") == word_set("yell yell at me")
    assert word_set("") == ""


def test_a_question_written_like_an_example_scores_one_for_its_topic():
    ratio, overlap = ExampleTexts(KB).scores("Customer keeps yelling at me!", [CALM, WAIT])
    assert ratio[0] == pytest.approx(1.0) and ratio[1] < 0.6
    # overlap is the mean of the three closest examples: this one, and two that share nothing
    assert overlap[0] == pytest.approx(1 / 3) and overlap[1] == 0.0


def test_a_short_question_inside_a_long_example_overlaps_fully():
    texts = ExampleTexts(KnowledgeBase(topics=(topic("t", "x", "the caller waited on hold"),)))
    _, overlap = texts.scores("waited on hold", [[1]])
    assert overlap[0] == pytest.approx(1.0)
    _, both = texts.scores("waited on hold", [[0, 1]])  # with the title, which shares nothing
    assert both[0] == pytest.approx(0.5)


def test_words_no_example_uses_match_nothing():
    ratio, overlap = ExampleTexts(KB).scores("zzzz qqqq", [CALM, WAIT, OUT])
    assert list(overlap) == [0.0, 0.0, 0.0]
    assert all(r < 0.5 for r in ratio)


def test_the_out_of_scope_examples_are_one_more_group():
    ratio, _ = ExampleTexts(KB).scores("When is payday?", [CALM, OUT])
    assert ratio[1] == pytest.approx(1.0) and ratio[0] < 0.5


def test_the_excluded_row_counts_as_absent():
    texts = ExampleTexts(KB)
    question = "customer keeps yelling at me"
    left_out, _ = texts.scores(question, [CALM], exclude=1)
    assert left_out[0] < 0.6
    kept, _ = texts.scores(question, [CALM], exclude=4)  # a row of another topic
    assert kept[0] == pytest.approx(1.0)
    picked, _ = texts.scores(question, [[0, 1, 2]], exclude=1)  # a list of rows, not a range
    assert picked[0] == pytest.approx(left_out[0])


def test_scores_do_not_depend_on_what_was_asked_before():
    question = "caller is yelling about waiting on hold"
    fresh = ExampleTexts(KB).scores(question, [WAIT, OUT, CALM])
    used = ExampleTexts(KB)
    used.scores("something else entirely", [OUT])
    used.scores("anything", [[4, 5], CALM])
    again = used.scores(question, [WAIT, OUT, CALM])
    assert [list(a) for a in fresh] == [list(b) for b in again]


def test_an_empty_group_scores_zero():
    texts = ExampleTexts(KnowledgeBase(topics=(topic("t", "Title"),)))
    ratio, overlap = texts.scores("anything at all", [range(1, 1)])  # no out-of-scope examples
    assert list(ratio) == [0.0] and list(overlap) == [0.0]
