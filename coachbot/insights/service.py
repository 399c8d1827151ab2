"""The insights service: the store's aggregates in, one `Report` out, for every adapter.

What "unsure" means: an answered ask whose confidence is under LOW_CONFIDENCE. The matcher's
confidence is its calibrated probability that the answer is right, and it declines under 0.3.
An answer under 0.5 is, by the matcher's own estimate, about as likely wrong as right: in a
leave-one-out run over the knowledge base's own example questions, answers under 0.5 picked
the right topic 62% of the time, answers from 0.5 up 88%. So those asks are a gap as well.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import date

from coachbot.clock import Clock
from coachbot.insights.groups import group_asks
from coachbot.insights.models import (
    DEFAULT_DAYS,
    OTHER,
    DebriefCounts,
    Period,
    Report,
    TopicVotes,
)
from coachbot.insights.quiz import MIN_PEOPLE, accuracy_table
from coachbot.insights.score import topic_scores
from coachbot.knowledge.live import LiveKnowledge
from coachbot.store.insights import DebriefDay, InsightsStore, QuizSlice

LOW_CONFIDENCE = 0.5
NO_TOPIC = "(no topic)"


class InsightsService:
    def __init__(
        self,
        knowledge: Callable[[], LiveKnowledge],
        store: InsightsStore,
        clock: Clock,
        *,
        low_confidence: float = LOW_CONFIDENCE,
        min_people: int = MIN_PEOPLE,
    ) -> None:
        self._knowledge = knowledge
        self._store = store
        self._clock = clock
        self.low_confidence = low_confidence
        self.min_people = min_people

    def today(self) -> date:
        return self._clock().date()

    def default_period(self) -> Period:
        return Period.last(DEFAULT_DAYS, self.today())

    async def report(self, period: Period | None = None, guild_id: str | None = None) -> Report:
        """The report for `period` (default: the last 30 days). Quiz and debrief figures cover
        `guild_id` only when it is given; asks and votes from a DM belong to no server."""
        period = period or self.default_period()
        since, until = period.since, period.until
        titles = {t.id: t.title for t in self._knowledge().kb.topics}

        def title(topic_id: str) -> str:
            return titles.get(topic_id, topic_id)

        asks = await self._store.gap_asks(
            since, until, low_confidence=self.low_confidence, guild_id=guild_id
        )
        asks_total, asks_declined = await self._store.ask_totals(since, until, guild_id)
        groups, ungrouped = await asyncio.to_thread(group_asks, asks, titles)
        votes = tuple(
            TopicVotes(v.topic_id, title(v.topic_id), v.helpful, v.not_helpful)
            for v in await self._store.votes(since, until, guild_id)
        )
        votes = tuple(sorted(votes, key=lambda v: (-v.not_helpful, -v.total, v.topic_id)))
        people = self.min_people

        async def table(dimension: QuizSlice, label: Callable[[str], str]):
            cells = await self._store.quiz_cells(dimension, since, until, guild_id)
            return accuracy_table(cells, label, min_people=people)

        quiz_topics = await table(QuizSlice.TOPIC, title)
        quiz_teams = await table(QuizSlice.TEAM, lambda key: f"server {key}")
        quiz_channels = await table(QuizSlice.CHANNEL, lambda key: f"channel {_channel(key)}")
        debrief_days = await self._store.debrief_days(since, until, guild_id)
        debriefs = _debrief_counts(debrief_days, title)
        per_topic = Counter()
        for row in debrief_days:
            if row.topic_id:
                per_topic[row.topic_id] += row.count
        published = [r for r in quiz_topics.rows if r.key != OTHER]
        scores = topic_scores(asks, votes, published, per_topic, titles)
        return Report(
            period=period,
            guild_id=guild_id,
            asks_total=asks_total,
            asks_declined=asks_declined,
            low_confidence=self.low_confidence,
            ask_groups=groups,
            ungrouped=ungrouped,
            votes=votes,
            quiz_topics=quiz_topics,
            quiz_teams=quiz_teams,
            quiz_channels=quiz_channels,
            debriefs=debriefs,
            scores=scores,
            min_people=people,
        )


def _channel(key: str) -> str:
    return key.partition("/")[2] or key


def _debrief_counts(rows: list[DebriefDay], title: Callable[[str], str]) -> DebriefCounts:
    topics: Counter[str] = Counter()
    weeks: Counter[str] = Counter()
    for row in rows:
        topics[row.topic_id or ""] += row.count
        year, week, _ = row.day.isocalendar()
        weeks[f"{year}-W{week:02d}"] += row.count
    by_topic = tuple(
        (topic, title(topic) if topic else NO_TOPIC, n)
        for topic, n in sorted(topics.items(), key=lambda item: (-item[1], item[0]))
    )
    return DebriefCounts(sum(topics.values()), by_topic, tuple(sorted(weeks.items())))
