"""Rate limits shared through the database: two processes (two connections to one database)
share one allowance, with the same sliding window as the in-memory limiter."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from coachbot.ratelimit import ASK, Allowance, MemoryHits
from coachbot.store.database import Database
from coachbot.store.ratelimits import DatabaseHits

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_two_processes_share_one_allowance(database, database_target):
    other = await Database.open(database_target)  # a second process's connection
    try:
        first, second = DatabaseHits(database, "ask"), DatabaseHits(other, "ask")
        now = START
        answers = []
        for number in range(6):  # taking turns, one a second
            hits = first if number % 2 == 0 else second
            answers.append(await hits.hit("discord:1", now, ASK))
            now += timedelta(seconds=1)

        assert answers == [0.0] * 5 + [25.0]  # the first of the five was 5 s ago
        assert await first.hit("discord:2", now, ASK) == 0.0  # someone else is not slowed
        assert await second.hit("discord:1", START + timedelta(seconds=30), ASK) == 0.0
    finally:
        await other.close()


async def test_hits_at_once_from_two_processes_allow_the_rate_exactly(database, database_target):
    other = await Database.open(database_target)
    try:
        stores = [DatabaseHits(database, "ask"), DatabaseHits(other, "ask")]
        answers = await asyncio.gather(
            *(stores[n % 2].hit("discord:1", START, ASK) for n in range(20))
        )
        assert answers.count(0.0) == ASK.rate
        assert all(answer == ASK.per for answer in answers if answer)
    finally:
        await other.close()


async def test_the_same_answers_as_the_limiter_in_memory(database):
    """A seeded schedule of hits from three people: the database says what memory says."""
    rng = random.Random(11)
    allowance = Allowance(3, 10.0)
    memory, shared = MemoryHits(), DatabaseHits(database, "ask")
    now = START
    for _ in range(150):
        now += timedelta(milliseconds=rng.randrange(0, 4000))
        key = rng.choice(["a", "b", "c"])
        assert await shared.hit(key, now, allowance) == await memory.hit(key, now, allowance)


async def test_limits_with_other_scopes_count_apart(database):
    asks, previews = DatabaseHits(database, "ask"), DatabaseHits(database, "preview")
    one = Allowance(1, 60.0)

    assert await asks.hit("discord:1", START, one) == 0.0
    assert await previews.hit("discord:1", START, one) == 0.0
    assert await asks.hit("discord:1", START, one) == 60.0


async def test_no_person_id_is_stored_and_old_hits_are_deleted(database):
    hits = DatabaseHits(database, "ask")
    await hits.hit("discord:123456789", START, ASK)
    rows = await database.fetch("SELECT key FROM rate_hits")
    assert len(rows) == 1 and "123456789" not in rows[0][0]

    await hits.hit("discord:42", START + timedelta(seconds=31), ASK)  # the purge's turn

    rows = await database.fetch("SELECT COUNT(*) FROM rate_hits")
    assert rows[0][0] == 1  # only the newer person's hit is left


async def test_a_hit_with_a_free_slot_is_one_statement(database, monkeypatch):
    hits = DatabaseHits(database, "ask")
    await hits.hit("discord:0", START, ASK)  # the salt read and the purge, once a window
    statements: list[str] = []
    for name in ("fetch", "execute"):
        real = getattr(database, name)

        async def counted(sql, params=(), _real=real):
            statements.append(sql)
            return await _real(sql, params)

        monkeypatch.setattr(database, name, counted)

    for second in range(ASK.rate):  # the same agent, each ask a free slot
        assert await hits.hit("discord:1", START + timedelta(seconds=second), ASK) == 0.0
    assert len(statements) == ASK.rate  # one round trip each (a read and a write before)
    assert await hits.hit("discord:1", START + timedelta(seconds=ASK.rate), ASK) > 0
