"""Grouping declined and unsure asks by similarity: deterministic, bounded, scrubbed."""

from __future__ import annotations

import random

from coachbot.insights.groups import group_asks, question_key
from coachbot.store.insights import GapAsk


def _asks(*questions: str, topic: str | None = None) -> list[GapAsk]:
    return [GapAsk(q, topic, 0.05, True) for q in questions]


def test_keys_ignore_word_forms_filler_and_the_words_every_ask_has():
    assert question_key("Customer wants REFUNDS for damaged items!") == "refund damag item"
    assert question_key("the caller keeps asking for a refund") == "refund"
    assert question_key("how do I") == "how do i"  # only common words: kept, not emptied


def test_questions_sharing_only_a_common_word_stay_apart():
    groups, _ = group_asks(
        _asks("customer wants a refund", "customer wants to cancel the subscription"), {}
    )
    assert [g.count for g in groups] == [1, 1]


def test_grouping_does_not_depend_on_the_order_of_the_asks():
    questions = [
        "vpn keeps disconnecting",
        "my vpn disconnects all the time",
        "shipping to canada how long",
        "customer asking about shipping times to canada",
        "refund for damaged goods",
        "how do I issue a refund for a damaged item",
        "when is payroll processed",
    ] * 3
    first, _ = group_asks(_asks(*questions), {})
    shuffled = questions[:]
    random.Random(7).shuffle(shuffled)
    second, _ = group_asks(_asks(*shuffled), {})
    assert first == second
    assert [g.count for g in first] == [6, 6, 6, 3]


def test_each_group_is_a_star_every_member_is_close_to_the_label():
    # a ~ b and b ~ c, but a and c share nothing: no chain puts all three together
    groups, _ = group_asks(
        _asks("refund damaged parcel", "damaged parcel late", "late delivery driver"), {}
    )
    assert sorted(g.count for g in groups) in ([1, 2], [1, 1, 1])


def test_only_the_most_frequent_questions_are_grouped_and_the_rest_counted():
    asks = _asks(*["password reset"] * 3, "payroll", "holiday booking", "vpn down")
    groups, ungrouped = group_asks(asks, {}, max_entries=2)
    assert sum(g.count for g in groups) + ungrouped == len(asks)
    assert ungrouped == 2 and groups[0].count == 3


def test_shown_text_is_scrubbed_printable_and_short():
    groups, _ = group_asks(
        _asks(
            "customer jane.doe@example.com wants a refund \x1b[31mnow",
            "refund for jane.doe@example.com " + "please " * 200,
        ),
        {},
    )
    [group] = groups
    shown = [group.label, *group.examples]
    assert all("@" not in text and "\x1b" not in text for text in shown)
    assert all(len(text) <= 300 for text in shown)


def test_hostile_and_empty_questions_do_not_break_grouping():
    weird = ["", "   ", "!!!", "=cmd|' /C calc'!A0", "\u202e\u200b", "x" * 5000, "日本語の質問"]
    groups, ungrouped = group_asks(_asks(*weird), {})
    assert sum(g.count for g in groups) + ungrouped == len(weird)


def test_the_group_topic_is_the_most_common_closest_topic():
    asks = [
        *_asks("refund damaged item", "refund for a damaged item", topic="refund-not-possible"),
        *_asks("damaged item refund please", topic="offer-options"),
    ]
    [group] = group_asks(asks, {"refund-not-possible": "Refunds"})[0]
    assert (group.topic_id, group.topic_title) == ("refund-not-possible", "Refunds")
