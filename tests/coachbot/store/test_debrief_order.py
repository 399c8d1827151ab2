"""Privacy: how a day's debriefs are stored says nothing about the order they were written in.

SQLite keeps them WITHOUT ROWID, in the order of their random ids. On PostgreSQL every row
carries `xmin` (the writing transaction's number, which grows) and `ctid` (its physical
place); written one by one, both would follow the writing order, so each new debrief
rewrites the day's unshared ones in a shuffled order in one transaction.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from coachbot.store.debriefs import DebriefStatus, DebriefStore, StoredDebrief

DAY = date(2026, 11, 23)
WRITES = 12


def _debrief(debrief_id: str, day: date = DAY, status=DebriefStatus.WAITING) -> StoredDebrief:
    return StoredDebrief(
        debrief_id, "g1", day, f"happened {debrief_id}", "tried", "worked", "next", None, status
    )


def _random_ids(count: int) -> list[str]:
    """Random ids, as the service makes them (secrets.token_hex), from a seed."""
    rng = random.Random(2026)
    return [rng.randbytes(12).hex() for _ in range(count)]


async def _storage_order(database) -> list[str]:
    """The ids in the order the database itself gives away, without an ORDER BY on data."""
    if database.dialect == "sqlite":  # WITHOUT ROWID: the table is its primary key's b-tree
        rows = await database.fetch("SELECT id FROM debriefs")
    else:  # what a database administrator can read: the writing transaction, then the place
        rows = await database.fetch("SELECT id FROM debriefs ORDER BY xmin::text::bigint, ctid")
    return [row[0] for row in rows]


async def _write_one_by_one(database, ids: list[str]) -> DebriefStore:
    store = DebriefStore(database, rng=random.Random(7))
    for number, debrief_id in enumerate(ids):
        await store.add(_debrief(debrief_id), f"hash-{number}")
    return store


async def test_the_storage_order_does_not_follow_the_writing_order(database):
    ids = _random_ids(WRITES)

    await _write_one_by_one(database, ids)

    stored = await _storage_order(database)
    assert sorted(stored) == sorted(ids)  # every debrief is there, once
    assert stored != ids


async def test_on_postgresql_a_days_debriefs_share_one_writing_transaction(database):
    if database.dialect == "sqlite":
        pytest.skip("SQLite rows carry no transaction number")
    await _write_one_by_one(database, _random_ids(WRITES))

    rows = await database.fetch("SELECT COUNT(DISTINCT xmin::text) FROM debriefs")

    assert rows[0][0] == 1


async def test_a_rewrite_keeps_every_field_the_deletion_code_and_other_days(database):
    store = DebriefStore(database, rng=random.Random(7))
    await store.add(_debrief("shared", status=DebriefStatus.SHARED), "hash-shared")
    assert await store.mark_helped("shared", "voter")
    await store.add(_debrief("yesterday", day=date(2026, 11, 22)), "hash-yesterday")
    await store.add(_debrief("review", status=DebriefStatus.REVIEW), "hash-review")
    before = await store.exported(None, None)

    await store.add(_debrief("new"), "hash-new")

    after = {e.debrief.id: e for e in await store.exported(None, None)}
    assert all(after[e.debrief.id] == e for e in before)  # same fields, same helped counts
    assert after["new"].debrief == _debrief("new")
    assert await store.delete("hash-review")  # the deletion code still finds its debrief
    assert await store.get("review") is None
