"""The store runs on a real SQLite file: WAL, foreign keys, numbered migrations."""

from __future__ import annotations

from coachbot.store.database import Database, migrations


async def test_migrations_are_applied_and_recorded(database):
    assert await database.schema_version() == len(migrations())
    async with database.connection.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"
    async with database.connection.execute("PRAGMA foreign_keys") as cursor:
        assert (await cursor.fetchone())[0] == 1


async def test_opening_again_applies_nothing_twice(tmp_path):
    path = tmp_path / "again.sqlite3"
    first = await Database.open(path)
    await first.close()
    second = await Database.open(path)
    assert await second.migrate() == len(migrations())
    await second.close()


def test_migrations_are_numbered_without_gaps():
    versions = [version for version, _, _ in migrations()]
    assert versions == list(range(1, len(versions) + 1))
