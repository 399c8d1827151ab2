"""Every store test runs twice: on the embedded SQLite file and on a real PostgreSQL server
(started by tests/pg_server.py; skipped, saying how to enable it, where there is none)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from coachbot.store.database import Database
from tests import pg_server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a store test's database lives: a new SQLite file, or a new PostgreSQL database.
    A test marked `sqlite_only` (the WAL file, the file's mode) is skipped on PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "data" / "test.sqlite3"
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about SQLite's own files")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def database(database_target: Path | str) -> AsyncIterator[Database]:
    db = await Database.open(database_target)
    yield db
    await db.close()


@pytest.fixture
def other_target(
    database_target: Path | str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Path | str]:
    """A second, separate database of the same kind (another install)."""
    if isinstance(database_target, Path):
        yield tmp_path / "other" / "other.sqlite3"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"other_{uuid.uuid4().hex[:16]}"
    pg_server.psql(server, f"CREATE DATABASE {name}")
    yield server.url(name)
    pg_server.psql(server, f"DROP DATABASE {name} WITH (FORCE)")


async def columns(database: Database, table: str) -> set[str]:
    """The column names of a table, on either database."""
    if database.dialect == "sqlite":
        rows = await database.fetch("SELECT name FROM pragma_table_info(?)", (table,))
    else:
        rows = await database.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", (table,)
        )
    return {row[0] for row in rows}
