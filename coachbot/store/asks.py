"""The anonymous ask log: what was asked (masked), what it matched, on which day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachbot.store.database import Database


@dataclass(frozen=True)
class LoggedAsk:
    day: date
    question: str
    topic_id: str | None
    confidence: float
    answered: bool
    guild_id: str | None = None  # the team (server), never the asker


class AskLog:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, ask: LoggedAsk) -> None:
        await self._db.connection.execute(
            "INSERT INTO asks (day, question, topic_id, confidence, answered, guild_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                ask.day.isoformat(),
                ask.question,
                ask.topic_id,
                min(max(ask.confidence, 0.0), 1.0),
                int(ask.answered),
                ask.guild_id,
            ),
        )

    async def since(self, day: date, *, answered: bool | None = None) -> list[LoggedAsk]:
        sql = "SELECT day, question, topic_id, confidence, answered FROM asks WHERE day >= ?"
        params: list[object] = [day.isoformat()]
        if answered is not None:
            sql += " AND answered = ?"
            params.append(int(answered))
        async with self._db.connection.execute(sql + " ORDER BY id", params) as cursor:
            rows = await cursor.fetchall()
        return [LoggedAsk(date.fromisoformat(d), q, t, float(c), bool(a)) for d, q, t, c, a in rows]
