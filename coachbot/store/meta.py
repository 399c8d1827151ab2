"""Installation facts kept in the database: a salt, the last synced command hash."""

from __future__ import annotations

from coachbot.store.database import Database


class MetaStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, key: str) -> str | None:
        async with self._db.connection.execute(
            "SELECT value FROM meta WHERE key = ?", (key,)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else str(row[0])

    async def put(self, key: str, value: str) -> None:
        await self._db.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
