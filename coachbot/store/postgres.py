"""PostgreSQL through an asyncpg pool: the explicit multi-process mode.

Several CoachBot processes (shards, a standby, other machines) share one database. Every
statement runs on its own (autocommit), as on SQLite; a claim is one INSERT ... ON CONFLICT
on a unique key, which PostgreSQL settles across connections exactly as SQLite does across
processes. Migrations take a transaction-level advisory lock, so processes starting together
apply each one once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

import asyncpg

from coachbot.store.database import Database, _statements
from coachbot.store.dialect import POSTGRESQL, numbered_placeholders, rowcount

log = logging.getLogger(__name__)

POOL_SIZE = 10
# Any fixed number: the key of the advisory lock that migrating processes queue on.
_MIGRATION_LOCK = 0x636F6163  # "coac"
_VERSION_TABLE = "coachbot_schema"


class PostgresDatabase(Database):
    dialect = POSTGRESQL
    errors = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        super().__init__()
        self.pool = pool
        self.url = url
        self._statements = Statements(pool)  # each on any pooled connection, autocommitted

    @classmethod
    async def open(cls, url: str) -> PostgresDatabase:  # type: ignore[override]
        pool = await asyncpg.create_pool(
            _asyncpg_url(url),
            min_size=1,
            max_size=POOL_SIZE,
            command_timeout=60,
            reset=_nothing_to_reset,
        )
        database = cls(pool, url)
        try:
            await database.migrate()
        except BaseException:
            await pool.close()
            raise
        return database

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return await self._statements.fetch(sql, params)

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        return await self._statements.execute(sql, params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        await self._statements.executemany(sql, rows)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Statements]:
        """Statements on one connection that commit together (or not at all)."""
        async with self.pool.acquire() as connection, connection.transaction():
            yield Statements(connection)

    async def schema_version(self) -> int:
        if not await self.pool.fetchval(f"SELECT to_regclass('{_VERSION_TABLE}') IS NOT NULL"):
            return 0
        sql = f"SELECT COALESCE(MAX(version), 0) FROM {_VERSION_TABLE}"
        return int(await self.pool.fetchval(sql))

    async def _apply(self, version: int, sql: str) -> bool:
        async with self.pool.acquire() as connection, connection.transaction():
            await connection.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK:d})")
            await connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_VERSION_TABLE} (version INTEGER PRIMARY KEY)"
            )
            done = await connection.fetchval(f"SELECT MAX(version) FROM {_VERSION_TABLE}")
            if done is not None and done >= version:
                return False
            for statement in _statements(sql):
                await connection.execute(statement)
            await connection.execute(f"INSERT INTO {_VERSION_TABLE} (version) VALUES ($1)", version)
        return True

    async def erase_deleted(self) -> bool:
        """After deleting personal data: VACUUM the personal tables, so the deleted rows'
        space is pruned and reused rather than kept until autovacuum comes by.

        What remains (docs/privacy.md): PostgreSQL does not zero freed space, and its WAL
        segments keep the rows until they are recycled; use encrypted storage for the data
        directory. VACUUM cannot run inside a transaction: each table is its own statement.
        """
        try:
            for table in ("debriefs", "debrief_helped", "quiz_answers", "practice_cards"):
                await self.pool.execute(f"VACUUM {table}")
        except self.errors as exc:
            log.warning("could not vacuum after a deletion: %s", type(exc).__name__)
            return False
        return True

    async def _close(self) -> None:
        await self.pool.close()


class Statements:
    """The repository API (`?` placeholders, rows as tuples) on the pool (each statement on
    its own) or on one connection (inside a transaction: `PostgresDatabase.transaction`)."""

    def __init__(self, on: asyncpg.Pool | asyncpg.Connection) -> None:
        self._on = on

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        records = await self._on.fetch(numbered_placeholders(sql), *params)
        return [tuple(record) for record in records]

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        return rowcount(await self._on.execute(numbered_placeholders(sql), *params))

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            await self._on.executemany(numbered_placeholders(sql), rows)


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """Hand a connection back to the pool without a reset query.

    asyncpg's default sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`
    on every release: one more round trip per statement, since every statement here takes a
    connection of its own. The store leaves no session state to reset (no SET, LISTEN, cursor
    or session-level advisory lock: the migration lock is transaction-level), and asyncpg still
    rolls back an open transaction before calling this."""


def _asyncpg_url(url: str) -> str:
    """asyncpg takes postgresql:// and postgres:// (SQLAlchemy-style +asyncpg is dropped)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)
