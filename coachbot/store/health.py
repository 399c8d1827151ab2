"""Read-only health facts about a database file, for `coachbot doctor` and `coachbot backup`.

Plain sqlite3, not the bot's aiosqlite connection: these run from the command line, possibly
while the bot is running, and must never create, migrate or lock the file for long.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from coachbot.store.database import migrations

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class DatabaseHealth:
    integrity: tuple[str, ...]  # ("ok",) when healthy, else SQLite's first complaints
    quick: tuple[str, ...]
    version: int  # PRAGMA user_version: the last migration applied
    latest: int  # the last migration this code ships
    counts: dict[str, int] = field(default_factory=dict)  # rows per table

    @property
    def ok(self) -> bool:
        return self.integrity == ("ok",) and self.quick == ("ok",)


def latest_version() -> int:
    return len(migrations())


def open_existing(path: Path) -> sqlite3.Connection:
    """Open an existing database file, never creating one; nothing here writes to it.

    Read-write when allowed, because a read-only connection to a WAL database leaves its
    -wal and -shm files behind when it closes; read-only when that is all the user may do.
    """
    uri = Path(path).resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.OperationalError:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    return connection


def _identifier(name: str) -> str:
    """A table name as a quoted SQL identifier (names come from sqlite_master, not users)."""
    return '"' + name.replace('"', '""') + '"'


def inspect(connection: sqlite3.Connection, *, limit: int = 5) -> DatabaseHealth:
    """Integrity, quick check, schema version and row counts; sqlite3.DatabaseError if the
    file is not a database at all."""
    # PRAGMA arguments cannot be bound parameters; `limit` is an int, formatted as one
    integrity = tuple(r[0] for r in connection.execute(f"PRAGMA integrity_check({limit:d})"))
    quick = tuple(r[0] for r in connection.execute(f"PRAGMA quick_check({limit:d})"))
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    counts: dict[str, int] = {}
    if integrity == ("ok",):
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        ).fetchall()
        for (name,) in tables:
            row = connection.execute(f"SELECT COUNT(*) FROM {_identifier(name)}").fetchone()
            counts[name] = int(row[0])
    return DatabaseHealth(integrity, quick, version, latest_version(), counts)


def inspect_file(path: Path) -> DatabaseHealth:
    connection = open_existing(path)
    try:
        return inspect(connection)
    finally:
        connection.close()


@dataclass(frozen=True)
class PostgresHealth:
    version: int  # the last migration applied (coachbot_schema)
    latest: int  # the last migration this code ships
    counts: dict[str, int] = field(default_factory=dict)


def inspect_postgres(url: str) -> PostgresHealth:
    """Schema version and row counts of CoachBot's PostgreSQL database; never migrates or
    writes. Raises the driver's error (or OSError) when it cannot be reached."""
    return asyncio.run(_inspect_postgres(url))


async def _inspect_postgres(url: str) -> PostgresHealth:
    import asyncpg  # only when PostgreSQL is configured

    connection = await asyncpg.connect(url, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        version = 0
        if await connection.fetchval("SELECT to_regclass('coachbot_schema') IS NOT NULL"):
            version = int(await connection.fetchval("SELECT MAX(version) FROM coachbot_schema"))
        counts: dict[str, int] = {}
        for (name,) in await connection.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'coachbot_schema'"
            " ORDER BY table_name"
        ):
            counts[name] = int(
                await connection.fetchval(f"SELECT COUNT(*) FROM {_identifier(name)}")
            )
    finally:
        await connection.close()
    return PostgresHealth(version, len(migrations("postgresql")), counts)
