"""The live knowledge version that several processes share: one row in `meta`.

A process that reloads its knowledge writes the content hash of the folder it loaded and
when; every process reads the row every few seconds (coachbot.knowledge.sync) and reloads
its own copy when the hash is not the one it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coachbot.store.database import Database
from coachbot.store.meta import MetaStore

_KEY = "knowledge_version"


@dataclass(frozen=True)
class KnowledgeVersion:
    content: str  # a hash of the knowledge folder's files (names and bytes)
    at: datetime  # when the process that loaded it published it

    def text(self) -> str:
        return f"{self.content} {self.at.isoformat(timespec='seconds')}"


class KnowledgeVersionStore:
    def __init__(self, database: Database) -> None:
        self._meta = MetaStore(database)

    async def get(self) -> KnowledgeVersion | None:
        """The latest published version; None before any (or when the row is unreadable)."""
        value = await self._meta.get(_KEY)
        content, _, at = (value or "").partition(" ")
        try:
            return KnowledgeVersion(content, datetime.fromisoformat(at)) if content else None
        except ValueError:  # edited by hand: as if none was published
            return None

    async def put(self, version: KnowledgeVersion) -> None:
        await self._meta.put(_KEY, version.text())
