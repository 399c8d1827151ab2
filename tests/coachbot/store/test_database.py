"""The store runs on a real SQLite file: WAL, foreign keys, numbered migrations."""

from __future__ import annotations

import pytest

from coachbot.errors import CoachError
from coachbot.store.database import Database, _statements, migrations


async def test_migrations_are_applied_and_recorded(database):
    assert await database.schema_version() == len(migrations(database.dialect))
    if database.dialect == "sqlite":
        assert (await database.fetch("PRAGMA journal_mode"))[0][0] == "wal"
        assert (await database.fetch("PRAGMA foreign_keys"))[0][0] == 1


async def test_opening_again_applies_nothing_twice(database_target):
    first = await Database.open(database_target)
    await first.close()
    second = await Database.open(database_target)
    assert await second.migrate() == len(migrations(second.dialect))
    await second.close()


def test_migrations_are_numbered_without_gaps():
    versions = [version for version, _, _ in migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_a_semicolon_inside_a_comment_or_string_does_not_split_a_statement():
    sql = (
        "-- first; with a semicolon\n"
        "CREATE TABLE a (x TEXT DEFAULT 'one;two'); -- trailing; comment\n"
        "CREATE TABLE b (y INTEGER);\n"
        "-- nothing after this\n"
    )
    statements = _statements(sql)
    assert len(statements) == 2
    assert "'one;two'" in statements[0]


def test_a_migration_that_ends_mid_statement_is_refused():
    with pytest.raises(ValueError, match="incomplete statement"):
        _statements("CREATE TABLE a (x TEXT);\nCREATE TABLE b (")


async def test_a_new_data_folder_and_database_are_private_to_their_owner(tmp_path):
    path = tmp_path / "fresh" / "coachbot.sqlite3"
    database = await Database.open(path)
    await database.close()

    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600


async def test_a_database_url_that_is_not_postgresql_is_refused_in_plain_words():
    with pytest.raises(CoachError, match="must be a postgresql:// URL"):
        await Database.open("mysql://bot@db.example/coachbot")


def test_every_migration_is_said_in_postgresql_without_sqlite_only_words():
    for _, name, sql in migrations("postgresql"):
        for word in ("randomblob", "WITHOUT ROWID", "INTEGER PRIMARY KEY", " REAL "):
            assert word not in sql, name
