"""The shipped knowledge base is complete, real content, independent of the held-out set."""

from __future__ import annotations

import yaml
from rapidfuzz import fuzz, process

from coachbot.knowledge.text import words
from tests.conftest import DATA

REQUIRED_IDS = """
active-listening stay-calm show-empathy apologize-sincerely clarify-the-issue offer-options
refund-not-possible saying-no-positively set-expectations take-ownership follow-up
escalate-to-supervisor abusive-customer ending-the-call repeat-difficult-customer
dont-take-it-personally prepare-for-call customer-repeating-themselves broken-promise
product-failure long-wait customer-personal-stress confused-customer threatens-to-leave
public-complaint service-recovery build-rapport tone-of-voice document-and-learn team-training
handling-framework why-it-matters
""".split()

SEEDS = {
    "000_0cc9e113dec86803.txt",
    "001_a07d5e941db77e69.txt",
    "002_61df53bb5bd9b8a8.txt",
    "003_941a7d0091be4887.txt",
    "004_3b76a78659583e42.txt",
}


def test_every_required_topic_is_there(live_knowledge):
    assert set(REQUIRED_IDS) <= set(live_knowledge.kb.by_id)


def test_each_topic_is_a_complete_card(live_knowledge):
    for topic in live_knowledge.kb.topics:
        assert len(topic.questions) >= 8, topic.id
        assert 3 <= len(topic.steps) <= 6, topic.id
        assert len(topic.say) >= 2 and len(topic.avoid) >= 1, topic.id
        sentences = topic.summary.count(". ") + 1
        assert 2 <= sentences <= 5, (topic.id, topic.summary)
        assert set(topic.sources) <= SEEDS, topic.id
        assert topic.related and topic.id not in topic.related, topic.id
        assert len(set(topic.questions)) == len(topic.questions), topic.id


def _held_out_texts() -> list[str]:
    """Every held-out question, in scope or not, from every held-out file in tests/data/."""
    texts = []
    for name in ("heldout_questions.yaml", "heldout_indirect.yaml"):
        held = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        for item in [*held["in_scope"], *held["out_of_scope"]]:
            texts.append(" ".join(words(item["q"] if isinstance(item, dict) else item)))
    return texts


def test_no_held_out_question_was_copied_into_the_knowledge_base(live_knowledge):
    held_texts = _held_out_texts()
    assert len(held_texts) > 390  # both files were read
    kb = live_knowledge.kb
    examples = [q for topic in kb.topics for q in topic.questions] + list(kb.out_of_scope)
    copied = [
        (example, match[0])
        for example in examples
        if (
            match := process.extractOne(
                " ".join(words(example)), held_texts, scorer=fuzz.ratio, score_cutoff=85
            )
        )
    ]
    assert copied == []
