"""The one aiosqlite connection: WAL, foreign keys, and numbered migrations at start."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every migration shipped in the package, in order."""
    found = []
    for entry in resources.files("coachbot.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
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
    """Owns the connection; repositories borrow it through `connection`."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self._before_close: list[Callable[[], Awaitable[None]]] = []

    def flush_before_close(self, flush: Callable[[], Awaitable[None]]) -> None:
        """Have `close()` await `flush` first (a repository that buffers writes)."""
        if flush not in self._before_close:
            self._before_close.append(flush)

    @classmethod
    async def open(cls, path: Path) -> Database:
        path = Path(path)
        _create_private(path)
        connection = await aiosqlite.connect(path, isolation_level=None)
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute("PRAGMA busy_timeout = 5000")
        await connection.execute("PRAGMA synchronous = NORMAL")
        database = cls(connection, path)
        try:
            await database.migrate()
        except BaseException:
            await connection.close()  # its worker thread would keep the process alive
            raise
        return database

    async def schema_version(self) -> int:
        async with self.connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0])

    async def migrate(self) -> int:
        """Apply each pending migration in its own transaction, recording the version."""
        current = await self.schema_version()
        for version, name, sql in migrations():
            if version <= current:
                continue
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    await self.connection.execute(statement)
                await self.connection.execute(f"PRAGMA user_version = {int(version)}")
                await self.connection.execute("COMMIT")
            except Exception:
                await self.connection.execute("ROLLBACK")
                raise
            log.info("applied migration %s", name)
            current = version
        return current

    async def close(self) -> None:
        try:
            for flush in self._before_close:
                await flush()
        finally:
            await self.connection.close()


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
