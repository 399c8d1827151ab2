"""The numbers behind the trainers' insights report, aggregated in SQL where it pays.

Every query takes a closed period [since, until] of ISO days and can be narrowed to one
server (`guild_id`, the team); asks from a DM or the terminal belong to no server. Nothing
here is stored per person except quiz answers, which are only counted.

Quiz cells come back per (slice, agent) so that the core can count distinct people in a
merged "other" slice; agent ids never leave the core's suppression step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coachbot.store.database import Database


@dataclass(frozen=True)
class GapAsk:
    """An ask the knowledge base did not answer well: declined, or answered unsure."""

    question: str  # masked when it was logged
    topic_id: str | None  # the matcher's best topic, also when it declined
    confidence: float
    declined: bool


@dataclass(frozen=True)
class VoteCount:
    topic_id: str
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class AgentCell:
    """One agent's answers in one slice (a topic, a team or a channel). Internal only."""

    key: str
    agent_id: str
    answered: int
    correct: int


@dataclass(frozen=True)
class DebriefDay:
    day: date
    topic_id: str | None
    count: int


class QuizSlice(StrEnum):
    TOPIC = "topic"
    TEAM = "team"
    CHANNEL = "channel"


# The slice key per dimension: fixed SQL fragments, never user text.
_SLICE_KEY = {
    QuizSlice.TOPIC: "a.topic_id",
    QuizSlice.TEAM: "p.guild_id",
    QuizSlice.CHANNEL: "p.guild_id || '/' || p.channel_id",
}


class InsightsStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def _rows(self, sql: str, params: Sequence[object]) -> list:
        return await self._db.fetch(sql, tuple(params))

    async def gap_asks(
        self, since: date, until: date, *, low_confidence: float, guild_id: str | None = None
    ) -> list[GapAsk]:
        """Declined asks, and answered ones under `low_confidence`, oldest first."""
        sql = (
            "SELECT question, topic_id, confidence, answered FROM asks"
            " WHERE day BETWEEN ? AND ? AND (answered = 0 OR confidence < ?)"
        )
        params: list[object] = [since.isoformat(), until.isoformat(), low_confidence]
        sql, params = _in_guild(sql, params, guild_id)
        rows = await self._rows(sql + " ORDER BY id", params)
        return [GapAsk(q, t, float(c), not a) for q, t, c, a in rows]

    async def ask_totals(
        self, since: date, until: date, guild_id: str | None = None
    ) -> tuple[int, int]:
        """(all asks logged, asks declined) in the period."""
        sql = "SELECT COUNT(*), COALESCE(SUM(1 - answered), 0) FROM asks WHERE day BETWEEN ? AND ?"
        sql, params = _in_guild(sql, [since.isoformat(), until.isoformat()], guild_id)
        rows = await self._rows(sql, params)
        return int(rows[0][0]), int(rows[0][1])

    async def votes(self, since: date, until: date, guild_id: str | None = None) -> list[VoteCount]:
        sql = "SELECT topic_id, SUM(helpful), SUM(1 - helpful) FROM card_votes"
        sql += " WHERE day BETWEEN ? AND ?"
        sql, params = _in_guild(sql, [since.isoformat(), until.isoformat()], guild_id)
        rows = await self._rows(sql + " GROUP BY topic_id ORDER BY topic_id", params)
        return [VoteCount(t, int(h), int(n)) for t, h, n in rows]

    async def quiz_cells(
        self, dimension: QuizSlice, since: date, until: date, guild_id: str | None = None
    ) -> list[AgentCell]:
        """Answers and right answers per (slice, agent), summed in SQL."""
        key = _SLICE_KEY[dimension]
        sql = (
            f"SELECT {key}, a.agent_id, COUNT(*), SUM(a.correct)"
            " FROM quiz_answers a JOIN quiz_posts p ON p.id = a.post_id"
            " WHERE a.answered_on BETWEEN ? AND ?"
        )
        params: list[object] = [since.isoformat(), until.isoformat()]
        if guild_id is not None:
            sql += " AND p.guild_id = ?"
            params.append(guild_id)
        sql += " GROUP BY 1, 2 ORDER BY 1, 2"
        rows = await self._rows(sql, params)
        return [AgentCell(k, a, int(n), int(c)) for k, a, n, c in rows]

    async def debrief_days(
        self, since: date, until: date, guild_id: str | None = None
    ) -> list[DebriefDay]:
        """Debriefs per (day, topic): the core folds the days into ISO weeks."""
        sql = "SELECT day, topic_id, COUNT(*) FROM debriefs WHERE day BETWEEN ? AND ?"
        params: list[object] = [since.isoformat(), until.isoformat()]
        if guild_id is not None:
            sql += " AND guild_id = ?"
            params.append(guild_id)
        sql += " GROUP BY day, topic_id ORDER BY day, topic_id"
        rows = await self._rows(sql, params)
        return [DebriefDay(date.fromisoformat(d), t, int(n)) for d, t, n in rows]


def _in_guild(sql: str, params: list[object], guild_id: str | None) -> tuple[str, list[object]]:
    """Narrow a query to one server (team) when asked; rows from a DM belong to none."""
    if guild_id is None:
        return sql, params
    return sql + " AND guild_id = ?", [*params, guild_id]
