"""The anonymous ask log: what was asked (masked by the ask service), matched, on which day."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

from coachbot.store.database import Database

log = logging.getLogger(__name__)

_INSERT = (
    "INSERT INTO asks (day, question, topic_id, confidence, answered, guild_id)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class LoggedAsk:
    day: date
    question: str
    topic_id: str | None
    confidence: float
    answered: bool
    guild_id: str | None = None  # the team (server), never the asker


def _row(ask: LoggedAsk) -> tuple[object, ...]:
    return (
        ask.day.isoformat(),
        ask.question,
        ask.topic_id,
        min(max(ask.confidence, 0.0), 1.0),
        int(ask.answered),
        ask.guild_id,
    )


class AskLog:
    """Rows of the ask log, as given: masking and batching are the ask service's job
    (coachbot/ask_recorder.py), so the store holds plain values and never the raw question."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def flush_before_close(self, flush: Callable[[], Awaitable[None]]) -> None:
        """Have closing the database await `flush` first (a writer that buffers rows)."""
        self._db.flush_before_close(flush)

    async def record(self, ask: LoggedAsk) -> None:
        await self._db.execute(_INSERT, _row(ask))

    async def record_many(self, asks: Sequence[LoggedAsk]) -> None:
        """One statement for a batch; a database error is logged (the rows are a statistic,
        never something an agent was told was saved) and the batch is lost."""
        try:
            await self._db.executemany(_INSERT, [_row(ask) for ask in asks])
        except (*self._db.errors, ValueError) as exc:  # ValueError: the connection was closed
            log.error("could not write %d ask-log rows: %s", len(asks), type(exc).__name__)

    async def since(self, day: date, *, answered: bool | None = None) -> list[LoggedAsk]:
        sql = "SELECT day, question, topic_id, confidence, answered FROM asks WHERE day >= ?"
        params: list[object] = [day.isoformat()]
        if answered is not None:
            sql += " AND answered = ?"
            params.append(int(answered))
        rows = await self._db.fetch(sql + " ORDER BY id", params)
        return [LoggedAsk(date.fromisoformat(d), q, t, float(c), bool(a)) for d, q, t, c, a in rows]
