"""Today's questions: no repeats within 30 quiz days, topics in turn, misses weighted in."""

from __future__ import annotations

import random
from collections import Counter

from coachbot.knowledge.models import QuizItem
from coachbot.quiz.choose import choose_items


def _items(topics: int = 32, per_topic: int = 3) -> list[QuizItem]:
    return [
        QuizItem(f"t{t}-{n}", f"t{t}", f"prompt {t} {n}", ("a", "b", "c"), 0, "why")
        for t in range(topics)
        for n in range(per_topic)
    ]


def _run(days: int, count: int, *, miss_rates=None, seed: int = 1) -> list[list[QuizItem]]:
    items, rng, history = _items(), random.Random(seed), []
    for _ in range(days):
        recent = [i.id for day in history[-30:] for i in day]
        history.append(
            choose_items(items, count, recent=recent, miss_rates=miss_rates or {}, rng=rng)
        )
    return history


def test_no_item_repeats_within_30_quiz_days_while_unused_items_remain():
    history = _run(days=30, count=3)  # 90 questions from 96 items
    ids = [item.id for day in history for item in day]
    assert len(ids) == 90 and len(set(ids)) == 90


def test_past_30_quiz_days_only_items_unseen_in_the_last_30_are_used():
    history = _run(days=60, count=3)
    for n in range(30, 60):
        recent = {item.id for day in history[n - 30 : n] for item in day}
        assert not recent & {item.id for item in history[n]}, f"day {n} repeats an item"


def test_when_every_item_was_used_lately_the_longest_unseen_comes_back_first():
    items = _items(topics=4, per_topic=1)
    recent = ["t2-0", "t0-0", "t3-0", "t1-0"]  # oldest first
    [chosen] = choose_items(items, 1, recent=recent, miss_rates={}, rng=random.Random(0))
    assert chosen.id == "t2-0"


def test_one_quiz_never_asks_two_questions_on_the_same_topic():
    for day in _run(days=30, count=3):
        assert len({item.topic_id for item in day}) == 3


def test_topics_are_covered_evenly():
    history = _run(days=30, count=1)  # one question a day over the 30-day window
    counts = Counter(item.topic_id for day in history for item in day)
    assert len(counts) == 30 and set(counts.values()) == {1}


def test_topics_the_team_misses_come_up_more_often():
    misses = {"t0": 1.0, "t1": 1.0}
    counts = Counter()
    for seed in range(20):
        history = _run(days=16, count=1, miss_rates=misses, seed=seed)
        counts.update(item.topic_id for day in history for item in day)
    weak = (counts["t0"] + counts["t1"]) / 2
    others = sum(counts[f"t{t}"] for t in range(2, 32)) / 30
    assert weak > 1.5 * others


def test_the_same_seed_gives_the_same_quiz():
    assert _run(days=5, count=2, seed=9) == _run(days=5, count=2, seed=9)


def test_asking_for_more_than_there_is_returns_what_there_is():
    items = _items(topics=2, per_topic=1)
    chosen = choose_items(items, 3, recent=[], miss_rates={}, rng=random.Random(0))
    assert sorted(i.id for i in chosen) == ["t0-0", "t1-0"]
    assert choose_items([], 3, recent=[], miss_rates={}, rng=random.Random(0)) == []
