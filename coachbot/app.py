"""The composition root: every adapter (CLI, console, Discord) holds one App."""

from __future__ import annotations

import logging

from coachbot.ask import AskService
from coachbot.clock import Clock, system_clock
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.asks import AskLog
from coachbot.store.database import Database

log = logging.getLogger(__name__)


class App:
    def __init__(
        self,
        settings: Settings,
        knowledge: LiveKnowledge,
        database: Database | None,
        clock: Clock = system_clock,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.database = database
        self.clock = clock
        self.asks = AskService(
            lambda: self.knowledge, AskLog(database) if database else None, clock
        )

    @classmethod
    async def create(
        cls, settings: Settings, *, clock: Clock = system_clock, with_store: bool = True
    ) -> App:
        """Load and validate the knowledge first: a broken knowledge base never opens the store."""
        knowledge = LiveKnowledge.load(settings.knowledge_dir)
        database = await Database.open(settings.database_path) if with_store else None
        return cls(settings, knowledge, database, clock)

    async def close(self) -> None:
        if self.database is not None:
            await self.database.close()
            self.database = None
