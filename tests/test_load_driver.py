"""The load driver: many agents at once against the real bot, and the child-process knobs."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cogs._bot import create_bot
from tests.bot_process import shifted_clock
from tests.discord_harness import GUILD_ID, buttons
from tests.load_driver import (
    LoadDiscord,
    answer_counted,
    answer_refused,
    is_quiz_post,
    log_problems,
    start_bot,
)


@pytest.fixture
async def load_env(app, settings) -> AsyncIterator[LoadDiscord]:
    env = LoadDiscord(response_timeout=5.0)
    await env.start()
    try:
        bot = create_bot(app, replace(settings, dev_guild_id=GUILD_ID), guild_ready_timeout=0.1)
        await env.connect(bot)
        yield env
        await env.disconnect()
    finally:
        await env.stop()
    assert env.problems() == []


async def test_forty_agents_ask_at_once_and_each_gets_one_answer(load_env: LoadDiscord):
    agents = load_env.agents(40)
    replies = await asyncio.gather(
        *(load_env.send_slash("ask", user=a, question="customer keeps shouting") for a in agents)
    )
    assert all(r.callback_type == 4 and r.ephemeral and r.embeds for r in replies)
    assert {r.user.id for r in replies} == {a.id for a in agents}
    assert all(r.response_seconds > 0 for r in replies)


async def test_double_clicks_from_thirty_agents_count_once_each(load_env: LoadDiscord, app):
    await load_env.slash("quiz now", user=load_env.trainer)
    post = await load_env.wait_for_message(load_env.channel, is_quiz_post, timeout=1)
    choice = buttons(post)[0]["custom_id"]
    agents = load_env.agents(30)

    clicks = await asyncio.gather(
        *(load_env.send_click(post, choice, user=a) for a in agents for _ in range(2))
    )

    counted = Counter(r.user.id for r in clicks if answer_counted(r))
    refused = Counter(r.user.id for r in clicks if answer_refused(r))
    assert counted == refused == Counter({a.id: 1 for a in agents})
    async with app.database.connection.execute("SELECT COUNT(*) FROM quiz_answers") as cursor:
        assert await cursor.fetchone() == (30,)


async def test_with_the_bot_gone_a_click_returns_unanswered_at_once(load_env: LoadDiscord):
    reply = await load_env.slash("quiz practice")
    await load_env.disconnect()
    loop = asyncio.get_running_loop()
    began = loop.time()

    late = await load_env.send_click(reply, buttons(reply.message)[0]["custom_id"], user=reply.user)

    assert late.callback is None
    assert loop.time() - began < load_env.response_timeout


async def test_waiting_for_a_message_that_never_comes_fails_clearly(load_env: LoadDiscord):
    with pytest.raises(AssertionError, match="posted no such message in #coaching"):
        await load_env.wait_for_message(load_env.channel, is_quiz_post, timeout=0.05)


def test_log_problems_finds_errors_in_every_log_format_and_nothing_else():
    log = "\n".join(
        [
            "ts=2026-11-23T08:00:00Z level=error logger=cogs.errors event=boom",
            '{"ts": "2026-11-23T08:00:00Z", "level": "critical", "event": "down"}',
            "2026-11-23 08:00:00,000 ERROR coachbot: old style",
            "Traceback (most recent call last):",
            "ts=2026-11-23T08:00:00Z level=warning logger=cogs.quiz event=late",
            'ts=2026-11-23T08:00:00Z level=warning event="could not deliver an error reply"',
            "Connected to Discord as coachbot in 1 server. Stop with Ctrl+C.",
            "ts=2026-11-23T08:00:00Z level=info event=errors_counted",
        ]
    )
    assert len(log_problems(log)) == 4
    assert not any("warning" in line or "Connected" in line for line in log_problems(log))
    assert log_problems("level=info event=x\nlevel=warning event=y") == []


def test_a_shifted_clock_starts_where_asked_and_keeps_running():
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    clock = shifted_clock(start)
    first, second = clock(), clock()
    assert timedelta(0) <= first - start < timedelta(seconds=1)
    assert second >= first and first.tzinfo is not None
    with pytest.raises(ValueError, match="time zone"):
        shifted_clock(datetime(2026, 11, 23, 9, 0))


async def test_an_interaction_goes_to_the_process_running_its_servers_shard(app, settings):
    env = LoadDiscord(response_timeout=5.0)
    env.shard_count = 2
    home = (GUILD_ID >> 22) % 2
    _, far = env.add_guild("Returns", shard=(1 - home, 2))
    await env.start()
    try:
        for shard in (home, 1 - home):  # the far shard connects last: the newest connection
            sharded = replace(settings, shard_count="2", shard_ids=str(shard))
            await env.connect(create_bot(app, sharded, guild_ready_timeout=0.1))
        agent = env.agents(1)[0]
        sessions = {session.shard[0]: session for session in env._live}
        events = {shard: session.seq for shard, session in sessions.items()}

        near = await env.send_slash("ask", user=agent, question="customer keeps shouting")
        away = await env.send_slash(
            "ask", user=agent, channel=far, question="customer keeps shouting"
        )

        assert near.embeds and away.embeds
        sent = {shard: session.seq - events[shard] for shard, session in sessions.items()}
        assert sent == {home: 1, 1 - home: 1}  # each on the shard carrying its server
        await env.disconnect()
    finally:
        await env.stop()


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")
async def test_a_bot_process_starts_on_the_cores_it_was_given(tmp_path):
    env = LoadDiscord()
    await env.start()
    try:
        core = max(os.sched_getaffinity(0))
        process = await start_bot(env, tmp_path / "data", tmp_path / "bot.log", cpus={core})
        try:
            assert os.sched_getaffinity(process.pid) == {core}
        finally:
            process.kill()
            await process.wait()
    finally:
        await env.stop()
