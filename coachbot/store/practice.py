"""Each agent's practice cards (Leitner box and due day) and streak pauses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachbot.store.database import Database


@dataclass(frozen=True)
class PracticeCard:
    item_id: str
    topic_id: str
    box: int
    due_day: date


class PracticeStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def card(self, agent_id: str, item_id: str) -> PracticeCard | None:
        rows = await self._db.fetch(
            "SELECT item_id, topic_id, box, due_day FROM practice_cards"
            " WHERE agent_id = ? AND item_id = ?",
            (agent_id, item_id),
        )
        return next((PracticeCard(i, t, b, date.fromisoformat(d)) for i, t, b, d in rows), None)

    async def put(self, agent_id: str, card: PracticeCard) -> None:
        await self._db.execute(
            "INSERT INTO practice_cards (agent_id, item_id, topic_id, box, due_day)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, item_id)"
            " DO UPDATE SET box = excluded.box, due_day = excluded.due_day",
            (agent_id, card.item_id, card.topic_id, card.box, card.due_day.isoformat()),
        )

    async def cards(self, agent_id: str) -> list[PracticeCard]:
        """Every card of the agent, the most overdue and lowest box first."""
        rows = await self._db.fetch(
            "SELECT item_id, topic_id, box, due_day FROM practice_cards WHERE agent_id = ?"
            " ORDER BY due_day, box, item_id",
            (agent_id,),
        )
        return [PracticeCard(i, t, b, date.fromisoformat(d)) for i, t, b, d in rows]

    async def add_pause(self, agent_id: str, guild_id: str, first: date, last: date) -> None:
        await self._db.execute(
            "INSERT INTO streak_pauses (agent_id, guild_id, first_day, last_day)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (agent_id, guild_id, first_day)"
            " DO UPDATE SET last_day = CASE WHEN excluded.last_day > streak_pauses.last_day"
            " THEN excluded.last_day ELSE streak_pauses.last_day END",
            (agent_id, guild_id, first.isoformat(), last.isoformat()),
        )

    async def pauses(self, agent_id: str, guild_id: str) -> list[tuple[date, date]]:
        rows = await self._db.fetch(
            "SELECT first_day, last_day FROM streak_pauses WHERE agent_id = ? AND guild_id = ?",
            (agent_id, guild_id),
        )
        return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in rows]

    async def forget_agent(self, agent_id: str) -> int:
        removed = 0
        for sql in (
            "DELETE FROM practice_cards WHERE agent_id = ?",
            "DELETE FROM streak_pauses WHERE agent_id = ?",
        ):
            removed += await self._db.execute(sql, (agent_id,))
        return removed
