"""The clarify ("Which is closest?"): a third outcome, chosen from calibrated figures."""

from __future__ import annotations

import pytest

from coachbot.ask import AskKind, AskService
from coachbot.clock import system_clock
from coachbot.knowledge import matcher as matcher_module


@pytest.fixture
def asks(live_knowledge) -> AskService:
    return AskService(lambda: live_knowledge, None, system_clock)


@pytest.fixture
def never_sure(monkeypatch) -> None:
    """No best topic is ever likely enough to answer: every in-scope question clarifies."""
    monkeypatch.setattr(matcher_module, "ANSWER_FIRST", 1.01)


def test_a_clear_question_still_gets_its_card(asks):
    result = asks.answer("customer keeps screaming at me")
    assert result.kind is AskKind.CARD and not result.clarify


def test_unsure_of_the_best_topic_it_offers_the_best_three(asks, live_knowledge, never_sure):
    result = asks.answer("customer keeps screaming at me")

    assert result.kind is AskKind.CLARIFY and result.clarify and not result.answered
    assert result.topic is None
    ranked = live_knowledge.matcher.match("customer keeps screaming at me").ranked
    assert [t.id for t in result.alternatives] == [r.topic_id for r in ranked[:3]]
    assert "stay-calm" in [t.id for t in result.alternatives]


def test_off_topic_questions_are_declined_not_clarified(asks, never_sure):
    for text in ("how do I reset my VPN password", "customer is screaming about my payroll"):
        result = asks.answer(text)
        assert result.kind is AskKind.DECLINED, text


def test_the_choices_probability_decides_between_clarify_and_decline(asks, monkeypatch, never_sure):
    monkeypatch.setattr(matcher_module, "CLARIFY_CHOICES", 1.01)  # choices never likely enough
    assert asks.answer("customer keeps screaming at me").kind is AskKind.DECLINED


def test_the_clarify_models_read_the_lead_of_the_best_topic(live_knowledge):
    """A best topic far ahead of the rest is likelier right than one in a near tie."""
    found = live_knowledge.matcher.assess("customer keeps screaming at me")
    assert found is not None and len(found.rank_evidence) == len(matcher_module.RANK_EVIDENCE)
    assert 0.0 <= found.first_probability() <= 1.0
    assert 0.0 <= found.choices_probability() <= 1.0
    tie = type(found)(found.order, (found.scores[0],) * len(found.scores), found.evidence, False)
    assert tie.first_probability() < found.first_probability()
