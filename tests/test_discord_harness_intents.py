"""The fake Discord is honest about intents: the member list only with the members intent, and
a privileged intent that is off in the Developer Portal ends the connection (4014)."""

from __future__ import annotations

import json

import discord
import pytest

from tests.discord_harness import (
    APP_ID,
    GUILD_ID,
    INTENT_MEMBERS,
    DiscordEnv,
    discord_env_fixture,  # noqa: F401  (provides the `discord_env` fixture)
)


class _Client(discord.Client):
    """A client that keeps the member ids of every GUILD_CREATE the gateway sent it."""

    def __init__(self, *, members: bool) -> None:
        intents = discord.Intents.default()  # guilds and messages; no privileged intent
        intents.members = members
        super().__init__(intents=intents, guild_ready_timeout=0.1, enable_debug_events=True)
        self.sent_members: list[list[int]] = []

    async def on_socket_raw_receive(self, raw: str) -> None:
        event = json.loads(raw)
        if event.get("t") == "GUILD_CREATE":
            self.sent_members.append([int(m["user"]["id"]) for m in event["d"]["members"]])


def _client(*, members: bool) -> _Client:
    return _Client(members=members)


async def test_without_the_members_intent_discord_sends_only_the_bot_itself(
    discord_env: DiscordEnv,
):
    client = _client(members=False)
    await discord_env.connect(client)
    guild = client.get_guild(GUILD_ID)

    assert client.sent_members == [[APP_ID]]
    assert guild is not None and guild.member_count == len(discord_env.members)
    assert [m.id for m in guild.members] == [APP_ID]
    await discord_env.disconnect()


async def test_with_the_members_intent_the_bot_knows_every_member(discord_env: DiscordEnv):
    client = _client(members=True)
    await discord_env.connect(client)
    guild = client.get_guild(GUILD_ID)

    assert guild is not None and guild.chunked
    assert sorted(m.id for m in guild.members) == sorted(u.id for u in discord_env.members)
    await discord_env.disconnect()


async def test_a_privileged_intent_switched_off_in_the_portal_is_refused(discord_env: DiscordEnv):
    discord_env.portal_intents &= ~INTENT_MEMBERS
    client = _client(members=True)

    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with client:
            await client.start(discord_env.token)
