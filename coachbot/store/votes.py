"""Card votes: one row per (card, voter) hash, counted per topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachbot.store.database import Database


@dataclass(frozen=True)
class TopicVotes:
    topic_id: str
    helpful: int
    not_helpful: int


class VoteStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def previous(self, vote_key: str) -> bool | None:
        """The vote already cast under this key, if any."""
        rows = await self._db.fetch(
            "SELECT helpful FROM card_votes WHERE vote_key = ?", (vote_key,)
        )
        return next((bool(helpful) for (helpful,) in rows), None)

    async def cast(
        self, vote_key: str, topic_id: str, helpful: bool, day: date, guild_id: str | None = None
    ) -> None:
        await self._db.execute(
            "INSERT INTO card_votes (vote_key, topic_id, helpful, day, guild_id)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (vote_key) DO UPDATE SET helpful = excluded.helpful",
            (vote_key, topic_id, int(helpful), day.isoformat(), guild_id),
        )

    async def per_topic(self, since: date | None = None) -> list[TopicVotes]:
        sql = (
            "SELECT topic_id, SUM(helpful), SUM(1 - helpful) FROM card_votes"
            " WHERE day >= ? GROUP BY topic_id ORDER BY topic_id"
        )
        start = (since or date.min).isoformat()
        rows = await self._db.fetch(sql, (start,))
        return [TopicVotes(t, int(h), int(n)) for t, h, n in rows]
