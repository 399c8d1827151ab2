"""The ask log: written at once by default; in batches for the Discord bot, never lost on a
clean stop."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.database import Database

DAY = date(2026, 11, 23)


def ask(n: int) -> LoggedAsk:
    return LoggedAsk(DAY, f"question {n}", "stay-calm", 0.5, True, "guild")


async def stored(database: Database) -> int:
    rows = await database.fetch("SELECT COUNT(*) FROM asks")
    return int(rows[0][0])


async def test_without_batching_each_ask_is_written_at_once(database):
    await AskLog(database).record(ask(1))
    assert await stored(database) == 1


async def test_a_batching_log_buffers_until_a_read_asks_for_the_rows(database):
    log = AskLog(database)
    log.batch(seconds=60)
    for n in range(3):
        await log.record(ask(n))
    assert await stored(database) == 0
    assert [a.question for a in await log.since(DAY)] == [f"question {n}" for n in range(3)]
    assert await stored(database) == 3


async def test_a_full_batch_is_written_without_waiting(database):
    log = AskLog(database)
    log.batch(seconds=60, max_rows=4)
    for n in range(9):
        await log.record(ask(n))
    assert await stored(database) == 8  # two full batches; the ninth waits


async def test_the_buffer_is_written_soon_after_the_first_buffered_ask(database):
    log = AskLog(database)
    log.batch(seconds=0.01)
    await log.record(ask(1))
    for _ in range(500):  # polls; no assertion on how long it took
        if await stored(database) == 1:
            break
        await asyncio.sleep(0.01)
    assert await stored(database) == 1


async def test_closing_the_database_writes_what_is_buffered(database_target: Path | str):
    database = await Database.open(database_target)
    log = AskLog(database)
    log.batch(seconds=60)
    await log.record(ask(1))
    await log.record(ask(2))
    await database.close()
    reopened = await Database.open(database_target)
    try:
        assert await stored(reopened) == 2
    finally:
        await reopened.close()


@pytest.mark.parametrize(("seconds", "max_rows"), [(0, 10), (-1, 10), (1, 0)])
async def test_a_batch_needs_a_positive_period_and_size(database, seconds, max_rows):
    with pytest.raises(ValueError):
        AskLog(database).batch(seconds=seconds, max_rows=max_rows)


@pytest.mark.parametrize("batched", [False, True])
async def test_a_question_with_a_lone_surrogate_is_stored_with_a_replacement(database, batched):
    log = AskLog(database)
    if batched:
        log.batch(seconds=60)
    await log.record(LoggedAsk(DAY, "bad \udcff byte \ud800", None, 0.1, False))
    await log.record(ask(2))  # and the rows after it are not lost
    assert [a.question for a in await log.since(DAY)] == ["bad \ufffd byte \ufffd", "question 2"]
