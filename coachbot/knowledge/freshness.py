"""Freshness: which cards are overdue for a review, who owns them, and how much they are used.

Like a knowledge tool's verification. A topic may say who keeps it true (`owner`), when it
was last checked (`reviewed`) and how often it must be (`review_every`). It is stale when
`reviewed + review_every` is before today, or at once when it has `review_every` but was
never reviewed. The clock is passed in; nothing here fails a load, it only warns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from coachbot.clock import Clock
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.models import KnowledgeBase, Topic
from coachbot.knowledge.yamlsource import read_node
from coachbot.store.usage import TopicUsage

log = logging.getLogger(__name__)

USAGE_DAYS = 90  # "most used" counts answered asks over this many days


@dataclass(frozen=True)
class StaleTopic:
    topic: Topic
    due: date | None  # the day the review fell due; None when it was never reviewed
    uses: int = 0  # asks answered with this card in the last USAGE_DAYS days

    def reason(self, today: date) -> str:
        """ "last reviewed 2026-01-10, review every 90d: 230 days overdue" """
        every = self.topic.review_every
        if self.topic.reviewed is None or self.due is None:
            return f"never reviewed (review every {every})"
        late = (today - self.due).days
        days = "1 day" if late == 1 else f"{late} days"
        return f"last reviewed {self.topic.reviewed}, review every {every}: {days} overdue"


def due_date(topic: Topic) -> date | None:
    """When the next review is due, or None (no schedule, never reviewed, or past year 9999)."""
    if topic.reviewed is None or topic.review_every is None:
        return None
    try:
        return topic.review_every.after(topic.reviewed)
    except (OverflowError, ValueError):
        return None


def is_stale(topic: Topic, today: date) -> bool:
    if topic.review_every is None:
        return False
    if topic.reviewed is None:
        return True
    due = due_date(topic)
    return due is not None and due < today


def stale_topics(
    kb: KnowledgeBase, today: date, uses: Mapping[str, int] | None = None
) -> tuple[StaleTopic, ...]:
    """Stale topics, most used first; then the longest overdue (never reviewed first); by id."""
    uses = uses or {}
    found = [
        StaleTopic(topic, due_date(topic) if topic.reviewed else None, uses.get(topic.id, 0))
        for topic in kb.topics
        if is_stale(topic, today)
    ]
    return tuple(sorted(found, key=lambda s: (-s.uses, s.due or date.min, s.topic.id)))


def lint_warnings(kb: KnowledgeBase, today: date) -> list[str]:
    """`file:line: warning: ...` for each stale topic, in file order, for `kb lint`.

    The loaded topics carry no positions, so the few stale files are read again for the line
    of their `reviewed` (or `review_every`) key.
    """
    warnings = []
    for topic in sorted(kb.topics, key=lambda t: t.source_file):
        if not is_stale(topic, today):
            continue
        stale = StaleTopic(topic, due_date(topic))
        owner = f" (owner: {topic.owner})" if topic.owner else ""
        line = _key_line(topic.source_file, ("reviewed", "review_every"))
        warnings.append(
            f"{topic.source_file}:{line}: warning: topic '{topic.id}' is stale: "
            f"{stale.reason(today)}{owner}"
        )
    return warnings


def _key_line(file: str, keys: tuple[str, ...]) -> int:
    """The 1-based line of the first of `keys` in a topic file, else 1."""
    root, _ = read_node(Path(file), file)
    if not isinstance(root, yaml.MappingNode):
        return 1
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value if hasattr(key, "value")}
    return next((lines[key] for key in keys if key in lines), 1)


@dataclass(frozen=True)
class StaleReport:
    today: date
    topics: tuple[StaleTopic, ...]
    tracked: int  # topics with a review schedule
    total: int  # all topics
    usage_days: int = USAGE_DAYS


class FreshnessService:
    """`/kb stale`: the stale topics of the live version, ranked by recent use."""

    def __init__(
        self, knowledge: Callable[[], LiveKnowledge], usage: TopicUsage | None, clock: Clock
    ) -> None:
        self._knowledge = knowledge
        self._usage = usage
        self._clock = clock

    async def stale(self) -> StaleReport:
        kb = self._knowledge().kb  # one version for the whole report
        today = self._clock().date()
        since = today - timedelta(days=USAGE_DAYS - 1)  # today and the 89 days before
        uses = await self._usage.answered_since(since) if self._usage is not None else {}
        tracked = sum(1 for topic in kb.topics if topic.review_every is not None)
        return StaleReport(today, stale_topics(kb, today, uses), tracked, len(kb.topics))
