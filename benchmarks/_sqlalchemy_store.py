"""The store's repository API (`fetch`, `execute`, `executemany`, `transaction`) on SQLAlchemy
2's async Core: what switching would take, for benchmarks/store_layer.py only.

Kept as a `Database`, so the real repositories (QuizStore, ScheduleStore, AskLog,
DebriefStore) run on it unchanged with the same SQL. Two ways to hand SQLAlchemy a statement:
`text()` (the idiomatic Core path: `?` becomes `:p1, :p2, ...`, compiled and cached by
SQLAlchemy) and `exec_driver_sql` (SQLAlchemy's thinnest path: the driver's own placeholders,
no compilation). Same shapes as the project's layer: every statement autocommits on its own
(isolation_level AUTOCOMMIT), a transaction is explicit; one SQLite connection (pool of 1),
ten PostgreSQL connections (pool of 10). Migrations, erase_deleted and the rest stay with the
project's layer: a switch would have to port them as well (they are driver-specific).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from functools import lru_cache
from pathlib import Path

import asyncpg
from sqlalchemy import event, exc, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from coachbot.store.database import Database
from coachbot.store.dialect import POSTGRESQL, SQLITE, dialect_of, numbered_placeholders

TEXT = "text"  # text() statements, named binds
DRIVER_SQL = "driver_sql"  # exec_driver_sql, the driver's placeholders
POOL_SIZE = 10  # as coachbot/store/postgres.py
_DOLLAR = re.compile(r"\$(\d+)")
_SQLITE_PRAGMAS = (
    "foreign_keys = ON",
    "busy_timeout = 5000",
    "synchronous = NORMAL",
    "secure_delete = ON",
)  # as coachbot/store/database.py


@lru_cache(maxsize=1024)
def _named(sql: str) -> tuple[object, tuple[str, ...]]:
    """`?` -> `:p1, :p2, ...` as a text() construct, and the bind names in order."""
    named, count = _DOLLAR.subn(r":p\1", numbered_placeholders(sql))  # outside quotes only
    return text(named), tuple(f"p{n}" for n in range(1, count + 1))


class _Statements:
    """The repository API on one AsyncConnection (or a new one per statement: `engine`)."""

    def __init__(self, engine: AsyncEngine, style: str, dialect: str) -> None:
        self._engine = engine
        self._style = style
        self._dialect = dialect

    def _driver_sql(self, sql: str) -> str:
        return numbered_placeholders(sql) if self._dialect == POSTGRESQL else sql

    async def _run(self, conn: AsyncConnection, sql: str, params: Sequence[object]):
        if self._style == DRIVER_SQL:
            return await conn.exec_driver_sql(self._driver_sql(sql), tuple(params))
        statement, names = _named(sql)
        return await conn.execute(statement, dict(zip(names, params, strict=True)))

    async def _many(self, conn: AsyncConnection, sql: str, rows: Sequence[Sequence[object]]):
        if self._style == DRIVER_SQL:
            await conn.exec_driver_sql(self._driver_sql(sql), [tuple(row) for row in rows])
            return
        statement, names = _named(sql)
        await conn.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list:
        async with self._engine.connect() as conn:
            return (await self._run(conn, sql, params)).all()

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        async with self._engine.connect() as conn:
            return (await self._run(conn, sql, params)).rowcount

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            async with self._engine.connect() as conn:
                await self._many(conn, sql, rows)


class _InTransaction(_Statements):
    def __init__(self, conn: AsyncConnection, style: str, dialect: str) -> None:
        super().__init__(None, style, dialect)  # type: ignore[arg-type]
        self._conn = conn

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list:
        return (await self._run(self._conn, sql, params)).all()

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        return (await self._run(self._conn, sql, params)).rowcount

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            await self._many(self._conn, sql, rows)


class SQLAlchemyDatabase(Database):
    """An already migrated database (a file path or a postgresql:// URL) on SQLAlchemy."""

    def __init__(self, engine: AsyncEngine, style: str, dialect: str) -> None:
        super().__init__()
        self.dialect = dialect
        self.errors = (exc.DBAPIError, sqlite3.Error, asyncpg.PostgresError, OSError)
        self._engine = engine
        self._style = style
        self._statements = _Statements(engine, style, dialect)
        # a transaction needs a connection that is not in autocommit (same pool)
        self._in_transaction = engine.execution_options(isolation_level="READ COMMITTED")

    @classmethod
    async def open(cls, target: Path | str, style: str = TEXT) -> SQLAlchemyDatabase:  # type: ignore[override]
        dialect = dialect_of(target)
        if dialect == SQLITE:
            engine = create_async_engine(
                f"sqlite+aiosqlite:///{target}",
                isolation_level="AUTOCOMMIT",
                pool_size=1,
                max_overflow=0,
            )

            @event.listens_for(engine.sync_engine, "connect")
            def _pragmas(dbapi_connection, _record) -> None:
                cursor = dbapi_connection.cursor()
                for pragma in _SQLITE_PRAGMAS:
                    cursor.execute(f"PRAGMA {pragma}")
                cursor.close()

        else:
            url = str(target).replace("postgresql://", "postgresql+asyncpg://", 1)
            engine = create_async_engine(
                url, isolation_level="AUTOCOMMIT", pool_size=POOL_SIZE, max_overflow=0
            )
        return cls(engine, style, dialect)

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list:
        return await self._statements.fetch(sql, params)

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        return await self._statements.execute(sql, params)

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        await self._statements.executemany(sql, rows)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[_InTransaction]:
        if self.dialect == SQLITE:
            raise NotImplementedError(f"no transactions on {self.dialect}")
        async with self._in_transaction.begin() as conn:
            yield _InTransaction(conn, self._style, self.dialect)

    async def erase_deleted(self) -> bool:
        return True  # not on the benchmark's path

    async def _close(self) -> None:
        await self._engine.dispose()
