"""Debrief statuses: named values in the code, the same plain words in the database."""

from __future__ import annotations

from datetime import date

from coachbot.store.debriefs import DebriefStatus, DebriefStore, StoredDebrief


def _debrief(debrief_id: str, status: DebriefStatus) -> StoredDebrief:
    return StoredDebrief(
        debrief_id, "g1", date(2026, 11, 23), "happened", "tried", "worked", "next", None, status
    )


async def _stored_words(database) -> list[str]:
    rows = await database.fetch("SELECT status FROM debriefs ORDER BY id")
    return [row[0] for row in rows]


async def test_statuses_are_stored_as_the_words_migration_0004_allows(database):
    store = DebriefStore(database)
    await store.add(_debrief("a", DebriefStatus.REVIEW), "hash-a")
    await store.add(_debrief("b", DebriefStatus.WAITING), "hash-b")

    assert await _stored_words(database) == ["review", "waiting"]


async def test_a_read_debrief_carries_its_status_as_the_enum(database):
    store = DebriefStore(database)
    await store.add(_debrief("a", DebriefStatus.REVIEW), "hash-a")

    debrief = await store.get("a")

    assert debrief is not None
    assert debrief.status is DebriefStatus.REVIEW


async def test_marking_shared_moves_waiting_debriefs_only(database):
    store = DebriefStore(database)
    await store.add(_debrief("a", DebriefStatus.WAITING), "hash-a")
    await store.add(_debrief("b", DebriefStatus.REVIEW), "hash-b")
    assert await store.claim_digest("g1", date(2026, 11, 24))

    shared = await store.mark_shared("g1", date(2026, 11, 24), ["a", "b"], "m1")

    assert shared == 1
    assert await _stored_words(database) == ["shared", "review"]
    assert [d.id for d in await store.with_status("g1", DebriefStatus.SHARED)] == ["a"]
