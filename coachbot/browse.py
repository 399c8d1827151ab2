"""Ways to find a card without asking a question: title completion, topic pages, tips."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process, utils

from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.models import KnowledgeBase, Topic

PAGE_SIZE = 8


@dataclass(frozen=True)
class TopicPage:
    tag: str | None
    page: int  # 0-based, clamped into range
    pages: int
    topics: tuple[Topic, ...]

    @property
    def has_previous(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


@dataclass(frozen=True)
class Tip:
    text: str
    topic: Topic


def complete_titles(live: LiveKnowledge, typed: str, limit: int = 25) -> list[Topic]:
    """Topics for autocomplete: what the matcher makes of the words so far, then titles and
    tags that contain what is being typed (so "abusiv" already finds the abuse card)."""
    kb = live.kb
    typed = typed.strip()[:200]
    ordered = sorted(kb.topics, key=lambda t: t.title.lower())
    if not utils.default_process(typed):
        return ordered[:limit]
    chosen: dict[str, Topic] = {}
    result = live.matcher.match(typed)
    for ranked in result.ranked[:5] if result.answered else ():
        chosen.setdefault(ranked.topic_id, kb.by_id[ranked.topic_id])
    haystack = {t.id: f"{t.title} {t.id} {' '.join(t.tags)}" for t in ordered}
    found = process.extract(
        typed,
        haystack,
        scorer=fuzz.partial_token_set_ratio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=75,
    )
    found.sort(key=lambda hit: (-hit[1], -fuzz.WRatio(typed, hit[0])))
    for _, _, topic_id in found:
        chosen.setdefault(topic_id, kb.by_id[topic_id])
    return list(chosen.values())[:limit]


def topic_page(kb: KnowledgeBase, tag: str | None, page: int) -> TopicPage:
    """One page of topics, optionally only those with `tag`; out-of-range pages are clamped."""
    chosen = [t for t in kb.topics if tag is None or tag in t.tags]
    chosen.sort(key=lambda t: t.title.lower())
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_SIZE
    return TopicPage(tag, page, pages, tuple(chosen[start : start + PAGE_SIZE]))


def _tips(kb: KnowledgeBase) -> list[Tip]:
    return [Tip(t.tip, t) for t in sorted(kb.topics, key=lambda t: t.id) if t.tip]


def tip_of_the_day(kb: KnowledgeBase, day: date) -> Tip | None:
    """The same tip for everyone all day; every tip comes round before any repeats."""
    tips = _tips(kb)
    return tips[day.toordinal() % len(tips)] if tips else None


def random_tip(kb: KnowledgeBase, rng: random.Random) -> Tip | None:
    tips = _tips(kb)
    return rng.choice(tips) if tips else None
