"""How often each card was used: answered asks per topic, from the anonymous ask log."""

from __future__ import annotations

from datetime import date

from coachbot.store.database import Database


class TopicUsage:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def answered_since(self, day: date) -> dict[str, int]:
        """Asks answered with each topic from `day` on (declined asks are not a card's use)."""
        sql = (
            "SELECT topic_id, COUNT(*) FROM asks"
            " WHERE day >= ? AND answered = 1 AND topic_id IS NOT NULL GROUP BY topic_id"
        )
        rows = await self._db.fetch(sql, (day.isoformat(),))
        return {topic_id: int(count) for topic_id, count in rows}
