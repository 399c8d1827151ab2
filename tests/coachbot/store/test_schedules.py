"""Schedules on a real SQLite file, and the claim that makes a quiz post exactly once."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from coachbot.errors import InvalidInput
from coachbot.quiz.schedule import DuePost, due_posts, parse_schedule
from coachbot.store.database import Database
from coachbot.store.schedules import ScheduleStore

TODAY = date(2027, 3, 29)
MONDAY_0905_BERLIN = datetime(2027, 3, 29, 7, 5, tzinfo=UTC)


def schedule(channel: str = "c1", time_text: str = "09:00", zone: str = "Europe/Berlin", **more):
    return parse_schedule(
        guild_id="g1", channel_id=channel, time_text=time_text, timezone_text=zone, **more
    )


async def count(database: Database, table: str) -> int:
    assert table in ("quiz_schedules", "quiz_posts")
    return (await database.fetch(f"SELECT COUNT(*) FROM {table}"))[0][0]


async def test_a_schedule_round_trips(database):
    store = ScheduleStore(database)
    original = schedule(weekdays_text="mon,wed,fri", questions=2, window_hours=6)
    saved = await store.save(original, today=TODAY)
    assert saved.id is not None
    assert saved == replace(original, id=saved.id)
    assert await store.get("c1") == saved
    assert await store.all() == [saved]
    assert await store.get("nowhere") is None


async def test_saving_again_replaces_the_channels_schedule_in_place(database):
    store = ScheduleStore(database)
    first = await store.save(schedule(), today=TODAY)
    other = await store.save(schedule("c2", "17:30", "Asia/Tokyo"), today=TODAY)
    second = await store.save(
        schedule(time_text="10:15", weekdays_text="daily"), today=TODAY + timedelta(days=3)
    )
    assert second.id == first.id  # today's claim still holds after a change of time
    assert (second.local_time, second.weekdays) == (time(10, 15), frozenset(range(1, 8)))
    assert await store.all() == [second, other]
    rows = await database.fetch("SELECT created_day FROM quiz_schedules WHERE id = ?", (first.id,))
    assert rows[0][0] == TODAY.isoformat()


async def test_remove(database):
    store = ScheduleStore(database)
    saved = await store.save(schedule(), today=TODAY)
    [due] = due_posts([saved], MONDAY_0905_BERLIN)
    assert await store.claim(due, now=MONDAY_0905_BERLIN) is not None
    assert await store.remove("c1") is True
    assert await store.remove("c1") is False
    assert await store.get("c1") is None
    assert await count(database, "quiz_posts") == 1  # history survives the schedule


@pytest.mark.parametrize(
    "bad",
    [
        {"time_text": "25:99"},
        {"zone": "Mars/Olympus"},
        {"questions": 0},
        {"time_text": "25:99", "zone": "Mars/Olympus", "questions": 0},
        {"weekdays_text": "funday"},
        {"time_text": "9" * 10_000},
    ],
)
async def test_bad_input_stores_nothing(database, bad):
    store = ScheduleStore(database)

    async def add_schedule(**fields) -> None:  # what the /quiz schedule command does
        await store.save(schedule(**fields), today=TODAY)

    with pytest.raises(InvalidInput):
        await add_schedule(**bad)
    assert await count(database, "quiz_schedules") == 0


async def test_claim_records_the_post_and_refuses_a_second(database):
    store = ScheduleStore(database)
    saved = await store.save(schedule(window_hours=2), today=TODAY)
    [due] = due_posts([saved], MONDAY_0905_BERLIN)
    post_id = await store.claim(due, now=MONDAY_0905_BERLIN)
    assert post_id is not None
    assert await store.claim(due, now=MONDAY_0905_BERLIN + timedelta(minutes=1)) is None
    rows = await database.fetch(
        "SELECT id, schedule_id, guild_id, channel_id, local_date, claimed_at, closes_at"
        " FROM quiz_posts"
    )
    assert rows == [
        (
            post_id,
            saved.id,
            "g1",
            "c1",
            "2027-03-29",
            "2027-03-29T07:05:00+00:00",
            "2027-03-29T09:00:00+00:00",
        )
    ]


async def test_an_unsaved_schedule_cannot_be_claimed(database):
    [due] = due_posts([schedule()], MONDAY_0905_BERLIN)
    with pytest.raises(ValueError, match="save the schedule"):
        await ScheduleStore(database).claim(due, now=MONDAY_0905_BERLIN)


async def _save_four(store: ScheduleStore) -> None:
    """Four channels in four zones, all due at 07:00 UTC on Monday 29 March 2027."""
    await store.save(schedule("c1"), today=TODAY)
    await store.save(schedule("c2", "08:00", "Europe/London"), today=TODAY)
    await store.save(schedule("c3", "16:00", "Asia/Tokyo", weekdays_text="daily"), today=TODAY)
    await store.save(schedule("c4", "03:00", "America/New_York", questions=3), today=TODAY)


async def test_two_schedulers_racing_on_one_database_post_once(database_target):
    first = await Database.open(database_target)
    second = await Database.open(database_target)
    try:
        stores = [ScheduleStore(first), ScheduleStore(second)]
        await _save_four(stores[0])
        wins = []
        for _ in range(25):  # both wake up at the same instant, again and again
            work = []
            for store in stores:
                for due in due_posts(await store.all(), MONDAY_0905_BERLIN):
                    work.append(store.claim(due, now=MONDAY_0905_BERLIN))
            assert len(work) == 8
            wins += [post for post in await asyncio.gather(*work) if post is not None]
        assert len(wins) == 4
        rows = await first.fetch(
            "SELECT schedule_id, local_date, COUNT(*) FROM quiz_posts"
            " GROUP BY schedule_id, local_date"
        )
        assert len(rows) == 4
        assert all(posts == 1 for *_, posts in rows)
    finally:
        await first.close()
        await second.close()


def _claim_in_a_process(target: Path | str) -> list[int]:
    """A whole scheduler process: open the database, compute due posts, claim them many times."""

    async def run() -> tuple[list[int], int]:
        database = await Database.open(target)
        try:
            store = ScheduleStore(database)
            wins = []
            for _ in range(20):
                for due in due_posts(await store.all(), MONDAY_0905_BERLIN):
                    post = await store.claim(due, now=MONDAY_0905_BERLIN)
                    if post is not None:
                        wins.append(post)
            return wins
        finally:
            await database.close()

    return asyncio.run(run())


async def test_separate_processes_racing_post_once(database_target):
    database = await Database.open(database_target)
    try:
        await _save_four(ScheduleStore(database))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
            loop = asyncio.get_running_loop()
            results = await asyncio.gather(
                *(
                    loop.run_in_executor(pool, _claim_in_a_process, database_target)
                    for _ in range(4)
                )
            )
        wins = [post for result in results for post in result]
        assert len(wins) == len(set(wins)) == 4
        assert await count(database, "quiz_posts") == 4
    finally:
        await database.close()


DAYS = 150  # quiz days per schedule in the burst test (4 schedules: 600 claims to settle)


def _claim_days_in_a_process(target: Path | str, start: int, barrier) -> tuple[list[int], int]:
    """A scheduler process that claims every (schedule, day) at once: on PostgreSQL the claims
    run on many pooled connections side by side. Each process starts at another day, and all
    start together (the barrier)."""

    async def run() -> tuple[list[int], int]:
        database = await Database.open(target)
        try:
            barrier.wait()
            store = ScheduleStore(database)
            schedules = await store.all()
            days = [TODAY + timedelta(days=(start + n) % DAYS) for n in range(DAYS)]
            dues = [
                DuePost(s, day, MONDAY_0905_BERLIN, MONDAY_0905_BERLIN + timedelta(hours=2))
                for day in days
                for s in schedules
            ]
            posts = await asyncio.gather(
                *(store.claim(due, now=MONDAY_0905_BERLIN) for due in dues)
            )
            return [post for post in posts if post is not None], len(posts)
        finally:
            await database.close()

    return asyncio.run(run())


async def test_processes_on_many_connections_claim_hundreds_of_quiz_days_once(database_target):
    database = await Database.open(database_target)
    try:
        await _save_four(ScheduleStore(database))
        context = multiprocessing.get_context("spawn")
        with (
            context.Manager() as manager,
            ProcessPoolExecutor(max_workers=4, mp_context=context) as pool,
        ):
            barrier = manager.Barrier(4, timeout=120)
            loop = asyncio.get_running_loop()
            results = await asyncio.gather(
                *(
                    loop.run_in_executor(
                        pool, _claim_days_in_a_process, database_target, start, barrier
                    )
                    for start in (0, 37, 75, 112)
                )
            )
        wins = [post for won, _ in results for post in won]
        attempts = sum(tried for _, tried in results)
        assert len(wins) == len(set(wins)) == 4 * DAYS  # every day claimed, by one process
        # every process tried every day, so three of every four claims had to lose (which
        # process wins depends on the machine's scheduling, not on the store)
        assert attempts == 4 * 4 * DAYS
        rows = await database.fetch(
            "SELECT COUNT(*), COUNT(DISTINCT schedule_id || '/' || local_date) FROM quiz_posts"
        )
        assert tuple(rows[0]) == (4 * DAYS, 4 * DAYS)
    finally:
        await database.close()
