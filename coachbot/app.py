"""The composition root: every adapter (CLI, console, Discord, Slack) holds one App."""

from __future__ import annotations

import logging
import random

from coachbot.ask import AskService
from coachbot.clock import Clock, system_clock
from coachbot.debrief.service import DebriefService
from coachbot.feedback import FeedbackService
from coachbot.insights.personal import PersonalData
from coachbot.insights.service import InsightsService
from coachbot.knowledge.freshness import FreshnessService
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.reload import KnowledgeReloader
from coachbot.knowledge.sync import KnowledgeSync
from coachbot.masks import MaskCache
from coachbot.quiz.service import QuizService
from coachbot.ratelimit import ASK, RateLimiter
from coachbot.settings import Settings
from coachbot.store.asks import AskLog
from coachbot.store.database import MEMORY, Database
from coachbot.store.debriefs import DebriefStore
from coachbot.store.insights import InsightsStore
from coachbot.store.knowledge_version import KnowledgeVersionStore
from coachbot.store.meta import MetaStore
from coachbot.store.personal import PersonalStore
from coachbot.store.practice import PracticeStore
from coachbot.store.quiz import QuizStore
from coachbot.store.ratelimits import DatabaseHits
from coachbot.store.schedules import ScheduleStore
from coachbot.store.suggestions import SuggestionStore
from coachbot.store.usage import TopicUsage
from coachbot.store.votes import VoteStore
from coachbot.suggestions import SuggestionService

log = logging.getLogger(__name__)


def several_processes(settings: Settings) -> bool:
    """PostgreSQL, or COACHBOT_MULTI_PROCESS=1: what processes must agree on is in the store."""
    return settings.multi_process or settings.database_url is not None


class App:
    """Every service, always present, on one open database (see `create`)."""

    def __init__(
        self,
        settings: Settings,
        knowledge: LiveKnowledge,
        database: Database,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
        *,
        shared: bool | None = None,
    ) -> None:
        """`shared`: limits and the live knowledge version through the database (default:
        `several_processes(settings)`)."""
        shared = several_processes(settings) if shared is None else shared
        self.settings = settings
        self.knowledge = knowledge
        self.database = database
        self.clock = clock
        self.rng = rng or random.Random()
        masks = MaskCache()  # each question scrubbed once for the ask log and the pick tokens
        self.asks = AskService(lambda: self.knowledge, AskLog(database), clock, masks=masks)
        self.reloader = KnowledgeReloader(  # swaps self.knowledge whole, only when valid
            lambda: LiveKnowledge.load(settings.knowledge_dir, cache_dir=settings.cache_dir),
            lambda: self.knowledge,
            lambda new: setattr(self, "knowledge", new),
            clock,
        )
        self.freshness = FreshnessService(lambda: self.knowledge, TopicUsage(database), clock)
        self.meta = MetaStore(database)
        self.feedback = FeedbackService(VoteStore(database), self.meta, clock)
        self.quiz = QuizService(
            lambda: self.knowledge,
            ScheduleStore(database),
            QuizStore(database),
            PracticeStore(database),
            clock,
            self.rng,
        )
        self.debriefs = DebriefService(
            lambda: self.knowledge, DebriefStore(database), self.meta, clock, self.rng
        )
        self.insights = InsightsService(lambda: self.knowledge, InsightsStore(database), clock)
        self.personal = PersonalData(
            lambda: self.knowledge, PersonalStore(database), PracticeStore(database), self.quiz
        )
        self.suggestions = SuggestionService(  # accepting one reloads the knowledge
            lambda: self.knowledge,
            SuggestionStore(database),
            clock,
            reload=self.reloader.reload,
            masks=masks,
            recorder=self.asks.recorder,  # tokens written in the ask log's batches
            other_processes=shared,
        )
        # questions per agent on every platform (keys namespaced by platform and route), one
        # allowance across all processes when several serve the team
        self.ask_limits = RateLimiter(ASK, clock, DatabaseHits(database, "ask") if shared else None)
        # a reload in one process reaches the others (None: one process, nothing to tell)
        self.knowledge_sync = (
            KnowledgeSync(
                self.reloader, KnowledgeVersionStore(database), settings.knowledge_dir, clock
            )
            if shared
            else None
        )
        self._closed = False

    @classmethod
    async def create(
        cls, settings: Settings, *, clock: Clock = system_clock, in_memory: bool = False
    ) -> App:
        """Load and validate the knowledge first: a broken knowledge base never opens the store.

        `in_memory`: for a command that only reads the knowledge (`topics`): the services run on
        an empty database in memory, discarded at close, so the command creates no database
        file and needs no database server; it costs what opening the file does (~5-10 ms)."""
        knowledge = LiveKnowledge.load(settings.knowledge_dir, cache_dir=settings.cache_dir)
        database = await Database.open(MEMORY if in_memory else settings.database_target)
        app = cls(settings, knowledge, database, clock, shared=False if in_memory else None)
        if app.knowledge_sync is not None:
            try:
                await app.knowledge_sync.start()
            except BaseException:
                await app.close()
                raise
        return app

    async def close(self) -> None:
        """Close the database (once; a second call does nothing)."""
        if not self._closed:
            self._closed = True
            try:
                if self.knowledge_sync is not None:
                    await self.knowledge_sync.stop()
            finally:
                await self.database.close()
