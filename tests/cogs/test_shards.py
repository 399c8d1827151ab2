"""Two CoachBot processes, one Discord shard each, one database: each process's gateway carries
half the servers, yet every server gets each day's quiz exactly once, its results when the
window closes, and its debrief digest, whichever process happens to claim the work."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.store.database import Database
from cogs._bot import ShardedCoachBot, create_bot
from tests.cogs.conftest import CLIENT_OPTIONS, button_ids, process_environment
from tests.discord_harness import DiscordEnv, FakeChannel, message_text

EPHEMERAL = 64
DEBRIEF = {
    "what_happened": "The customer shouted about a late parcel for ten minutes.",
    "what_tried": "I let them vent, then said I understood why the delay upset them.",
    "what_worked": "Giving a firm delivery date calmed them down.",
    "next_time": "I would check the tracking before I pick up.",
    "topic": "",
}


@dataclass
class Process:
    """One `coachbot run` with COACHBOT_SHARD_COUNT=2 and COACHBOT_SHARD_IDS=<shard>."""

    shard: int
    bot: ShardedCoachBot

    async def tick(self) -> None:
        """What the process's quiz and digest timers do every minute."""
        await self.bot.get_cog("QuizCog").tick()  # type: ignore[union-attr]
        await self.bot.get_cog("DebriefCog").tick()  # type: ignore[union-attr]


@pytest.fixture
async def floors(discord_env: DiscordEnv) -> dict[int, list[FakeChannel]]:
    """Four servers, two on each shard: Support Floor (shard 0) and three more."""
    discord_env.shard_count = 2
    channels = {0: [discord_env.channel], 1: []}
    for name, shard in (("Billing", 0), ("Returns", 1), ("Night Shift", 1)):
        _, channel = discord_env.add_guild(name, shard=(shard, 2))
        channels[shard].append(channel)
    return channels


@pytest.fixture
async def processes(
    discord_env: DiscordEnv, floors, app, bot_settings, live_knowledge, clock
) -> AsyncIterator[list[Process]]:
    """Shard 0 on the test's app, shard 1 on its own App and connection to the same database
    (two processes share nothing but the store); slash commands global, as in production."""
    shared = replace(bot_settings, dev_guild_id=None, multi_process=True, shard_count="2")
    second_db = await Database.open(bot_settings.database_path)
    second_app = App(bot_settings, live_knowledge, second_db, clock)
    started = []
    try:
        for shard, application in ((0, app), (1, second_app)):
            settings = replace(shared, shard_ids=str(shard))
            bot = create_bot(application, settings, **CLIENT_OPTIONS)
            assert isinstance(bot, ShardedCoachBot)
            await discord_env.connect(bot)
            started.append(Process(shard, bot))
        yield started
    finally:
        await discord_env.disconnect()
        await second_app.close()


def _public(env: DiscordEnv, channel: FakeChannel) -> list[dict]:
    return [m for m in env.sent_messages(channel) if not m.get("flags", 0) & EPHEMERAL]


def _all(floors: dict[int, list[FakeChannel]]) -> list[FakeChannel]:
    return floors[0] + floors[1]


async def test_each_shard_identifies_on_its_own_socket_and_sees_half_the_servers(
    discord_env: DiscordEnv, floors, processes
):
    assert [i["shard"] for i in discord_env.identifies] == [[0, 2], [1, 2]]
    assert len(discord_env._sessions) == 2  # one websocket per shard
    for process in processes:
        seen = {guild.id for guild in process.bot.guilds}
        assert seen == {channel.guild_id for channel in floors[process.shard]}
        other = floors[1 - process.shard][0]
        assert process.bot.get_channel(other.id) is None  # the other shard's server


async def test_every_server_gets_each_days_quiz_once_and_its_results(
    discord_env: DiscordEnv, floors, processes, clock
):
    local = clock.now + timedelta(hours=1)  # Berlin is UTC+1 in November
    for channel in _all(floors):
        reply = await discord_env.slash(
            "quiz subscribe",
            user=discord_env.trainer,
            channel=channel,
            time=f"{local:%H:%M}",
            timezone="Europe/Berlin",
            window_hours=2,
        )
        assert reply.ephemeral and "Mon–Fri" in reply.content, reply.content
    shard0, shard1 = processes

    await shard0.tick()  # claims every server's quiz, shard 1's servers included
    await shard1.tick()
    await shard0.tick()
    for channel in _all(floors):
        [post] = _public(discord_env, channel)
        assert button_ids(post), channel

    far = floors[1][0]  # a server shard 0 does not carry: its clicks reach shard 1
    [post] = _public(discord_env, far)
    answered = await discord_env.click(post, button_ids(post)[0], user=discord_env.ada)
    assert answered.ephemeral and answered.embeds

    clock.now += timedelta(hours=3)  # the window closed
    await shard1.tick()  # closes every server's quiz, shard 0's servers included
    await shard0.tick()
    for channel in _all(floors):
        [closed] = _public(discord_env, channel)
        assert button_ids(closed) == [], channel
        assert closed["edited_timestamp"] is not None
    assert "1 answered" in message_text(_public(discord_env, far)[0])

    clock.now += timedelta(days=1) - timedelta(hours=3)  # Tuesday, the same time
    await shard1.tick()  # this time shard 1 is first
    await shard0.tick()
    for channel in _all(floors):
        assert len(_public(discord_env, channel)) == 2, channel  # one quiz a day

    posts = discord_env.requests_to("POST", "/channels/{channel_id}/messages")
    assert all(p.status == 200 for p in posts)
    assert all(p.json["allowed_mentions"] == {"parse": []} for p in posts)


async def _debrief(env: DiscordEnv, channel: FakeChannel, user) -> None:
    form = await env.slash("debrief write", user=user, channel=channel)
    preview = await env.submit_modal(form, DEBRIEF, user=user)
    done = await env.click(preview, "Submit anonymously", user=user)
    assert done.ephemeral


async def test_every_server_gets_its_debrief_digest_from_whichever_shard_claims_it(
    discord_env: DiscordEnv, floors, processes, clock
):
    teams = [floors[0][0], floors[1][0]]  # one server on each shard
    for channel in teams:
        await discord_env.slash(
            "debrief channel",
            user=discord_env.trainer,
            channel=channel,
            time=f"{clock.now:%H:%M}",
            timezone="UTC",
        )
        for user in (discord_env.ada, discord_env.ben, discord_env.manager):
            await _debrief(discord_env, channel, user)
    shard0, shard1 = processes

    await shard1.tick()  # claims both digests, shard 0's server included
    await shard0.tick()

    for channel in teams:
        [digest] = _public(discord_env, channel)
        assert len(digest["embeds"]) == 3
        assert "Tough call" in message_text(digest) and "Max" not in message_text(digest)


async def _run(env: DiscordEnv, tmp_path: Path, **shards: str) -> asyncio.subprocess.Process:
    environment = {**process_environment(env, tmp_path / "data", env.token), **shards}
    return await asyncio.create_subprocess_exec(
        *env.bot_command("run"),
        cwd=tmp_path,
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_coachbot_run_connects_the_shards_the_settings_name(
    discord_env: DiscordEnv, floors, tmp_path
):
    process = await _run(discord_env, tmp_path, COACHBOT_SHARD_COUNT="2", COACHBOT_SHARD_IDS="1")
    try:
        await discord_env.wait_for_bot(timeout=60, process=process)
        assert process.stderr is not None
        ready = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
        assert ready.startswith("Connected to Discord as coachbot in 2 servers on shard 1 of 2.")
        assert [i["shard"] for i in discord_env.identifies] == [[1, 2]]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()


async def test_a_mistyped_shard_setting_stops_run_with_one_line(discord_env: DiscordEnv, tmp_path):
    process = await _run(discord_env, tmp_path, COACHBOT_SHARD_COUNT="2", COACHBOT_SHARD_IDS="2")
    _, err = await asyncio.wait_for(process.communicate(), 60)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert process.returncode == 1
    assert len(lines) == 1 and "numbered 0 to 1" in lines[0], lines
    assert discord_env.identifies == []  # never connected
