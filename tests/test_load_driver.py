"""The load driver: many agents at once against the real bot, and the child-process knobs."""

from __future__ import annotations

import asyncio
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
