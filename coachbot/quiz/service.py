"""The quiz service: posting due quizzes, answers, closing, practice, stats and leaderboards.

Adapters hold one QuizService. It returns plain values; posting to a channel and editing
the message are the adapter's job, reported back with `posted`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from coachbot.clock import Clock
from coachbot.errors import InvalidInput
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.models import QuizItem
from coachbot.quiz.choose import choose_items
from coachbot.quiz.leitner import due_after, next_box
from coachbot.quiz.schedule import Schedule, due_posts, next_occurrence
from coachbot.quiz.streak import current_streak
from coachbot.store.practice import PracticeCard, PracticeStore
from coachbot.store.quiz import PostRow, QuizStore, Standing, Tally, TeamAccuracy, TopicScore
from coachbot.store.schedules import ScheduleStore

Owns = Callable[[str], bool]  # a platform's test of a guild id: is this team mine?

RECENT_QUIZ_DAYS = 30
MISS_RATE_DAYS = 90
MANUAL_WINDOW = timedelta(hours=24)  # a `quiz now` without a schedule stays open a day
MIN_TEAM_SIZE = 3  # no team figure from fewer agents: it would expose individuals
MAX_PAUSE_DAYS = 60


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    ALL = "all"

    def start(self, today: date) -> date:
        if self is Period.WEEK:
            return today - timedelta(days=today.weekday())
        if self is Period.MONTH:
            return today.replace(day=1)
        return date.min


class AnswerKind(StrEnum):
    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"
    CLOSED = "closed"
    RETIRED = "retired"  # the item was removed from the knowledge base


@dataclass(frozen=True)
class OpenQuiz:
    post_id: int
    guild_id: str
    channel_id: str
    local_date: date
    items: tuple[QuizItem, ...]
    closes_at: datetime


@dataclass(frozen=True)
class AnswerFeedback:
    kind: AnswerKind
    item: QuizItem | None
    chosen: int
    correct: bool


@dataclass(frozen=True)
class ClosedQuiz:
    post: PostRow
    results: tuple[tuple[QuizItem | None, Tally], ...]


@dataclass(frozen=True)
class AgentStats:
    points: int
    answered: int
    streak: int
    weakest: tuple[TopicScore, ...]
    practice_due: int

    @property
    def accuracy(self) -> float:
        return self.points / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class PracticeQuestion:
    item: QuizItem | None  # None: nothing due and nothing new
    box: int
    next_due: date | None


class QuizService:
    def __init__(
        self,
        knowledge: Callable[[], LiveKnowledge],
        schedules: ScheduleStore,
        quiz: QuizStore,
        practice: PracticeStore,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self._knowledge = knowledge
        self.schedules = schedules
        self._quiz = quiz
        self._practice = practice
        self._clock = clock
        self._rng = rng
        self._posts: dict[int, PostRow] = {}  # open posts never change: spare the 9:00 burst

    def _items(self) -> dict[str, QuizItem]:
        return dict(self._knowledge().kb.quiz_by_id)

    # ---- posting --------------------------------------------------------------------------

    async def due_quizzes(self, owns: Owns | None = None) -> list[OpenQuiz]:
        """Claim every due post (exactly once across processes) and choose its questions.

        `owns` keeps to one platform's teams (by guild id): another platform's schedules are
        left for its own tick to claim.
        """
        now = self._clock()
        schedules = [s for s in await self.schedules.all() if owns is None or owns(s.guild_id)]
        opened = []
        for due in due_posts(schedules, now):
            post_id = await self.schedules.claim(due, now=now)
            if post_id is not None:
                opened.append(
                    await self._fill(post_id, due.schedule, due.local_date, due.closes_at)
                )
        return opened

    async def quiz_now(self, guild_id: str, channel_id: str, questions: int = 1) -> OpenQuiz:
        if not 1 <= questions <= 3:
            raise InvalidInput("A quiz has 1 to 3 questions.")
        now = self._clock()
        schedule = await self.schedules.get(channel_id)
        if schedule is not None:
            local_date = now.astimezone(schedule.zone).date()
            closes = next_occurrence(schedule, now)
        else:
            local_date, closes = now.date(), now + MANUAL_WINDOW
        post_id = await self._quiz.create_post(
            guild_id=guild_id, channel_id=channel_id, local_date=local_date, claimed_at=now
        )
        manual = Schedule(
            None, guild_id, channel_id, now.time(), "UTC", frozenset(), questions, None
        )
        return await self._fill(post_id, schedule or manual, local_date, closes, questions)

    async def _fill(
        self,
        post_id: int,
        schedule: Schedule,
        local_date: date,
        closes_at: datetime,
        questions: int | None = None,
    ) -> OpenQuiz:
        items = list(self._items().values())
        recent = await self._quiz.recent_items(schedule.channel_id, RECENT_QUIZ_DAYS)
        since = local_date - timedelta(days=MISS_RATE_DAYS)
        misses = await self._quiz.miss_rates(schedule.channel_id, since)
        chosen = choose_items(
            items,
            questions or schedule.questions,
            recent=recent,
            miss_rates=misses,
            rng=self._rng,
        )
        await self._quiz.add_items(post_id, [(i.id, i.topic_id) for i in chosen])
        return OpenQuiz(
            post_id, schedule.guild_id, schedule.channel_id, local_date, tuple(chosen), closes_at
        )

    async def posted(self, quiz: OpenQuiz, message_id: str) -> None:
        await self._quiz.mark_posted(quiz.post_id, message_id, quiz.closes_at)

    async def not_posted(self, quiz: OpenQuiz) -> None:
        """The channel refused the post (deleted, no permission): keep the claim, drop items."""
        await self._quiz.discard(quiz.post_id)

    # ---- answering ------------------------------------------------------------------------

    async def _post(self, post_id: int) -> PostRow | None:
        post = self._posts.get(post_id)
        if post is None:
            post = await self._quiz.post(post_id)
            if post is not None and not post.closed and post.closes_at is not None:
                if len(self._posts) > 1_000:
                    self._posts.clear()
                self._posts[post_id] = post
        return post

    async def answer(
        self, post_id: int, position: int, agent_id: str, choice: int
    ) -> AnswerFeedback:
        post = await self._post(post_id)
        if post is None or not 0 <= position < len(post.items):
            return AnswerFeedback(AnswerKind.RETIRED, None, choice, False)
        item_id, topic_id = post.items[position]
        item = self._items().get(item_id)
        if item is None or not 0 <= choice < len(item.choices):
            return AnswerFeedback(AnswerKind.RETIRED, item, choice, False)
        if post.closed or (post.closes_at is not None and self._clock() >= post.closes_at):
            return AnswerFeedback(AnswerKind.CLOSED, item, choice, False)
        correct = choice == item.answer
        first = await self._quiz.record_answer(
            post_id=post_id,
            item_id=item_id,
            topic_id=topic_id,
            agent_id=agent_id,
            choice=choice,
            correct=correct,
            day=post.local_date,
        )
        if not first:
            return AnswerFeedback(AnswerKind.ALREADY_ANSWERED, item, choice, False)
        await self._schedule_practice(agent_id, item, correct, from_quiz=True)
        return AnswerFeedback(AnswerKind.RECORDED, item, choice, correct)

    async def _schedule_practice(
        self, agent_id: str, item: QuizItem, correct: bool, *, from_quiz: bool
    ) -> None:
        if correct:
            card = await self._practice.card(agent_id, item.id)
            if card is None and from_quiz:
                return  # only misses enter practice
            box = next_box(card.box if card else None, correct)
        else:  # a miss restarts the card whatever its box: no need to read it (one hop less)
            box = next_box(None, correct)
        today = self._clock().date()
        await self._practice.put(
            agent_id, PracticeCard(item.id, item.topic_id, box, due_after(box, today))
        )

    async def closing(self, owns: Owns | None = None) -> list[ClosedQuiz]:
        """Posts whose window has ended, each returned once with its tally to show (only
        those of the teams `owns` accepts, when given)."""
        closed = []
        items = self._items()
        for post_id in await self._quiz.to_close(self._clock()):
            post = await self._quiz.post(post_id)
            if post is None or (owns is not None and not owns(post.guild_id)):
                continue
            self._posts.pop(post_id, None)
            if not await self._quiz.mark_closed(post_id):
                continue  # another process closed it
            tallies = await self._quiz.tally(post_id)
            results = tuple((items.get(t.item_id), t) for t in tallies)
            closed.append(ClosedQuiz(replace(post, closed=True), results))
        return closed

    # ---- practice -------------------------------------------------------------------------

    async def practice_next(self, agent_id: str) -> PracticeQuestion:
        """The agent's most overdue card; if none is due, an item they have never seen."""
        today = self._clock().date()
        items = self._items()
        cards = [c for c in await self._practice.cards(agent_id) if c.item_id in items]
        due = [c for c in cards if c.due_day <= today]
        if due:
            return PracticeQuestion(items[due[0].item_id], due[0].box, None)
        known = {c.item_id for c in cards}
        fresh = sorted(set(items) - known)
        next_due = min((c.due_day for c in cards), default=None)
        if fresh:
            return PracticeQuestion(items[self._rng.choice(fresh)], 1, next_due)
        return PracticeQuestion(None, 0, next_due)

    async def practice_boxes(self, agent_id: str) -> dict[int, int]:
        """How many of the agent's practice cards sit in each Leitner box."""
        boxes: dict[int, int] = {}
        for card in await self._practice.cards(agent_id):
            boxes[card.box] = boxes.get(card.box, 0) + 1
        return boxes

    async def practice_answer(self, agent_id: str, item_id: str, choice: int) -> AnswerFeedback:
        item = self._items().get(item_id)
        if item is None or not 0 <= choice < len(item.choices):
            return AnswerFeedback(AnswerKind.RETIRED, item, choice, False)
        correct = choice == item.answer
        await self._schedule_practice(agent_id, item, correct, from_quiz=False)
        return AnswerFeedback(AnswerKind.RECORDED, item, choice, correct)

    # ---- standings ------------------------------------------------------------------------

    async def stats(self, agent_id: str, guild_id: str) -> AgentStats:
        today = self._clock().date()
        topics = await self._quiz.agent_topics(agent_id, guild_id)
        quiz_days, answered_days = await self._quiz.agent_days(agent_id, guild_id)
        pauses = await self._practice.pauses(agent_id, guild_id)
        weakest = sorted(
            (t for t in topics if t.correct < t.answered),
            key=lambda t: (t.correct / t.answered, -t.answered),
        )[:3]
        due = [c for c in await self._practice.cards(agent_id) if c.due_day <= today]
        return AgentStats(
            points=sum(t.correct for t in topics),
            answered=sum(t.answered for t in topics),
            streak=current_streak(quiz_days, answered_days, pauses, today=today),
            weakest=tuple(weakest),
            practice_due=len(due),
        )

    async def leaderboard(self, channel_id: str, period: Period, limit: int = 10) -> list[Standing]:
        start = period.start(self._clock().date())
        return await self._quiz.leaderboard(channel_id, start, limit)

    async def teams(self, guild_id: str, period: Period) -> list[TeamAccuracy]:
        """Accuracy per quiz channel of a server; teams under MIN_TEAM_SIZE agents are left out."""
        rows = await self._quiz.team_accuracy(guild_id, period.start(self._clock().date()))
        kept = [r for r in rows if r.agents >= MIN_TEAM_SIZE]
        return sorted(kept, key=lambda r: r.correct / r.answered, reverse=True)

    async def pause(self, agent_id: str, guild_id: str, days: int) -> tuple[date, date]:
        if not 1 <= days <= MAX_PAUSE_DAYS:
            raise InvalidInput(f"Pause for 1 to {MAX_PAUSE_DAYS} days.")
        first = self._clock().date()
        last = first + timedelta(days=days - 1)
        await self._practice.add_pause(agent_id, guild_id, first, last)
        return first, last

    async def forget(self, agent_id: str) -> int:
        return await self._quiz.forget_agent(agent_id) + await self._practice.forget_agent(agent_id)
