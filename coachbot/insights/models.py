"""The insights report as plain, frozen values: what every renderer (text, JSON, CSV, chart,
Discord) reads. No agent id appears anywhere in these types: only counts of people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from coachbot.errors import InvalidInput

DEFAULT_DAYS = 30
EARLIEST = date(2000, 1, 1)  # nothing CoachBot stores is older; bounds silly input


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise InvalidInput(
                f"The period starts ({self.since}) after it ends ({self.until}). "
                "Give the earlier date first."
            )

    @classmethod
    def last(cls, days: int, today: date) -> Period:
        """The `days` days up to and including today."""
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def __str__(self) -> str:
        return f"{self.since.isoformat()} to {self.until.isoformat()}"


@dataclass(frozen=True)
class AskGroup:
    """Similar declined or unsure asks; `label` is the most central question of the group."""

    label: str
    count: int
    declined: int
    low_confidence: int
    examples: tuple[str, ...]  # up to three other questions of the group, scrubbed
    topic_id: str | None  # the topic the matcher most often found closest
    topic_title: str | None


@dataclass(frozen=True)
class TopicVotes:
    topic_id: str
    title: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def not_helpful_share(self) -> float:
        return self.not_helpful / self.total if self.total else 0.0


OTHER = "other"  # the key of the merged slice of small groups


@dataclass(frozen=True)
class Accuracy:
    """Quiz accuracy of one slice (topic, team or channel), from >= MIN_PEOPLE people."""

    key: str  # topic id, guild id, "guild/channel", or OTHER
    label: str
    agents: int
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class QuizTable:
    rows: tuple[Accuracy, ...]  # best first is not promised: worst accuracy first
    merged: int = 0  # small slices folded into the OTHER row (or withheld with it)
    withheld: bool = False  # even merged, too few people: the OTHER row is not shown


@dataclass(frozen=True)
class DebriefCounts:
    total: int
    by_topic: tuple[tuple[str, str, int], ...]  # (topic id or "", title, count), most first
    by_week: tuple[tuple[str, int], ...]  # ("2026-W47", count), oldest first


@dataclass(frozen=True)
class TopicScore:
    """One topic's combined weakness signal and the raw evidence behind it."""

    topic_id: str
    title: str
    score: float  # 0..1, see coachbot.insights.score
    asks: int  # declined or unsure asks whose closest topic this is
    declined: int
    not_helpful: int
    votes: int
    quiz_answered: int  # 0 when the topic's quiz slice is under MIN_PEOPLE people
    quiz_correct: int
    quiz_agents: int
    debriefs: int
    signals: tuple[tuple[str, float], ...] = field(default=())  # each normalised signal

    @property
    def evidence(self) -> str:
        """The score in words, e.g. "12 declined or unsure asks look like this topic; ..."."""
        parts = []
        if self.asks:
            unsure = self.asks - self.declined
            noun = "ask looks" if self.asks == 1 else "asks look"
            if not unsure:
                parts.append(f"{self.asks} declined {noun} like this topic")
            elif not self.declined:
                parts.append(f"{self.asks} {noun} like this topic, answered unsure")
            else:
                parts.append(
                    f"{self.asks} declined or unsure {noun} like this topic "
                    f"({self.declined} declined, {unsure} answered unsure)"
                )
        if self.votes:
            parts.append(f"{self.not_helpful} of {self.votes} votes not helpful")
        if self.quiz_answered:
            share = self.quiz_correct / self.quiz_answered
            parts.append(
                f"quiz {share:.0%} correct over {self.quiz_answered} answers "
                f"by {self.quiz_agents} agents"
            )
        if self.debriefs:
            parts.append(f"{self.debriefs} debrief{'s' if self.debriefs != 1 else ''}")
        return "; ".join(parts) or "no signal"


@dataclass(frozen=True)
class Report:
    period: Period
    guild_id: str | None  # this server (team) only; None: every server
    asks_total: int
    asks_declined: int
    low_confidence: float
    ask_groups: tuple[AskGroup, ...]
    ungrouped: int  # rare questions beyond the grouping cap, counted but not grouped
    votes: tuple[TopicVotes, ...]
    quiz_topics: QuizTable
    quiz_teams: QuizTable
    quiz_channels: QuizTable
    debriefs: DebriefCounts
    scores: tuple[TopicScore, ...]  # every topic with any signal, weakest first
    min_people: int

    @property
    def train_next(self) -> tuple[TopicScore, ...]:
        return self.scores[:3]

    @property
    def empty(self) -> bool:
        return not (
            self.asks_total
            or self.votes
            or self.quiz_topics.rows
            or self.quiz_topics.merged
            or self.debriefs.total
        )


MAX_DATE_TEXT = 40


def parse_day(text: str, *, what: str = "date") -> date:
    """An ISO day (2026-11-23) from a person; a clear InvalidInput for anything else."""
    cleaned = (text or "").strip()
    shown = cleaned if len(cleaned) <= MAX_DATE_TEXT else cleaned[:MAX_DATE_TEXT] + "…"
    try:
        if len(cleaned) != 10:
            raise ValueError
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(
            f"The {what} {shown!r} is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-01."
        ) from None
    if day < EARLIEST:
        raise InvalidInput(f"The {what} {shown} is too early: CoachBot has nothing before 2000.")
    return day


def parse_period(text: str | None, today: date, *, default_days: int = DEFAULT_DAYS) -> Period:
    """ "7d", "30d", "90d" (any 1 to 3660 days), or a start day up to today."""
    cleaned = (text or "").strip().casefold()
    if not cleaned:
        return Period.last(default_days, today)
    if cleaned.endswith("d") and cleaned[:-1].isdigit() and len(cleaned) <= 5:
        days = int(cleaned[:-1])
        if not 1 <= days <= 3660:
            raise InvalidInput("A period is 1 to 3660 days, e.g. 7d, 30d or 90d.")
        return Period.last(days, today)
    since = parse_day(cleaned, what="start date")
    if since > today:
        raise InvalidInput(f"The start date {since} is in the future.")
    return Period(since, today)
