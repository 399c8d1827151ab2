"""Grouping similar debrief texts into the report's recurring themes."""

from __future__ import annotations

import random

from coachbot.debrief.themes import REPRESENTATIVE_CHARS, recurring, representative

LATE = [
    "The parcel was late and he wanted a refund.",
    "Late parcel again, refund demanded.",
    "She wanted a refund because the parcel came late.",
]
OTHER = [
    "He asked how to change his password.",
    "Caller wanted to cancel the contract after the price rise.",
    "[name] wanted to cancel her contract: the price went up.",
]


def test_similar_texts_form_one_theme_with_a_count():
    themes = recurring(LATE + OTHER)
    assert [t.count for t in themes] == [3, 2]
    assert themes[0].representative in LATE
    assert "cancel" in themes[1].representative


def test_the_same_texts_in_any_order_give_the_same_themes():
    texts = LATE + OTHER
    expected = recurring(texts)
    rng = random.Random(3)
    for _ in range(10):
        shuffled = texts[:]
        rng.shuffle(shuffled)
        assert recurring(shuffled) == expected


def test_a_one_word_text_does_not_swallow_everything():
    # token_set_ratio scores a subset 100: "refund" alone is no story shared with the others.
    themes = recurring(["refund", "refund", *OTHER[:1]])
    assert themes == ()


def test_texts_made_of_placeholders_or_nothing_are_skipped():
    assert recurring(["", "   ", "[name] [phone]", "[name] [email] [address]"]) == ()


def test_topics_are_counted_per_theme():
    [late, cancel] = recurring(LATE + OTHER, ["late", "late", None, "pw", "keep", "keep"])
    assert late.topics == (("late", 2),) and cancel.topics == (("keep", 2),)


def test_limit_keeps_only_the_largest_themes():
    assert [t.count for t in recurring(LATE + OTHER, limit=1)] == [3]


def test_the_representative_is_one_sentence_clipped_at_a_word():
    assert representative("First sentence. Second one.") == "First sentence."
    long = "word " * 100
    shown = representative(long)
    assert len(shown) <= REPRESENTATIVE_CHARS + 1 and shown.endswith("word…")
