"""The store runs on a real SQLite file: WAL, foreign keys, numbered migrations."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from coachbot.errors import CoachError
from coachbot.store.asks import AskLog, LoggedAsk
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


async def _probe_table(database: Database) -> None:
    await database.execute("CREATE TABLE batch_probe (n INTEGER PRIMARY KEY)")


async def _probed(database: Database) -> list[int]:
    return [row[0] for row in await database.fetch("SELECT n FROM batch_probe ORDER BY n")]


async def test_a_batch_with_a_failing_row_writes_none_of_its_rows(database):
    await _probe_table(database)
    rows = [(1,), (2,), (3,), (2,), (5,)]  # the fourth row repeats a key

    with pytest.raises(database.errors):
        await database.executemany("INSERT INTO batch_probe (n) VALUES (?)", rows)

    assert await _probed(database) == []
    await database.executemany("INSERT INTO batch_probe (n) VALUES (?)", [(1,), (2,)])
    assert await _probed(database) == [1, 2]  # and the connection carries on


async def test_another_coroutines_statement_during_a_batch_is_kept_and_not_part_of_it(database):
    await _probe_table(database)
    failing = [(n,) for n in range(1, 200)] + [(1,)]  # the last row repeats a key

    async def batch() -> None:
        await database.executemany("INSERT INTO batch_probe (n) VALUES (?)", failing)

    async def meanwhile() -> None:
        await database.execute("INSERT INTO batch_probe (n) VALUES (?)", (1000,))

    outcomes = await asyncio.gather(batch(), meanwhile(), return_exceptions=True)

    assert isinstance(outcomes[0], database.errors)
    assert outcomes[1] is None
    assert await _probed(database) == [1000]  # the batch rolled back, the other row stays


@pytest.mark.sqlite_only
async def test_a_200_row_ask_log_batch_is_one_transaction(database):
    """Counted from the statements SQLite runs: each statement outside BEGIN ... COMMIT is a
    transaction of its own (the connection is in autocommit)."""
    traced: list[str] = []
    await database.connection.set_trace_callback(traced.append)
    asks = [LoggedAsk(date(2026, 11, 23), f"question {n}", None, 0.5, False) for n in range(200)]

    await AskLog(database).record_many(asks)
    await database.connection.set_trace_callback(None)

    transactions, inside = 0, False
    for statement in traced:
        word = statement.split()[0].upper()
        if word == "BEGIN":
            transactions, inside = transactions + 1, True
        elif word in ("COMMIT", "ROLLBACK"):
            inside = False
        elif not inside:
            transactions += 1
    assert transactions == 1
    assert sum(s.startswith("INSERT INTO asks") for s in traced) == 200
    assert len(await AskLog(database).since(date(2026, 11, 23))) == 200
