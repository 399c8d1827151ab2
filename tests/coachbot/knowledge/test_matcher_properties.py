"""The matcher and the ask service give a valid answer for any text an agent can type.

Up to the 1,000-character limit the matcher ranks any unicode string: a topic of the knowledge
base or None, confidences in [0, 1], valid alternatives. Beyond it, the matcher reads only the
first 1,000 characters, and the ask service answers TOO_LONG instead of guessing.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachbot.ask import AskKind, AskService
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.matcher import MAX_QUERY_CHARS, MatchResult
from tests.conftest import KNOWLEDGE

LIVE = LiveKnowledge.load(KNOWLEDGE)  # module level: Hypothesis re-runs the test body
TOPIC_IDS = frozenset(t.id for t in LIVE.kb.topics)
KB_WORDS = sorted({w for t in LIVE.kb.topics for q in t.questions for w in q.split()})
ASKS = AskService(lambda: LIVE, None, lambda: datetime(2026, 11, 23, tzinfo=UTC))
fuzz = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

kb_words = st.lists(st.sampled_from(KB_WORDS), min_size=1, max_size=30).map(" ".join)
odd_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=MAX_QUERY_CHARS
)
questions = st.one_of(
    st.text(max_size=200),
    odd_text,
    kb_words,
    st.tuples(kb_words, st.text(max_size=40), kb_words).map(" ".join),
    st.sampled_from(["\u200b" * 5, "\x1b[31m yelling", "‮customer is angry", "a" * 999]),
)


def assert_valid(result: MatchResult) -> None:
    assert result.topic_id is None or result.topic_id in TOPIC_IDS
    assert 0.0 <= result.confidence <= 1.0 and not math.isnan(result.confidence)
    ranked_ids = [r.topic_id for r in result.ranked]
    assert set(ranked_ids) <= TOPIC_IDS and len(ranked_ids) == len(set(ranked_ids))
    assert all(0.0 <= r.confidence <= 1.0 for r in result.ranked)
    assert [r.confidence for r in result.ranked] == sorted(
        (r.confidence for r in result.ranked), reverse=True
    )
    if result.ranked:
        assert result.confidence == result.ranked[0].confidence
    if result.topic_id is not None:
        assert result.topic_id == ranked_ids[0]
    alternatives = result.alternatives
    assert len(alternatives) <= 3 and result.topic_id not in alternatives
    assert set(alternatives) <= TOPIC_IDS and len(set(alternatives)) == len(alternatives)


@fuzz
@given(question=questions)
def test_any_text_up_to_the_limit_gets_a_valid_ranking(question):
    assert_valid(LIVE.matcher.match(question[:MAX_QUERY_CHARS]))


@fuzz
@given(question=questions, tail=st.text(min_size=1, max_size=3000))
def test_beyond_the_limit_the_matcher_reads_only_the_first_1000_characters(question, tail):
    long = (question + " " * MAX_QUERY_CHARS)[:MAX_QUERY_CHARS] + tail
    result = LIVE.matcher.match(long)
    assert_valid(result)
    assert result == LIVE.matcher.match(long[:MAX_QUERY_CHARS])


@fuzz
@given(question=st.one_of(questions, st.text(min_size=MAX_QUERY_CHARS, max_size=5000)))
def test_the_ask_service_answers_any_text_with_a_consistent_result(question):
    result = ASKS.answer(question)
    assert len(result.question) <= MAX_QUERY_CHARS
    assert 0.0 <= result.confidence <= 1.0
    assert result.answered == (result.kind is AskKind.CARD)
    if result.kind is AskKind.CARD:
        assert result.topic is not None and result.topic.id in TOPIC_IDS
    else:
        assert result.topic is None
    assert all(t.id in TOPIC_IDS for t in result.alternatives)
    if result.kind is AskKind.TOO_LONG:
        assert result.alternatives == () and result.confidence == 0.0


def test_the_searches_above_reach_answers_as_well_as_declines():
    """Random knowledge-base words must sometimes match, or the properties prove little."""
    rng = random.Random(3)
    kinds = {ASKS.answer(" ".join(rng.sample(KB_WORDS, 6))).kind for _ in range(60)}
    assert {AskKind.CARD, AskKind.DECLINED} <= kinds
    assert ASKS.answer("yelling " * 200).kind is AskKind.TOO_LONG
