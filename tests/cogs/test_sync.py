"""Slash commands reach Discord: the dev guild instantly, otherwise globally, only on change."""

from __future__ import annotations

import asyncio
import os

from cogs._bot import create_bot
from tests.cogs.conftest import CLIENT_OPTIONS, process_environment
from tests.discord_harness import DiscordEnv

GUILD_PUT = ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands")
GLOBAL_PUT = ("PUT", "/applications/{app_id}/commands")


async def test_commands_sync_to_the_dev_guild_and_not_again_when_unchanged(
    discord_env: DiscordEnv, app, bot_settings
):
    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    await discord_env.disconnect()
    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    await discord_env.disconnect()

    [sync] = discord_env.requests_to(*GUILD_PUT)
    assert discord_env.requests_to(*GLOBAL_PUT) == []
    names = sorted(command["name"] for command in sync.json)
    assert names == ["ask", "coach", "debrief", "help", "kb", "me", "quiz", "tip", "topics"]


async def test_without_a_dev_guild_commands_sync_globally(discord_env: DiscordEnv, app, settings):
    await discord_env.connect(create_bot(app, settings, **CLIENT_OPTIONS))
    reply = await discord_env.slash("ask", question="customer threatens to post a bad review")
    await discord_env.disconnect()

    assert len(discord_env.requests_to(*GLOBAL_PUT)) == 1
    assert discord_env.requests_to(*GUILD_PUT) == []
    assert reply.embeds[0]["title"].startswith("Customer posts")


async def test_coachbot_sync_pushes_the_commands_even_when_unchanged(
    discord_env: DiscordEnv, tmp_path
):
    environment = process_environment(discord_env, tmp_path / "data", discord_env.token)
    for _ in range(2):
        process = await asyncio.create_subprocess_exec(
            *discord_env.bot_command("sync"),
            cwd=tmp_path,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        assert out.decode().strip() == "Slash commands synced."
    assert len(discord_env.requests_to(*GUILD_PUT)) == 2
    assert os.path.exists(tmp_path / "data" / "coachbot.sqlite3")
