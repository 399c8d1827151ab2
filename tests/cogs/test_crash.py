"""kill -9 in the middle of a quiz burst and a stream of debriefs loses nothing that Discord
was told about, posts no quiz twice, and the schedule carries on after each restart.

The real `coachbot run` runs in a child process against the loopback Discord, on a clock
that starts on a Monday morning in Berlin (tests/bot_process.py). Three teams have a daily
quiz: #coaching at 09:00, #trainers at 09:01, #floor at 09:02.

1. The bot starts at 09:00 and posts #coaching's quiz. Its agents click (a quarter of them
   twice) while others write debriefs; with 30% of the clicks out: SIGKILL.
2. It restarts at 09:01 and posts #trainers' quiz, not #coaching's again. #trainers' agents
   click, #coaching's click again ("did it count?"), debriefs go on; with 60% of the new
   clicks out: SIGKILL again.
3. It restarts at 09:02, posts #floor's quiz, every agent clicks each quiz once more, and the
   bot is stopped with SIGTERM.

After each kill a copy of the database files as the kill left them must pass
`PRAGMA integrity_check` and hold every answer and debrief whose response reached Discord.
Throughout, no agent is told twice that an answer counted, and each ends with exactly one.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import signal
import sqlite3
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coachbot.debrief.service import DebriefService
from coachbot.store.database import Database
from coachbot.store.debriefs import DebriefStore
from coachbot.store.meta import MetaStore
from tests.discord_harness import FakeUser, InteractionRecord, buttons
from tests.fake_platform import running
from tests.load_driver import (
    LoadDiscord,
    answer_counted,
    answer_refused,
    is_quiz_post,
    log_problems,
    seed_schedule,
    start_bot,
    stop_bot,
)

MONDAY_BERLIN = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
TEAM = 250  # agents per quiz channel
WRITERS = 6  # agents writing debriefs back to back
BURST_SECONDS = 1.5
DOUBLE_CLICKS = 0.25
DATABASE = "coachbot.sqlite3"
CODE = re.compile(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\*\*")
DEBRIEF = {
    "what_happened": "A caller shouted about a late refund and would not let me finish.",
    "what_tried": "I let him vent, then summed up what he needed.",
    "what_worked": "Giving a date for the refund calmed him down.",
    "next_time": "Check the refund status before picking up.",
    "topic": "",
}


@pytest.fixture
async def fake_discord() -> AsyncIterator[LoadDiscord]:
    async with running(LoadDiscord(timeout=20.0, response_timeout=5.0), "Discord") as env:
        yield env


# ---- what Discord was told ---------------------------------------------------------------


def _post_id(post: dict) -> int:
    return int(buttons(post)[0]["custom_id"].split(":")[2])


class Ledger:
    """Per quiz post: the answers the bot said counted, and the agents it said had answered."""

    def __init__(self) -> None:
        self.counted: dict[int, dict[int, int]] = defaultdict(dict)
        self.refused: dict[int, set[int]] = defaultdict(set)
        self.sent: dict[int, int] = defaultdict(int)

    def add(self, post_id: int, agent: FakeUser, choice: int, record: InteractionRecord) -> None:
        if answer_counted(record):
            assert agent.id not in self.counted[post_id], f"{agent.name} was counted twice"
            self.counted[post_id][agent.id] = choice
        elif answer_refused(record):
            self.refused[post_id].add(agent.id)

    def acknowledged(self, post_id: int) -> int:
        return len(self.counted[post_id])

    def midway(self, post_id: int, share: float, agents: int) -> bool:
        """`share` of the agents' clicks are out and some answers acknowledged: the rest of
        the burst is still to come, whatever the fake Discord's backlog."""
        return self.sent[post_id] >= share * agents and self.acknowledged(post_id) >= agents // 10

    def check(self, database: Path) -> None:
        """Everything acknowledged is in `database`, as acknowledged."""
        for post_id, counted in self.counted.items():
            stored = _answers(database, post_id)
            assert counted.items() <= stored.items(), "an acknowledged answer was lost"
            assert self.refused[post_id] <= stored.keys()


def _answers(path: Path, post_id: int) -> dict[int, int]:
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT agent_id, choice FROM quiz_answers WHERE post_id = ?", (post_id,)
        ).fetchall()
    assert len(rows) == len({agent for agent, _ in rows}), "an agent has two answers"
    return {int(agent): int(choice) for agent, choice in rows}


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _crash_image(data_dir: Path, into: Path) -> Path:
    """The database files exactly as the kill left them (the WAL too, not the shared memory)."""
    into.mkdir()
    for suffix in ("", "-wal"):
        source = data_dir / f"{DATABASE}{suffix}"
        if source.exists():
            shutil.copy2(source, into / source.name)
    return into / DATABASE


async def _debriefs_stored(path: Path, codes: list[str]) -> bool:
    """Is every code's debrief in the database? Asked of the real service: deleting is its only
    lookup by code, and proves the code works. Only ever pass a copy."""
    database = await Database.open(path)
    try:
        service = DebriefService(
            lambda: None,  # type: ignore[arg-type, return-value]  # delete needs no knowledge
            DebriefStore(database),
            MetaStore(database),
            lambda: MONDAY_BERLIN,
            random.Random(0),
        )
        return all([await service.delete(code) for code in codes])
    finally:
        await database.close()


# ---- the agents ----------------------------------------------------------------------------


async def _burst(
    env: LoadDiscord, post: dict, agents: list[FakeUser], ledger: Ledger, rng: random.Random
) -> None:
    """Every agent clicks one answer at a random instant of the burst; some click twice."""
    choices = [b["custom_id"] for b in buttons(post)]

    async def click(agent: FakeUser, at: float, choice: int) -> None:
        await asyncio.sleep(at)
        ledger.sent[_post_id(post)] += 1
        record = await env.send_click(post, choices[choice], user=agent)
        ledger.add(_post_id(post), agent, choice, record)

    plan = []
    for agent in agents:
        at = rng.uniform(0, BURST_SECONDS)
        plan.append(click(agent, at, rng.randrange(len(choices))))
        if rng.random() < DOUBLE_CLICKS:
            plan.append(click(agent, at + rng.uniform(0, 0.3), rng.randrange(len(choices))))
    await asyncio.gather(*plan)


async def _debriefs(env: LoadDiscord, writer: FakeUser, codes: list[str]) -> None:
    """One agent writing debriefs back to back until the bot is gone."""
    while True:
        form = await env.send_slash("debrief write", user=writer)
        if form.modal is None:
            return
        await asyncio.sleep(0.1)  # filling in the form (the bot stores it as it sends it)
        preview = await env.send_modal(form, DEBRIEF)
        if preview.message is None or not buttons(preview.message):
            return
        done = await env.send_click(preview, "Submit anonymously", user=writer)
        found = CODE.search(done.content) if done.callback else None
        if found is None:
            return
        codes.append(found.group(1))


async def _kill_mid_burst(process, reached, bursts: list, writing: list, codes: list) -> None:
    """Debriefs first, until two more are acknowledged; then the bursts; SIGKILL once
    `reached()`, with the bursts still going; then let the agents notice the bot is gone."""
    streams = [asyncio.ensure_future(w) for w in writing]
    clicks: list[asyncio.Future[None]] = []
    try:
        before = len(codes)
        while len(codes) < before + 2:
            assert not all(s.done() for s in streams), "the debriefs stopped before the burst"
            await asyncio.sleep(0.005)
        clicks += [asyncio.ensure_future(b) for b in bursts]
        while not reached():
            assert not all(c.done() for c in clicks), "the burst ended before the kill"
            await asyncio.sleep(0.005)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        await asyncio.gather(*clicks, *streams)
    assert await process.wait() == -signal.SIGKILL


# ---- the test ------------------------------------------------------------------------------


async def test_kill_9_twice_mid_burst_loses_nothing_acknowledged_and_posts_nothing_twice(
    fake_discord: LoadDiscord, tmp_path: Path
):
    env, rng, ledger, codes = fake_discord, random.Random(7), Ledger(), []
    floor = env.add_channel("floor")
    data_dir, log = tmp_path / "data", tmp_path / "bot.log"
    teams = [env.channel, env.other_channel, floor]
    for minute, channel in enumerate(teams):
        await seed_schedule(data_dir, channel, f"09:0{minute}", today=MONDAY_BERLIN.date())
    agents = env.agents(2 * TEAM + WRITERS)
    coaching, trainers, writers = agents[:TEAM], agents[TEAM : 2 * TEAM], agents[2 * TEAM :]
    posts: list[dict] = []

    async def start(minute: int):
        clock_start = MONDAY_BERLIN.replace(minute=minute)
        process = await start_bot(  # writers go at machine speed: no five-a-minute limit
            env, data_dir, log, clock_start=clock_start, quick_ready=True, lift_debrief_limit=True
        )
        await env.wait_for_bot(timeout=60, process=process)
        # The schedule resumes: this minute's team gets its quiz on start.
        posts.append(await env.wait_for_message(teams[minute], is_quiz_post))
        return process

    # 1. 09:00: the burst on #coaching and the debriefs; kill with 30% of the clicks out.
    first = await start(0)
    coaching_post = posts[0]
    await _kill_mid_burst(
        first,
        lambda: ledger.midway(_post_id(coaching_post), 0.3, TEAM),
        [_burst(env, coaching_post, coaching, ledger, rng)],
        [_debriefs(env, w, codes) for w in writers],
        codes,
    )
    await env.wait_for_disconnect()
    assert ledger.acknowledged(_post_id(coaching_post)) < TEAM, "the kill came after the burst"
    image = _crash_image(data_dir, tmp_path / "crash-1")
    assert _integrity(image) == "ok"
    ledger.check(image)
    assert await _debriefs_stored(image, codes)

    # 2. 09:01: #trainers' burst, #coaching clicks again, debriefs; kill at 60%.
    second = await start(1)
    trainers_post = posts[1]
    await _kill_mid_burst(
        second,
        lambda: ledger.midway(_post_id(trainers_post), 0.6, TEAM),
        [
            _burst(env, trainers_post, trainers, ledger, rng),
            _burst(env, coaching_post, coaching, ledger, rng),
        ],
        [_debriefs(env, w, codes) for w in writers],
        codes,
    )
    await env.wait_for_disconnect()
    assert ledger.acknowledged(_post_id(trainers_post)) < TEAM, "the kill came after the burst"
    image = _crash_image(data_dir, tmp_path / "crash-2")
    assert _integrity(image) == "ok"
    ledger.check(image)
    assert await _debriefs_stored(image, codes)

    # 3. 09:02: #floor's quiz; everyone clicks each quiz once more; docker stop.
    third = await start(2)
    for post, team in ((coaching_post, coaching), (trainers_post, trainers)):
        choice = buttons(post)[0]["custom_id"]
        again = await asyncio.gather(*(env.send_click(post, choice, user=a) for a in team))
        for agent, record in zip(team, again, strict=True):
            assert answer_counted(record) or answer_refused(record), record.content
            ledger.add(_post_id(post), agent, 0, record)
    assert await stop_bot(third) == 0

    final = data_dir / DATABASE
    assert _integrity(final) == "ok"
    ledger.check(final)
    for post, team in ((coaching_post, coaching), (trainers_post, trainers)):
        assert set(_answers(final, _post_id(post))) == {a.id for a in team}
    for channel in teams:  # one quiz per team and day, whatever the restarts
        assert len([m for m in env.sent_messages(channel) if is_quiz_post(m)]) == 1
    with closing(sqlite3.connect(final)) as connection:
        posts_per_day = connection.execute(
            "SELECT COUNT(*) FROM quiz_posts GROUP BY channel_id, local_date"
        ).fetchall()
    assert posts_per_day == [(1,)] * len(teams)
    assert log_problems(log.read_text(encoding="utf-8")) == []
