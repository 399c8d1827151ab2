"""Quiz posts, their items and answers; the numbers behind scores, tallies and leaderboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from coachbot.store.database import Database
from coachbot.store.dialect import POSTGRESQL, SQLITE

# Ties go to whoever scored first: the order answers arrived in, which SQLite keeps as rowid
# and PostgreSQL as the seq column (migration 0007).
_LEADERBOARD = {
    dialect: "SELECT a.agent_id, SUM(a.correct) AS points, COUNT(*) FROM quiz_answers a"
    " JOIN quiz_posts p ON p.id = a.post_id"
    " WHERE p.channel_id = ? AND a.answered_on >= ?"
    f" GROUP BY a.agent_id ORDER BY points DESC, COUNT(*) DESC, MIN(a.{arrival}) LIMIT ?"
    for dialect, arrival in ((SQLITE, "rowid"), (POSTGRESQL, "seq"))
}


@dataclass(frozen=True)
class PostRow:
    id: int
    guild_id: str
    channel_id: str
    local_date: date
    closes_at: datetime | None
    message_id: str | None
    closed: bool
    items: tuple[tuple[str, str], ...]  # (item_id, topic_id) in posting order


@dataclass(frozen=True)
class Tally:
    item_id: str
    answered: int
    correct: int


@dataclass(frozen=True)
class Standing:
    agent_id: str
    points: int
    answered: int


@dataclass(frozen=True)
class TeamAccuracy:
    channel_id: str
    agents: int
    answered: int
    correct: int


@dataclass(frozen=True)
class TopicScore:
    topic_id: str
    answered: int
    correct: int


class QuizStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def _rows(self, sql: str, params: tuple | list = ()) -> list:
        return await self._db.fetch(sql, params)

    async def create_post(
        self, *, guild_id: str, channel_id: str, local_date: date, claimed_at: datetime
    ) -> int:
        """An unscheduled post (a trainer's `quiz now`); scheduled ones are claimed instead."""
        rows = await self._db.fetch(
            "INSERT INTO quiz_posts (guild_id, channel_id, local_date, claimed_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (guild_id, channel_id, local_date.isoformat(), claimed_at.isoformat()),
        )
        return int(rows[0][0])

    async def add_items(self, post_id: int, items: list[tuple[str, str]]) -> None:
        await self._db.executemany(
            "INSERT INTO quiz_post_items (post_id, position, item_id, topic_id)"
            " VALUES (?, ?, ?, ?)",
            [(post_id, n, item_id, topic_id) for n, (item_id, topic_id) in enumerate(items)],
        )

    async def mark_posted(self, post_id: int, message_id: str, closes_at: datetime) -> None:
        await self._db.execute(
            "UPDATE quiz_posts SET message_id = ?, closes_at = ? WHERE id = ?",
            (message_id, closes_at.isoformat(), post_id),
        )

    async def discard(self, post_id: int) -> None:
        """Forget a claimed post that could not be delivered (the claim itself stays)."""
        await self._db.execute("DELETE FROM quiz_post_items WHERE post_id = ?", (post_id,))

    async def post(self, post_id: int) -> PostRow | None:
        rows = await self._rows(
            "SELECT id, guild_id, channel_id, local_date, closes_at, message_id, closed"
            " FROM quiz_posts WHERE id = ?",
            (post_id,),
        )
        if not rows:
            return None
        pid, guild, channel, day, closes, message, closed = rows[0]
        items = await self._rows(
            "SELECT item_id, topic_id FROM quiz_post_items WHERE post_id = ? ORDER BY position",
            (post_id,),
        )
        return PostRow(
            pid,
            guild,
            channel,
            date.fromisoformat(day),
            datetime.fromisoformat(closes) if closes else None,
            message,
            bool(closed),
            tuple((i, t) for i, t in items),
        )

    async def record_answer(
        self,
        *,
        post_id: int,
        item_id: str,
        topic_id: str,
        agent_id: str,
        choice: int,
        correct: bool,
        day: date,
    ) -> bool:
        """True if this is the agent's first answer to the question; a second is ignored."""
        inserted = await self._db.execute(
            "INSERT INTO quiz_answers"
            " (post_id, item_id, agent_id, topic_id, choice, correct, answered_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (post_id, item_id, agent_id, topic_id, choice, int(correct), day.isoformat()),
        )
        return inserted == 1

    async def to_close(self, now: datetime) -> list[int]:
        rows = await self._rows(
            "SELECT id FROM quiz_posts WHERE closed = 0 AND message_id IS NOT NULL"
            " AND closes_at IS NOT NULL AND closes_at <= ? ORDER BY closes_at",
            (now.isoformat(),),
        )
        return [int(r[0]) for r in rows]

    async def mark_closed(self, post_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE quiz_posts SET closed = 1 WHERE id = ? AND closed = 0", (post_id,)
        )
        return changed == 1

    async def tally(self, post_id: int) -> list[Tally]:
        rows = await self._rows(
            "SELECT i.item_id, COUNT(a.agent_id), COALESCE(SUM(a.correct), 0)"
            " FROM quiz_post_items i LEFT JOIN quiz_answers a"
            " ON a.post_id = i.post_id AND a.item_id = i.item_id"
            " WHERE i.post_id = ? GROUP BY i.item_id, i.position ORDER BY i.position",
            (post_id,),
        )
        return [Tally(i, int(n), int(c)) for i, n, c in rows]

    async def recent_items(self, channel_id: str, quiz_days: int = 30) -> list[str]:
        """Item ids of the channel's last `quiz_days` quiz days, oldest first."""
        rows = await self._rows(
            "SELECT i.item_id FROM quiz_posts p JOIN quiz_post_items i ON i.post_id = p.id"
            " WHERE p.channel_id = ? AND p.local_date IN ("
            "   SELECT DISTINCT local_date FROM quiz_posts WHERE channel_id = ?"
            "   ORDER BY local_date DESC LIMIT ?)"
            " ORDER BY p.local_date, p.id, i.position",
            (channel_id, channel_id, quiz_days),
        )
        return [r[0] for r in rows]

    async def miss_rates(self, channel_id: str, since: date) -> dict[str, float]:
        rows = await self._rows(
            "SELECT a.topic_id, AVG(1.0 - a.correct) FROM quiz_answers a"
            " JOIN quiz_posts p ON p.id = a.post_id"
            " WHERE p.channel_id = ? AND a.answered_on >= ? GROUP BY a.topic_id",
            (channel_id, since.isoformat()),
        )
        return {t: float(r) for t, r in rows}

    async def leaderboard(self, channel_id: str, since: date, limit: int = 10) -> list[Standing]:
        rows = await self._rows(
            _LEADERBOARD[self._db.dialect], (channel_id, since.isoformat(), limit)
        )
        return [Standing(a, int(p), int(n)) for a, p, n in rows]

    async def team_accuracy(self, guild_id: str, since: date) -> list[TeamAccuracy]:
        rows = await self._rows(
            "SELECT p.channel_id, COUNT(DISTINCT a.agent_id), COUNT(*), SUM(a.correct)"
            " FROM quiz_answers a JOIN quiz_posts p ON p.id = a.post_id"
            " WHERE p.guild_id = ? AND a.answered_on >= ? GROUP BY p.channel_id",
            (guild_id, since.isoformat()),
        )
        return [TeamAccuracy(c, int(g), int(n), int(k)) for c, g, n, k in rows]

    async def agent_topics(self, agent_id: str, guild_id: str) -> list[TopicScore]:
        rows = await self._rows(
            "SELECT a.topic_id, COUNT(*), SUM(a.correct) FROM quiz_answers a"
            " JOIN quiz_posts p ON p.id = a.post_id"
            " WHERE a.agent_id = ? AND p.guild_id = ? GROUP BY a.topic_id",
            (agent_id, guild_id),
        )
        return [TopicScore(t, int(n), int(c)) for t, n, c in rows]

    async def agent_days(self, agent_id: str, guild_id: str) -> tuple[list[date], list[date]]:
        """(quiz days of the channels the agent plays in, days the agent answered)."""
        quiz = await self._rows(
            "SELECT DISTINCT local_date FROM quiz_posts WHERE guild_id = ? AND channel_id IN ("
            "  SELECT DISTINCT p.channel_id FROM quiz_answers a"
            "  JOIN quiz_posts p ON p.id = a.post_id WHERE a.agent_id = ? AND p.guild_id = ?)",
            (guild_id, agent_id, guild_id),
        )
        answered = await self._rows(
            "SELECT DISTINCT a.answered_on FROM quiz_answers a"
            " JOIN quiz_posts p ON p.id = a.post_id WHERE a.agent_id = ? AND p.guild_id = ?",
            (agent_id, guild_id),
        )
        return (
            [date.fromisoformat(r[0]) for r in quiz],
            [date.fromisoformat(r[0]) for r in answered],
        )

    async def forget_agent(self, agent_id: str) -> int:
        return await self._db.execute("DELETE FROM quiz_answers WHERE agent_id = ?", (agent_id,))
