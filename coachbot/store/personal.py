"""What the store holds about one agent, across every server: for `/me data`.

Only the quiz tables carry an agent id. Asks, card votes, debriefs and "this helped me" marks
are stored without one, so there is nothing here to look up for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachbot.store.database import Database


@dataclass(frozen=True)
class TopicAnswers:
    topic_id: str
    answered: int
    correct: int


@dataclass(frozen=True)
class Pause:
    guild_id: str
    first_day: date
    last_day: date


class PersonalStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def answers_per_topic(self, agent_id: str) -> list[TopicAnswers]:
        rows = await self._db.fetch(
            "SELECT topic_id, COUNT(*), SUM(correct) FROM quiz_answers WHERE agent_id = ?"
            " GROUP BY topic_id ORDER BY topic_id",
            (agent_id,),
        )
        return [TopicAnswers(t, int(n), int(c)) for t, n, c in rows]

    async def pauses(self, agent_id: str) -> list[Pause]:
        rows = await self._db.fetch(
            "SELECT guild_id, first_day, last_day FROM streak_pauses WHERE agent_id = ?"
            " ORDER BY first_day, guild_id",
            (agent_id,),
        )
        return [Pause(g, date.fromisoformat(a), date.fromisoformat(b)) for g, a, b in rows]

    async def erase_deleted(self) -> None:
        """After `/me forget`: the deleted rows' bytes leave the write-ahead log as well."""
        await self._db.erase_deleted()
