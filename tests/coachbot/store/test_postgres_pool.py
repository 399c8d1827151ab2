"""The PostgreSQL pool on the hot path: a statement costs one round trip, not two."""

from __future__ import annotations

import asyncpg
import pytest

from coachbot.store.database import Database


@pytest.fixture
async def postgres(postgres_url: str):
    database = await Database.open(postgres_url)
    yield database
    await database.close()


async def test_a_statement_hands_its_connection_back_without_a_reset_query(postgres, monkeypatch):
    resets: list[object] = []
    real = asyncpg.Connection.reset

    async def counted(self, *, timeout=None):
        resets.append(self)
        await real(self, timeout=timeout)

    monkeypatch.setattr(asyncpg.Connection, "reset", counted)
    await postgres.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("a", "1"))
    assert await postgres.fetch("SELECT value FROM meta WHERE key = ?", ("a",)) == [("1",)]
    assert resets == []  # asyncpg's default sends RESET ALL etc. after each statement


async def test_a_failed_transaction_is_still_rolled_back_before_the_next_statement(postgres):
    with pytest.raises(RuntimeError):
        async with postgres.transaction() as statements:
            await statements.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("b", "1"))
            raise RuntimeError("the caller gave up")
    assert await postgres.fetch("SELECT value FROM meta WHERE key = ?", ("b",)) == []
    assert await postgres.fetch("SELECT 1") == [(1,)]
