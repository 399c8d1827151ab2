"""The store's one repository API over SQLite (the default) and PostgreSQL; migrations at start.

Repositories call `fetch`, `execute` and `executemany` with `?` placeholders; `Database.open`
picks the database from its target: a file path is the embedded SQLite file (one aiosqlite
connection: WAL, foreign keys), a `postgresql://` URL is PostgreSQL through an asyncpg pool
(coachbot/store/postgres.py). Migrations are the same numbered files for both (dialect.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from coachbot.store.dialect import DIALECTS, SQLITE, dialect_of, translate_migration

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+(?:\.(sqlite|postgresql))?\.sql$")
MEMORY = ":memory:"  # an SQLite database in memory only: empty, gone at close, nothing on disk
# Emptying the WAL after a deletion waits this long for another process's reader or writer;
# if that is not enough it tries again after each of these pauses (seconds).
ERASE_WAIT_SECONDS = 1.0
ERASE_RETRIES = (5.0, 30.0, 120.0)


def migrations(dialect: str = SQLITE) -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every migration shipped in the package, in order.

    A version is one shared file (translated for PostgreSQL by dialect.py) or one file per
    dialect (`NNNN_name.sqlite.sql`, `NNNN_name.postgresql.sql`)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    shared: dict[int, tuple[str, str]] = {}
    own: dict[int, tuple[str, str]] = {}
    for entry in resources.files("coachbot.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if not match:
            continue
        version, only = int(match.group(1)), match.group(2)
        if only is None:
            shared[version] = (entry.name, entry.read_text(encoding="utf-8"))
        elif only == dialect:
            own[version] = (entry.name, entry.read_text(encoding="utf-8"))
    found = []
    for version in sorted(shared.keys() | own.keys()):
        if version in own:
            found.append((version, *own[version]))
        else:
            name, sql = shared[version]
            found.append((version, name, translate_migration(sql, dialect)))
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, ... without gaps: {versions}")
    return found


def _create_private(path: Path) -> None:
    """A new data folder and database are readable by their owner only (quiz answers are
    personal data); SQLite gives the -wal and -shm files the database file's mode."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


class Database:
    """One repository API over SQLite and PostgreSQL: `?` placeholders, rows as tuples."""

    dialect: str = SQLITE
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)  # what a failed statement raises

    def __init__(self) -> None:
        self._before_close: list[Callable[[], Awaitable[None]]] = []

    @classmethod
    async def open(cls, target: Path | str) -> Database:
        """The embedded SQLite file at a path (MEMORY: in memory only), or PostgreSQL at a
        `postgresql://` URL."""
        if dialect_of(target) == SQLITE:
            return await SQLiteDatabase.open(Path(target))
        from coachbot.store.postgres import PostgresDatabase  # asyncpg only when asked for

        return await PostgresDatabase.open(str(target))

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Every row of a query (or of a statement with RETURNING)."""
        raise NotImplementedError

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement; how many rows it inserted, changed or deleted."""
        raise NotImplementedError

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run one statement once per row of parameters, in one transaction: every row is
        written or (when one fails) none is, and no other coroutine's statement joins it."""
        raise NotImplementedError

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """Statements (fetch, execute, executemany) that commit together: PostgreSQL only.
        SQLite has none to offer: its one connection is shared by every coroutine, so another
        coroutine's statement would join the transaction."""
        raise NotImplementedError(f"no transactions on {self.dialect}")

    async def schema_version(self) -> int:
        raise NotImplementedError

    async def _apply(self, version: int, sql: str) -> bool:
        """Apply one migration in a transaction that no other process runs at the same time;
        False when another process applied it first."""
        raise NotImplementedError

    async def erase_deleted(self) -> bool:
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    def flush_before_close(self, flush: Callable[[], Awaitable[None]]) -> None:
        """Have `close()` await `flush` first (a repository that buffers writes)."""
        if flush not in self._before_close:
            self._before_close.append(flush)

    async def migrate(self) -> int:
        """Apply each pending migration in its own transaction, recording the version."""
        current = await self.schema_version()
        for version, name, sql in migrations(self.dialect):
            if version <= current:
                continue
            if await self._apply(version, sql):
                log.info("applied migration %s", name)
            current = version
        return current

    async def close(self) -> None:
        try:
            for flush in self._before_close:
                await flush()
        finally:
            await self._close()


class SQLiteDatabase(Database):
    """The embedded file: one aiosqlite connection (tests may read `connection` directly)."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        super().__init__()
        self.connection = connection
        self.path = path
        self._erase_retry: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: Path | str) -> SQLiteDatabase:
        path = Path(path)
        if str(path) != MEMORY:
            _create_private(path)
        connection = await aiosqlite.connect(path, isolation_level=None)
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute("PRAGMA busy_timeout = 5000")
        await connection.execute("PRAGMA synchronous = NORMAL")
        # Deleted rows are overwritten with zeros, not just unlinked (whatever the build's
        # default): see `erase_deleted` for the copies in the WAL.
        await connection.execute("PRAGMA secure_delete = ON")
        database = cls(connection, path)
        try:
            await database.migrate()
        except BaseException:
            await connection.close()  # its worker thread would keep the process alive
            raise
        return database

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return list(await self.connection.execute_fetchall(sql, params))  # one thread hop

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        cursor = await self.connection.execute(sql, params)
        return cursor.rowcount

    async def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """BEGIN, the rows and COMMIT in one call on aiosqlite's worker thread.

        Why: in autocommit every row is a transaction of its own (a 200-row batch took 20
        times as long, holding the connection every coroutine shares), and a failing row
        left the rows before it written. BEGIN and COMMIT as separate awaits would let
        another coroutine's statement run inside the transaction. aiosqlite runs the calls
        it is given one at a time, in order, and has no public way to run several as one:
        `_execute` is the method its own `executemany` uses (tests pin this).
        """
        if rows:
            await self.connection._execute(_executemany_atomic, self.connection._conn, sql, rows)

    async def schema_version(self) -> int:
        async with self.connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0])

    async def _apply(self, version: int, sql: str) -> bool:
        await self.connection.execute("BEGIN IMMEDIATE")  # the write lock: one process at a time
        try:
            if await self.schema_version() >= version:
                await self.connection.execute("ROLLBACK")
                return False
            for statement in _statements(sql):
                await self.connection.execute(statement)
            await self.connection.execute(f"PRAGMA user_version = {int(version)}")
            await self.connection.execute("COMMIT")
        except BaseException:
            await self.connection.execute("ROLLBACK")
            raise
        return True

    async def erase_deleted(self) -> bool:
        """After deleting personal data: copy the WAL into the database file and empty it.

        Why: in WAL mode a DELETE appends the zeroed page to the `-wal` file; the row's earlier
        copies stay there (and in the database file) until a checkpoint, which may be hours
        away. `wal_checkpoint(TRUNCATE)` moves every page into the database file (where
        `secure_delete` zeroed the row) and cuts the WAL to 0 bytes. The `-shm` index holds
        page numbers only, never row data.

        It runs on a short-lived connection of its own in a worker thread, so the bot's
        connection (and the ask log's batch writer on it) carries on meanwhile. It waits at
        most ERASE_WAIT_SECONDS for another process's reader or writer and never interrupts
        one; if that is not enough, it tries again later in the background. Returns whether
        the WAL is empty now.
        """
        if str(self.path) == MEMORY:  # no file, no WAL
            return True
        if await asyncio.to_thread(_truncate_wal, self.path, ERASE_WAIT_SECONDS):
            return True
        if self._erase_retry is None or self._erase_retry.done():
            self._erase_retry = asyncio.get_running_loop().create_task(self._erase_later())
        return False

    async def _erase_later(self) -> None:
        for pause in ERASE_RETRIES:
            await asyncio.sleep(pause)
            if await asyncio.to_thread(_truncate_wal, self.path, ERASE_WAIT_SECONDS):
                return
        log.warning("the WAL stayed busy; deleted data leaves it at the next checkpoint")

    async def _close(self) -> None:
        if self._erase_retry is not None:
            self._erase_retry.cancel()  # closing the last connection empties the WAL anyway
            with contextlib.suppress(asyncio.CancelledError):
                await self._erase_retry
        await self.connection.close()


def _executemany_atomic(
    connection: sqlite3.Connection, sql: str, rows: Sequence[Sequence[object]]
) -> None:
    """On the connection's own thread: all rows in one transaction, rolled back on an error.
    IMMEDIATE takes the write lock first (waiting `busy_timeout` for another process)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany(sql, rows)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # a failed COMMIT may have ended it already
            connection.execute("ROLLBACK")
        raise


def _truncate_wal(path: Path, wait_seconds: float) -> bool:
    """One TRUNCATE checkpoint on its own connection: True when the WAL is empty after it."""
    try:
        connection = sqlite3.connect(path, timeout=wait_seconds, isolation_level=None)
        try:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:  # SQLITE_BUSY past the wait, or the file is gone
        log.warning("could not empty the WAL after a deletion: %s", type(exc).__name__)
        return False
    if busy:
        log.info("the WAL is in use by another connection; emptying it later")
    return not busy


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3's executescript would commit on its own).

    SQLite's own tokenizer (`complete_statement`) decides where a statement ends, so a
    semicolon inside a comment or a string does not split it.
    """
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") for part in buffer.strip().splitlines()
    ):
        raise ValueError(f"migration ends with an incomplete statement: {buffer.strip()[:60]!r}")
    return statements
