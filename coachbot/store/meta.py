"""Installation facts kept in the database: the install salt, the last synced command hash."""

from __future__ import annotations

from coachbot.store.database import Database

# The per-install secret salt. Migration 0002 created it for card votes, hence the key's name;
# the key stays as it is so that existing installs keep their hashes (deletion codes, votes).
_INSTALL_SALT_KEY = "vote_salt"


class MetaStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, key: str) -> str | None:
        rows = await self._db.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def install_salt(self) -> str:
        """The per-install secret salt (named `vote_salt` in the database, for history).

        It keys every one-way hash the bot keeps instead of an identity or a code: card votes,
        "this helped me" marks, debrief deletion codes. A hash made on one install means
        nothing on another. Empty only if the row was removed by hand.
        """
        return await self.get(_INSTALL_SALT_KEY) or ""

    async def put(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
