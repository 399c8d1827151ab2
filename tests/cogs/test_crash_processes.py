"""Two bot processes on one PostgreSQL, one Discord shard each: kill -9 one in the middle of
the 09:00 quiz burst, and nothing Discord was told about is lost, the other process keeps
serving its servers throughout, and the killed one resumes its servers when it restarts.

The real `coachbot run` runs twice in child processes (tests/bot_process.py) against the
loopback Discord with COACHBOT_SHARD_COUNT=2: shard 0 carries Support Floor (#coaching),
shard 1 carries Returns (#returns-coaching). Both teams have a daily quiz at 09:00 Berlin.

1. Both start at 09:00; each server's quiz is posted once (by whichever process claims it).
2. Both teams' agents click at once (a quarter twice); with 30% of #coaching's clicks out,
   SIGKILL shard 0's process.
3. Shard 1's process answers every one of its agents, and after the kill it still answers
   (a second click: "already answered").
4. Shard 0 restarts; #coaching's agents click again and each ends with exactly one answer.

Every answer the bot said counted is in PostgreSQL as it was acknowledged, once; no quiz is
posted twice; neither process logs an error.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path

from coachbot.store.database import Database
from tests.cogs.test_crash import MONDAY_BERLIN, TEAM, Ledger, _burst, _post_id
from tests.cogs.test_crash import fake_discord as fake_discord  # the fixture: the same fake
from tests.discord_harness import FakeChannel, buttons
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


async def _stored_answers(url: str, post_id: int) -> dict[int, int]:
    database = await Database.open(url)
    try:
        rows = await database.fetch(
            "SELECT agent_id, choice FROM quiz_answers WHERE post_id = ?", (post_id,)
        )
    finally:
        await database.close()
    assert len(rows) == len({agent for agent, _ in rows}), "an agent has two answers"
    return {int(agent): int(choice) for agent, choice in rows}


async def _check(ledger: Ledger, url: str) -> None:
    """Every answer the bot said counted is stored as it was acknowledged, once."""
    for post_id, counted in ledger.counted.items():
        stored = await _stored_answers(url, post_id)
        assert counted.items() <= stored.items(), "an acknowledged answer was lost"
        assert ledger.refused[post_id] <= stored.keys()


async def _gone(env: LoadDiscord, channel: FakeChannel, timeout: float = 10.0) -> None:
    """Until the fake has seen the gateway carrying `channel`'s server close."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while env._session_for(channel.guild_id) is not None:
        assert loop.time() < deadline, f"#{channel.name}'s shard was still connected"
        await asyncio.sleep(0.05)


async def _click_again(env: LoadDiscord, post: dict, agents: list, ledger: Ledger) -> list[bool]:
    """Every agent clicks the first choice once more: was each answered?"""
    choice = buttons(post)[0]["custom_id"]
    records = await asyncio.gather(*(env.send_click(post, choice, user=a) for a in agents))
    for agent, record in zip(agents, records, strict=True):
        ledger.add(_post_id(post), agent, 0, record)
    return [answer_counted(r) or answer_refused(r) for r in records]


async def test_kill_9_one_of_two_processes_mid_burst_the_other_keeps_serving(
    fake_discord: LoadDiscord, postgres_url: str, tmp_path: Path
):
    env, rng, ledger = fake_discord, random.Random(15), Ledger()
    env.shard_count = 2  # what GET /gateway/bot recommends: each process runs one
    _, returns = env.add_guild("Returns", shard=(1, 2))
    coaching = env.channel  # Support Floor: shard 0
    for channel in (coaching, returns):
        await seed_schedule(
            tmp_path / "seed",
            channel,
            "09:00",
            today=MONDAY_BERLIN.date(),
            database_url=postgres_url,
        )
    agents = env.agents(2 * TEAM)
    coaching_agents, returns_agents = agents[:TEAM], agents[TEAM:]

    async def start(shard: int):
        return await start_bot(
            env,
            tmp_path / f"shard{shard}" / "data",
            tmp_path / f"shard{shard}.log",
            clock_start=MONDAY_BERLIN,
            quick_ready=True,
            extra_env={
                "COACHBOT_DATABASE_URL": postgres_url,
                "COACHBOT_SHARD_COUNT": "2",
                "COACHBOT_SHARD_IDS": str(shard),
            },
        )

    # 1. both processes; each server's quiz once
    processes = [await start(0), await start(1)]
    await env.wait_for_shards(2, processes)
    coaching_post = await env.wait_for_message(coaching, is_quiz_post)
    returns_post = await env.wait_for_message(returns, is_quiz_post)

    # 2. both bursts at once; SIGKILL shard 0 with 30% of #coaching's clicks out
    bursts = [
        asyncio.ensure_future(_burst(env, coaching_post, coaching_agents, ledger, rng)),
        asyncio.ensure_future(_burst(env, returns_post, returns_agents, ledger, rng)),
    ]
    try:
        while not ledger.midway(_post_id(coaching_post), 0.3, TEAM):
            assert not bursts[0].done(), "the burst ended before the kill"
            await asyncio.sleep(0.005)
    finally:
        os.kill(processes[0].pid, signal.SIGKILL)
        await asyncio.gather(*bursts)
    assert await processes[0].wait() == -signal.SIGKILL
    await _gone(env, coaching)
    assert ledger.acknowledged(_post_id(coaching_post)) < TEAM, "the kill came after the burst"
    await _check(ledger, postgres_url)

    # 3. the other process answered its whole team, and still answers after the kill
    assert ledger.acknowledged(_post_id(returns_post)) == TEAM
    assert processes[1].returncode is None
    assert all(await _click_again(env, returns_post, returns_agents, ledger))

    # 4. shard 0 comes back; its agents click again; each ends with exactly one answer
    processes[0] = await start(0)
    await env.wait_for_shards(2, processes)
    assert all(await _click_again(env, coaching_post, coaching_agents, ledger))
    for process in processes:
        assert await stop_bot(process) == 0

    await _check(ledger, postgres_url)
    for post, team in ((coaching_post, coaching_agents), (returns_post, returns_agents)):
        assert set(await _stored_answers(postgres_url, _post_id(post))) == {a.id for a in team}
    for channel in (coaching, returns):  # one quiz per server and day, whatever the kill
        assert len([m for m in env.sent_messages(channel) if is_quiz_post(m)]) == 1
    for shard in (0, 1):
        log = (tmp_path / f"shard{shard}.log").read_text(encoding="utf-8")
        assert log_problems(log) == []
