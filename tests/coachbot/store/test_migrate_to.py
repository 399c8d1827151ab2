"""`coachbot db migrate-to`: a seeded SQLite database copied into a real PostgreSQL, verified
table by table, and the bot's stores read the same answers from the copy."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coachbot.cli import main
from coachbot.errors import CoachError
from coachbot.quiz.schedule import due_posts, parse_schedule
from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.database import Database
from coachbot.store.debriefs import DebriefStatus, DebriefStore, StoredDebrief
from coachbot.store.meta import MetaStore
from coachbot.store.migrate_to import migrate_to
from coachbot.store.practice import PracticeCard, PracticeStore
from coachbot.store.quiz import QuizStore
from coachbot.store.schedules import ScheduleStore
from coachbot.store.suggestions import SuggestionStore
from coachbot.store.votes import VoteStore

DAY = date(2027, 3, 29)
NOW = datetime(2027, 3, 29, 7, 5, tzinfo=UTC)


async def _seed(path: Path) -> None:
    """Some of everything, with answers arriving out of agent-id order (leaderboard ties)."""
    database = await Database.open(path)
    try:
        asks = AskLog(database)
        for n in range(40):
            await asks.record(LoggedAsk(DAY, f"question {n} café", "stay-calm", n / 40, n % 3 > 0))
        await VoteStore(database).cast("v1", "stay-calm", True, DAY, "g1")
        schedules = ScheduleStore(database)
        saved = await schedules.save(
            parse_schedule(
                guild_id="g1", channel_id="c1", time_text="09:00", timezone_text="Europe/Berlin"
            ),
            today=DAY,
        )
        [due] = due_posts([saved], NOW)
        post = await schedules.claim(due, now=NOW)
        quiz = QuizStore(database)
        await quiz.add_items(post, [("i1", "stay-calm"), ("i2", "refunds")])
        await quiz.mark_posted(post, "m1", NOW + timedelta(hours=2))
        for agent in ("zoe", "amy", "bob"):  # all score 1: arrival order breaks the tie
            await quiz.record_answer(
                post_id=post,
                item_id="i1",
                topic_id="stay-calm",
                agent_id=agent,
                choice=0,
                correct=True,
                day=DAY,
            )
        await PracticeStore(database).put("amy", PracticeCard("i1", "stay-calm", 2, DAY))
        await PracticeStore(database).add_pause("amy", "g1", DAY, DAY + timedelta(days=3))
        debriefs = DebriefStore(database)
        for n in range(3):
            debrief = StoredDebrief(
                f"id{n}",
                "g1",
                DAY,
                "what",
                "tried",
                "worked",
                "next",
                None,
                DebriefStatus.WAITING,
            )
            await debriefs.add(debrief, f"hash{n}")
        await debriefs.mark_helped("id1", "voter")
        await SuggestionStore(database).add_pick("stay-calm", "calm", "calm?", "clarify", DAY)
        await SuggestionStore(database).put_token("tok", "calm?", DAY)
    finally:
        await database.close()


async def test_every_table_is_copied_verified_and_reads_the_same(tmp_path, postgres_url):
    path = tmp_path / "coachbot.sqlite3"
    await _seed(path)

    copied = await migrate_to(path, postgres_url)

    assert copied and all(table.verified for table in copied)
    counts = {table.name: table.rows for table in copied}
    assert counts["asks"] == 40 and counts["quiz_answers"] == 3 and counts["debriefs"] == 3
    assert counts["meta"] == 1  # the SQLite install's salt, not a second one
    sqlite, postgresql = await Database.open(path), await Database.open(postgres_url)
    try:
        for database in (sqlite, postgresql):
            board = await QuizStore(database).leaderboard("c1", DAY)
            assert [s.agent_id for s in board] == ["zoe", "amy", "bob"]
        assert await MetaStore(postgresql).install_salt() == await MetaStore(sqlite).install_salt()
        assert await AskLog(postgresql).since(DAY) == await AskLog(sqlite).since(DAY)
        # the identity counters moved past the copied ids
        await AskLog(postgresql).record(LoggedAsk(DAY, "after", None, 0.5, False))
        post = await QuizStore(postgresql).create_post(
            guild_id="g1", channel_id="c1", local_date=DAY, claimed_at=NOW
        )
        assert post == 2
    finally:
        await sqlite.close()
        await postgresql.close()


async def test_a_database_that_already_holds_rows_is_refused(tmp_path, postgres_url):
    path = tmp_path / "coachbot.sqlite3"
    await _seed(path)
    await migrate_to(path, postgres_url)

    with pytest.raises(CoachError, match="empty database only"):
        await migrate_to(path, postgres_url)


def test_the_command_prints_each_table_verified(tmp_path, postgres_url, monkeypatch, capsys):
    asyncio.run(_seed(tmp_path / "data" / "coachbot.sqlite3"))
    monkeypatch.setenv("COACHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)

    assert main(["db", "migrate-to", postgres_url]) == 0

    out = capsys.readouterr().out
    assert "debriefs" in out and "verified" in out and "DIFFERENT" not in out
