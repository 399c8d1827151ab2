"""Finding cards without asking: title completion, topic pages, tips."""

from __future__ import annotations

import random
from datetime import date, timedelta

from coachbot.browse import PAGE_SIZE, complete_titles, random_tip, tip_of_the_day, topic_page


def test_completion_finds_a_card_from_part_of_a_word(live_knowledge):
    assert "abusive-customer" in [t.id for t in complete_titles(live_knowledge, "abusiv")[:3]]
    assert complete_titles(live_knowledge, "refu")[0].id == "refund-not-possible"


def test_completion_puts_what_the_question_so_far_means_first(live_knowledge):
    found = complete_titles(live_knowledge, "customer keeps screaming at m")
    assert found[0].id == "stay-calm"


def test_completion_with_nothing_typed_lists_titles_alphabetically(live_knowledge):
    found = complete_titles(live_knowledge, "   ")
    assert len(found) == 25
    assert [t.title.lower() for t in found] == sorted(t.title.lower() for t in found)


def test_completion_survives_hostile_input(live_knowledge):
    assert isinstance(complete_titles(live_knowledge, "\x00" * 10_000 + "🙂" * 500), list)


def test_pages_cover_every_topic_once(live_knowledge):
    kb = live_knowledge.kb
    first = topic_page(kb, None, 0)
    seen = [t.id for n in range(first.pages) for t in topic_page(kb, None, n).topics]
    assert sorted(seen) == sorted(t.id for t in kb.topics)
    assert all(len(topic_page(kb, None, n).topics) <= PAGE_SIZE for n in range(first.pages))
    assert not first.has_previous and first.has_next


def test_out_of_range_pages_are_clamped(live_knowledge):
    kb = live_knowledge.kb
    last = topic_page(kb, None, 10_000)
    assert last.page == last.pages - 1 and not last.has_next
    assert topic_page(kb, None, -5).page == 0


def test_a_tag_filters_and_an_unknown_tag_gives_an_empty_page(live_knowledge):
    kb = live_knowledge.kb
    page = topic_page(kb, "refund", 0)
    assert page.topics and all("refund" in t.tags for t in page.topics)
    empty = topic_page(kb, "no-such-tag", 0)
    assert empty.topics == () and empty.pages == 1


def test_the_tip_of_the_day_is_stable_within_a_day_and_changes_the_next(live_knowledge):
    kb = live_knowledge.kb
    day = date(2026, 11, 23)
    assert tip_of_the_day(kb, day) == tip_of_the_day(kb, day)
    assert tip_of_the_day(kb, day) != tip_of_the_day(kb, day + timedelta(days=1))


def test_a_random_tip_comes_from_the_rng_it_is_given(live_knowledge):
    kb = live_knowledge.kb
    assert random_tip(kb, random.Random(7)) == random_tip(kb, random.Random(7))
