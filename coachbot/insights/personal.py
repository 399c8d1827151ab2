"""Data rights: what CoachBot stores about one agent (`/me data`), and deleting it
(`/me forget`).

Only quiz answers, practice cards and streak pauses carry an agent id. Asks, card votes,
debriefs and "this helped me" marks are stored without one, so they cannot be shown or deleted
by person; a debrief's one-time deletion code removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from coachbot.knowledge.live import LiveKnowledge
from coachbot.quiz.service import QuizService
from coachbot.store.personal import Pause, PersonalStore, TopicAnswers
from coachbot.store.practice import PracticeCard, PracticeStore

NOT_LINKED = (
    "Your questions to the bot, your Helpful / Not helpful votes, your debriefs and your "
    '"this helped me" marks are stored without your name or id, so nobody, you included, '
    "can link them to you. A debrief's deletion code still deletes it."
)


@dataclass(frozen=True)
class MyData:
    answers: tuple[TopicAnswers, ...]  # per topic, every server
    cards: tuple[PracticeCard, ...]  # most overdue first
    pauses: tuple[Pause, ...]
    streak: int | None  # in the server asked from; None outside a server
    titles: tuple[tuple[str, str], ...]  # topic id -> title, for the topics above

    @property
    def answered(self) -> int:
        return sum(a.answered for a in self.answers)

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def empty(self) -> bool:
        return not (self.answers or self.cards or self.pauses)

    def title(self, topic_id: str) -> str:
        return dict(self.titles).get(topic_id, topic_id)


@dataclass(frozen=True)
class Forgotten:
    answers: int
    cards: int
    pauses: int

    @property
    def total(self) -> int:
        return self.answers + self.cards + self.pauses


class PersonalData:
    def __init__(
        self,
        knowledge: Callable[[], LiveKnowledge],
        store: PersonalStore,
        practice: PracticeStore,
        quiz: QuizService,
    ) -> None:
        self._knowledge = knowledge
        self._store = store
        self._practice = practice
        self._quiz = quiz

    async def show(self, agent_id: str, guild_id: str | None = None) -> MyData:
        answers = tuple(await self._store.answers_per_topic(agent_id))
        cards = tuple(await self._practice.cards(agent_id))
        pauses = tuple(await self._store.pauses(agent_id))
        streak = None
        if guild_id is not None:
            streak = (await self._quiz.stats(agent_id, guild_id)).streak
        by_id = self._knowledge().kb.by_id
        topics = sorted({a.topic_id for a in answers} | {c.topic_id for c in cards})
        titles = tuple((t, by_id[t].title) for t in topics if t in by_id)
        return MyData(answers, cards, pauses, streak, titles)

    async def forget(self, agent_id: str) -> Forgotten:
        """Delete every row that carries the agent's id; a second call deletes nothing."""
        before = await self.show(agent_id)
        removed = await self._quiz.forget(agent_id)
        if removed:
            await self._store.erase_deleted()  # out of the WAL too, not only the tables
        cards, pauses = len(before.cards), len(before.pauses)
        # The answers count is what is left: an answer that arrived meanwhile is gone too.
        return Forgotten(max(removed - cards - pauses, 0), cards, pauses)


def due_text(day: date, today: date) -> str:
    days = (day - today).days
    if days <= 0:
        return "due now"
    return "due tomorrow" if days == 1 else f"due in {days} days"
