"""Choosing a channel's questions: fresh items, topics in turn, more of what the team misses."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence

from coachbot.knowledge.models import QuizItem

MISS_WEIGHT = 3.0  # within a round, a topic the team always misses is four times as likely
EXTRA_TURN_MISS_RATE = 0.5  # from this miss rate a topic may come round once more per cycle


def choose_items(
    items: Sequence[QuizItem],
    count: int,
    *,
    recent: Sequence[str],
    miss_rates: Mapping[str, float],
    rng: random.Random,
) -> list[QuizItem]:
    """`count` items on distinct topics where possible.

    `recent` lists the item ids the channel saw in its last 30 quiz days, oldest first:
    they are not repeated while unused items remain, and when they must be, the longest
    unseen come first. A topic's weight falls with how often it appeared recently (topics
    are covered evenly: a topic waits until the others had their turn, except that a topic
    the team misses half the time or more may come round once more) and rises with the
    team's miss rate on it.
    """
    if count <= 0 or not items:
        return []
    seen_order = {item_id: n for n, item_id in enumerate(recent)}
    topic_uses: dict[str, int] = {}
    by_id = {item.id: item for item in items}
    for item_id in recent:
        if item_id in by_id:
            topic = by_id[item_id].topic_id
            topic_uses[topic] = topic_uses.get(topic, 0) + 1
    fresh = [item for item in items if item.id not in seen_order]
    chosen: list[QuizItem] = []
    for _ in range(min(count, len(items))):
        pool = [item for item in fresh if item not in chosen]
        if not pool:  # everything was used lately: repeat the longest-unseen items first
            stale = sorted(
                (item for item in items if item not in chosen), key=lambda i: seen_order[i.id]
            )
            pool = stale[: max(1, len(stale) // 4)]
        used_topics = {item.topic_id for item in chosen}
        distinct = [item for item in pool if item.topic_id not in used_topics] or pool
        chosen.append(_draw(distinct, topic_uses, miss_rates, rng))
    return chosen


def _draw(
    pool: Iterable[QuizItem],
    topic_uses: Mapping[str, int],
    miss_rates: Mapping[str, float],
    rng: random.Random,
) -> QuizItem:
    by_topic: dict[str, list[QuizItem]] = {}
    for item in pool:
        by_topic.setdefault(item.topic_id, []).append(item)
    fewest = min(topic_uses.get(t, 0) for t in by_topic)

    def allowance(topic: str) -> int:
        return fewest + (1 if miss_rates.get(topic, 0.0) >= EXTRA_TURN_MISS_RATE else 0)

    topics = sorted(t for t in by_topic if topic_uses.get(t, 0) <= allowance(t))
    weights = [
        (1.0 + MISS_WEIGHT * miss_rates.get(t, 0.0)) / (1.0 + topic_uses.get(t, 0) - fewest)
        for t in topics
    ]
    topic = rng.choices(topics, weights=weights)[0]
    return rng.choice(sorted(by_topic[topic], key=lambda item: item.id))
