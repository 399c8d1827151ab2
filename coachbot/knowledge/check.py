"""`kb check`: does each topic's own wording still lead to it? Catches one topic shadowing another.

Each question is matched with itself left out of the index (leave-one-out), so the check
measures whether the *other* examples and the card carry the topic, as a new phrasing would.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from coachbot.knowledge.matcher import Matcher


@dataclass(frozen=True)
class Miss:
    question: str
    expected: str
    got: str | None  # None: declined


@dataclass(frozen=True)
class TopicCheck:
    topic_id: str
    total: int
    hits: int  # answered with this topic
    ranked_first: int  # this topic ranked first, confident or not
    misses: tuple[Miss, ...]

    @property
    def hit_rate(self) -> float:
        return self.hits / self.total if self.total else 1.0


def check_topics(matcher: Matcher) -> list[TopicCheck]:
    hits: dict[str, int] = defaultdict(int)
    firsts: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    misses: dict[str, list[Miss]] = defaultdict(list)
    for topic_id, question, row in matcher.example_index():
        result = matcher.match(question, exclude_example=row)
        totals[topic_id] += 1
        if result.ranked and result.ranked[0].topic_id == topic_id:
            firsts[topic_id] += 1
        if result.topic_id == topic_id:
            hits[topic_id] += 1
        else:
            misses[topic_id].append(Miss(question, topic_id, result.topic_id))
    return [
        TopicCheck(t.id, totals[t.id], hits[t.id], firsts[t.id], tuple(misses[t.id]))
        for t in matcher.kb.topics
    ]
