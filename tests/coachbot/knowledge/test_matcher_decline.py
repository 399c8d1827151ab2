"""The matcher answers with a calibrated confidence and declines what looks out of scope."""

from __future__ import annotations

import pytest

from coachbot.knowledge.matcher import ANSWER_FIRST, EVIDENCE, Matcher


@pytest.fixture(scope="module")
def matcher(live_knowledge) -> Matcher:
    return live_knowledge.matcher


def evidence(matcher: Matcher, question: str, **kwargs) -> dict[str, float]:
    found = matcher.assess(question, **kwargs)
    assert found is not None
    return dict(zip(EVIDENCE, found.evidence, strict=True))


@pytest.mark.parametrize(
    "question",
    [
        "customer keeps yelling at me about a late delivery",
        "caller threatening violence if we don't send an engineer",
        "charged twice on his credit card and he wants it back, but policy says no",
    ],
)
def test_an_answer_is_as_confident_as_the_threshold_or_more(matcher, question):
    result = matcher.match(question)
    assert result.answered and result.confidence >= matcher.threshold
    assert not result.out_of_scope


@pytest.mark.parametrize(
    "question",
    [
        "my manager keeps yelling at me about my stats",  # the agent's own manager
        "customer is screaming at me about my payroll",  # a word only out-of-scope uses
        "customer angry blorptastic wibblewobble zanzibarian",  # mostly unknown words
    ],
)
def test_near_misses_are_declined_as_out_of_scope(matcher, question):
    result = matcher.match(question)
    assert not result.answered and result.out_of_scope
    assert result.ranked, "a declined question still offers the closest topics"
    assert result.confidence < matcher.threshold or matcher.assess(question).forced_decline


def test_a_word_only_out_of_scope_examples_use_declines_whatever_the_topic_words(matcher):
    found = matcher.assess("customer is screaming at me about my payroll")
    assert found.out_of_scope_word and found.forced_decline


def test_a_word_only_out_of_scope_examples_use_in_passing_in_a_story_does_not_decline(matcher):
    """In a dozen words of story, one such word is scenery: the model decides, not the rule."""
    assert matcher._vocab.get("portal") in matcher._oos_only  # the premise: an off-topic word
    story = (
        "an elderly lady rang about the appointment letter from her clinic, she could not work"
        " out which portal, which password or which number to use, and she got more confused"
        " each time i explained the steps"
    )
    found = matcher.assess(story)
    assert not found.out_of_scope_word and not found.forced_decline
    assert matcher.match(story).topic_id == "confused-customer"
    assert matcher.assess("my pension looks wrong on the portal").forced_decline


def test_leave_one_out_hides_the_question_from_the_fuzzy_re_rank_too(matcher):
    topic_id, question, row = next(
        entry for entry in matcher.example_index() if entry[0] == "stay-calm"
    )
    assert evidence(matcher, question)["ratio"] == pytest.approx(1.0)
    assert evidence(matcher, question, exclude_example=row)["ratio"] < 1.0
    assert matcher.match(question).topic_id == topic_id


def test_the_re_rank_keeps_only_topics_that_share_a_word(matcher):
    assert matcher.assess("zzzz qqqq") is None
    assert matcher.match("zzzz qqqq").ranked == ()


def test_ranked_confidences_scale_with_each_topics_score(matcher):
    found = matcher.assess("customer keeps yelling at me, what do i do")
    result = matcher.match("customer keeps yelling at me, what do i do")
    top = result.ranked[0].confidence
    for ranked, score in zip(result.ranked, found.scores, strict=False):
        assert ranked.confidence == pytest.approx(top * score / found.scores[0], abs=1e-3)


def test_a_lower_threshold_answers_more(live_knowledge):
    question = "my kid keeps crying at home and i feel awful"
    strict = Matcher(live_knowledge.kb, threshold=0.99, index=live_knowledge.matcher.index)
    lenient = Matcher(live_knowledge.kb, threshold=0.0, index=live_knowledge.matcher.index)
    assert not strict.match(question).answered
    found = lenient.assess(question)
    sure = found.first_probability() >= ANSWER_FIRST  # a card, not "Which is closest?"
    assert lenient.match(question).answered == (sure and not found.forced_decline)
