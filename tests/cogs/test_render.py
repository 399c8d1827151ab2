"""Cards always fit Discord's limits, however long a trainer made them."""

from __future__ import annotations

from coachbot.knowledge.models import Topic
from coachbot.views.card import card_view
from cogs._render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    card_embed,
    clip,
)
from tests.coachbot.views.test_card import _huge_topic


def _embed(topic: Topic):
    return card_embed(card_view(topic, {}, shareable=False))


def _total(embed) -> int:
    fields = sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    footer = len(embed.footer.text or "") if embed.footer else 0
    return len(embed.title or "") + len(embed.description or "") + fields + footer


def test_a_huge_card_is_trimmed_within_every_limit():
    embed = _embed(_huge_topic())
    assert len(embed.title) <= TITLE_LIMIT
    assert len(embed.description) <= DESCRIPTION_LIMIT
    assert all(0 < len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields)
    assert _total(embed) <= EMBED_TOTAL_LIMIT
    assert embed.description.endswith("…")


def test_a_normal_card_shows_everything(live_knowledge):
    topic = live_knowledge.kb.by_id["stay-calm"]
    embed = _embed(topic)
    text = embed.description + " ".join(f.value for f in embed.fields)
    assert topic.summary in embed.description
    assert all(step in text for step in topic.steps)
    assert all(phrase in text for phrase in topic.say)
    assert all(a.phrase in text for a in topic.avoid)
    assert [f.name for f in embed.fields][:3] == ["Steps", "Say", "Avoid"]
    assert all(source in embed.footer.text for source in topic.sources)


def test_every_shipped_card_fits(live_knowledge):
    for topic in live_knowledge.kb.topics:
        embed = _embed(topic)
        assert _total(embed) <= EMBED_TOTAL_LIMIT, topic.id
        assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields), topic.id


def test_clip_cuts_at_a_word_and_marks_the_cut():
    assert clip("short", 10) == "short"
    clipped = clip("one two three four five", 12)
    assert clipped == "one two…" and len(clipped) <= 12
