"""A deletion empties the write-ahead log too, without waiting forever for another process's
reader, without breaking that reader, and alongside the ask log's batch writer."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date

import pytest

from coachbot.store import database as database_module
from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.debriefs import DebriefStore, StoredDebrief

pytestmark = pytest.mark.sqlite_only

TEXT = "The caller read out the Quillbrook tariff twice before hanging up."


def _debrief() -> StoredDebrief:
    return StoredDebrief(
        "d1", "g1", date(2026, 11, 23), TEXT, "tried", "worked", "next", None, "waiting"
    )


def _on_disk(database) -> bytes:
    path = database.path
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def _wal_size(database) -> int:
    return database.path.with_name(database.path.name + "-wal").stat().st_size


@pytest.fixture
def quick(monkeypatch):
    """Short waits, so a busy WAL is given up on (and retried) at once."""
    monkeypatch.setattr(database_module, "ERASE_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(database_module, "ERASE_RETRIES", (0.0,))


async def test_a_deleted_debrief_leaves_the_wal_and_the_database_file(database):
    store = DebriefStore(database)
    await store.add(_debrief(), "hash")
    assert b"Quillbrook" in _on_disk(database)

    assert await store.delete("hash")

    assert _wal_size(database) == 0
    assert b"Quillbrook" not in _on_disk(database)


async def test_another_processes_reader_is_not_broken_and_the_wal_is_emptied_after_it(
    database, quick
):
    store = DebriefStore(database)
    await store.add(_debrief(), "hash")
    reader = sqlite3.connect(database.path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM debriefs").fetchone() == (1,)

    assert await store.delete("hash")  # returns although the reader holds the WAL

    assert reader.execute("SELECT what_happened FROM debriefs").fetchone() == (TEXT,)
    reader.execute("COMMIT")
    reader.close()
    await asyncio.wait_for(database._erase_retry, timeout=10)  # the retry in the background
    assert _wal_size(database) == 0
    assert b"Quillbrook" not in _on_disk(database)


async def test_the_ask_logs_batch_writer_and_a_deletion_both_complete(database):
    asks = AskLog(database)
    store = DebriefStore(database)
    await store.add(_debrief(), "hash")
    batch = [LoggedAsk(date(2026, 11, 23), f"question {n}", None, 0.5, False) for n in range(50)]

    deleted, _ = await asyncio.gather(store.delete("hash"), asks.record_many(batch))

    assert deleted and len(await asks.since(date(2026, 11, 1))) == 50
    assert b"Quillbrook" not in _on_disk(database)


async def test_deleting_nothing_leaves_the_wal_alone(database):
    store = DebriefStore(database)
    await store.add(_debrief(), "hash")
    assert not await store.delete("no such hash")
    assert _wal_size(database) > 0
