"""Frozen values that the rest of the core and the adapters read; nothing here does I/O."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType


@dataclass(frozen=True)
class AvoidPhrase:
    phrase: str
    why: str


@dataclass(frozen=True)
class ReviewInterval:
    """How often a topic needs a fresh look: `90d`, `12w`, `6m`, `1y` in the YAML."""

    count: int
    unit: str  # "d", "w", "m" or "y"

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def after(self, day: date) -> date:
        """The day this interval after `day`; months and years keep the day of the month,
        clamped to the month's end (Jan 31 + 1m = Feb 28 or 29)."""
        if self.unit in ("d", "w"):
            return day + timedelta(days=self.count * (7 if self.unit == "w" else 1))
        months = day.month - 1 + self.count * (12 if self.unit == "y" else 1)
        year, month = day.year + months // 12, months % 12 + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    tags: tuple[str, ...]
    questions: tuple[str, ...]
    summary: str
    steps: tuple[str, ...]
    say: tuple[str, ...]
    avoid: tuple[AvoidPhrase, ...]
    related: tuple[str, ...]
    sources: tuple[str, ...]
    tip: str | None = None
    source_file: str = ""
    owner: str | None = None  # freshness (all optional): who keeps the card true
    reviewed: date | None = None  # when it was last checked
    review_every: ReviewInterval | None = None  # how often it must be checked


@dataclass(frozen=True)
class QuizItem:
    """One micro-quiz question. `id` is stable across edits so answers keep their history."""

    id: str
    topic_id: str
    prompt: str
    choices: tuple[str, ...]
    answer: int  # index of the correct choice
    explain: str
    source_file: str = ""

    @property
    def correct_choice(self) -> str:
        return self.choices[self.answer]


@dataclass(frozen=True)
class SynonymGroup:
    """Terms that mean the same thing to an agent; the first one is the canonical term."""

    terms: tuple[str, ...]


@dataclass(frozen=True)
class DraftTopic:
    """A topic file marked `draft: true`: linted on every load, never served to agents."""

    id: str  # the file's name without .yaml (a topic's id must match it)
    source_file: str
    problems: tuple[str, ...] = ()  # what it still needs, `file:line:col: message`


@dataclass(frozen=True)
class KnowledgeBase:
    topics: tuple[Topic, ...]
    synonyms: tuple[SynonymGroup, ...] = ()
    out_of_scope: tuple[str, ...] = ()
    quiz: tuple[QuizItem, ...] = ()
    drafts: tuple[DraftTopic, ...] = ()  # not served; listed by `kb lint` and `doctor`
    by_id: Mapping[str, Topic] = field(init=False, repr=False, compare=False)
    by_title: Mapping[str, Topic] = field(init=False, repr=False, compare=False)
    quiz_by_id: Mapping[str, QuizItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", MappingProxyType({t.id: t for t in self.topics}))
        titles = {t.title.casefold(): t for t in self.topics}
        object.__setattr__(self, "by_title", MappingProxyType(titles))
        quiz = {item.id: item for item in self.quiz}
        object.__setattr__(self, "quiz_by_id", MappingProxyType(quiz))

    def topic(self, topic_id: str) -> Topic | None:
        return self.by_id.get(topic_id)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for t in self.topics for tag in t.tags}))
