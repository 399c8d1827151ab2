"""The anonymous ask log: what was asked (masked), what it matched, on which day."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date

from coachbot.safetext import well_formed
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
        well_formed(ask.question),  # a lone surrogate would fail the insert (and the batch)
        ask.topic_id,
        min(max(ask.confidence, 0.0), 1.0),
        int(ask.answered),
        ask.guild_id,
    )


class AskLog:
    """Writes each ask at once, or, after `batch()`, in batches.

    The ask log is a statistic for the trainers' report, never something an agent was told
    was saved, so the Discord bot batches it: one `executemany` a second (or every
    `max_rows` asks) instead of a database round trip per ask. A crash can lose up to a
    second of ask-log rows; a clean stop writes them (the database flushes before it closes),
    and `since()` writes them before it reads.
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self._seconds = 0.0
        self._max_rows = 0
        self._pending: list[tuple[object, ...]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    def batch(self, seconds: float = 1.0, max_rows: int = 500) -> None:
        """From now on, buffer rows and write them every `seconds` or `max_rows` rows."""
        if seconds <= 0 or max_rows < 1:
            raise ValueError("batch() needs seconds > 0 and max_rows >= 1")
        self._seconds, self._max_rows = seconds, max_rows
        self._db.flush_before_close(self.flush)

    async def record(self, ask: LoggedAsk) -> None:
        if not self._seconds:
            await self._db.execute(_INSERT, _row(ask))
            return
        self._pending.append(_row(ask))
        if len(self._pending) >= self._max_rows:
            await self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._seconds, self._flush_later)

    def _flush_later(self) -> None:
        self._timer = None
        task = asyncio.ensure_future(self.flush())
        self._flushing.add(task)  # keep a reference until it is done
        task.add_done_callback(self._flushing.discard)

    async def flush(self) -> None:
        """Write the buffered rows now (nothing to do when not batching)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            await self._db.executemany(_INSERT, rows)
        except (*self._db.errors, ValueError) as exc:  # ValueError: the connection was closed
            log.error("could not write %d ask-log rows: %s", len(rows), type(exc).__name__)

    async def since(self, day: date, *, answered: bool | None = None) -> list[LoggedAsk]:
        await self.flush()
        sql = "SELECT day, question, topic_id, confidence, answered FROM asks WHERE day >= ?"
        params: list[object] = [day.isoformat()]
        if answered is not None:
            sql += " AND answered = ?"
            params.append(int(answered))
        rows = await self._db.fetch(sql + " ORDER BY id", params)
        return [LoggedAsk(date.fromisoformat(d), q, t, float(c), bool(a)) for d, q, t, c, a in rows]
