"""Quiz schedules, and the claim that makes each day's quiz post exactly once.

The claim is one INSERT on the unique (schedule_id, local_date) key: SQLite runs it atomically
even when several processes share the file, PostgreSQL across any number of connections; so
whoever inserts the row posts the quiz and everyone else (another process, or this one after
a restart) gets None and stays quiet.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from coachbot.store.database import Database
from coachbot.timetable import DuePost, Schedule

_COLUMNS = "id, guild_id, channel_id, local_time, timezone, weekdays, questions, window_hours"


class ScheduleStore:
    """One schedule per channel (channel_id is unique)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def save(self, schedule: Schedule, *, today: date) -> Schedule:
        """Insert, or replace the channel's schedule in place, and return it with its id.

        Replacing keeps the row's id and first `created_day`, so a quiz already claimed today
        still counts: moving the time from 09:00 to 10:00 does not post a second quiz today.
        """
        rows = await self._db.fetch(
            "INSERT INTO quiz_schedules (guild_id, channel_id, local_time, timezone, weekdays,"
            " questions, window_hours, created_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id,"
            " local_time = excluded.local_time, timezone = excluded.timezone,"
            " weekdays = excluded.weekdays, questions = excluded.questions,"
            " window_hours = excluded.window_hours"
            " RETURNING id",
            (
                schedule.guild_id,
                schedule.channel_id,
                schedule.local_time.strftime("%H:%M"),
                schedule.timezone,
                "".join(str(day) for day in sorted(schedule.weekdays)),
                schedule.questions,
                schedule.window_hours,
                today.isoformat(),
            ),
        )
        return replace(schedule, id=int(rows[0][0]))

    async def remove(self, channel_id: str) -> bool:
        """Stop the channel's quizzes; posts already made keep their rows (schedule_id NULL)."""
        removed = await self._db.execute(
            "DELETE FROM quiz_schedules WHERE channel_id = ?", (channel_id,)
        )
        return removed > 0

    async def get(self, channel_id: str) -> Schedule | None:
        rows = await self._db.fetch(
            f"SELECT {_COLUMNS} FROM quiz_schedules WHERE channel_id = ?", (channel_id,)
        )
        return _schedule(rows[0]) if rows else None

    async def all(self) -> list[Schedule]:
        rows = await self._db.fetch(f"SELECT {_COLUMNS} FROM quiz_schedules ORDER BY id")
        return [_schedule(row) for row in rows]

    async def claim(self, due: DuePost, *, now: datetime) -> int | None:
        """Claim a due quiz BEFORE posting it: the new post's id, or None if already claimed.

        A single INSERT ... ON CONFLICT DO NOTHING, so two processes racing cannot both win;
        the loser waits (SQLite's busy timeout, PostgreSQL's unique index), then sees the
        conflict.
        """
        if due.schedule.id is None:
            raise ValueError("save the schedule before claiming its posts")
        rows = await self._db.fetch(
            "INSERT INTO quiz_posts (schedule_id, guild_id, channel_id, local_date, claimed_at,"
            " closes_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (schedule_id, local_date) DO NOTHING RETURNING id",
            (
                due.schedule.id,
                due.schedule.guild_id,
                due.schedule.channel_id,
                due.local_date.isoformat(),
                _utc(now),
                _utc(due.closes_at),
            ),
        )
        return int(rows[0][0]) if rows else None


def _schedule(row: tuple) -> Schedule:
    id_, guild_id, channel_id, local_time, zone, weekdays, questions, window = row
    return Schedule(
        id=int(id_),
        guild_id=guild_id,
        channel_id=channel_id,
        local_time=time.fromisoformat(local_time),
        timezone=zone,
        weekdays=frozenset(int(day) for day in weekdays),
        questions=int(questions),
        window_hours=None if window is None else int(window),
    )


def _utc(instant: datetime) -> str:
    """UTC ISO text, so stored instants compare and sort as strings."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("expected a timezone-aware datetime")
    return instant.astimezone(UTC).isoformat()
