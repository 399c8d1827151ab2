"""The fake Discord is honest about sharding: GET /gateway/bot recommends ``env.shard_count``,
a connection that identifies with ``shard: [id, count]`` carries only the servers with
``(guild_id >> 22) % count == id`` (DMs: shard 0), each shard has its own websocket, and an
impossible shard ends the connection (4010)."""

from __future__ import annotations

import aiohttp
import discord

from tests.discord_harness import (
    GUILD_ID,
    DiscordEnv,
    discord_env_fixture,  # noqa: F401  (provides the `discord_env` fixture)
)


class _Sharded(discord.AutoShardedClient):
    """Records which shard each message arrived on; answers DMs and mentions."""

    def __init__(self, **options) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.1, **options)
        self.arrivals: list[tuple[str, int | None]] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Discord spaces identifies 5 s apart; the fake does not need that."""

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        shard = message.guild.shard_id if message.guild else None
        said = message.content.replace(self.user.mention, "").strip() if self.user else ""
        self.arrivals.append((said, shard))
        await message.channel.send("seen")


def _shard_of(guild_id: int, count: int) -> int:
    return (guild_id >> 22) % count


async def test_one_process_running_the_recommended_shards_sees_every_server(
    discord_env: DiscordEnv,
):
    env = discord_env
    env.shard_count = 2
    _, far = env.add_guild("Returns", shard=(1 - _shard_of(GUILD_ID, 2), 2))
    client = _Sharded()  # shard_count unset: ask GET /gateway/bot
    await env.connect(client)

    assert client.shard_count == 2
    assert sorted(i["shard"] for i in env.identifies) == [[0, 2], [1, 2]]
    assert len(env._sessions) == 2  # one websocket per shard
    shards = {guild.id: guild.shard_id for guild in client.guilds}
    assert shards == {GUILD_ID: _shard_of(GUILD_ID, 2), far.guild_id: _shard_of(far.guild_id, 2)}
    await env.disconnect()


async def test_two_processes_split_the_servers_and_events_reach_the_carrying_shard(
    discord_env: DiscordEnv,
):
    env = discord_env
    home = _shard_of(GUILD_ID, 2)
    _, far = env.add_guild("Returns", shard=(1 - home, 2))
    clients = {shard: _Sharded(shard_count=2, shard_ids=[shard]) for shard in (0, 1)}
    for client in clients.values():
        await env.connect(client)

    for shard, client in clients.items():
        expected = {GUILD_ID} if shard == home else {far.guild_id}
        assert {guild.id for guild in client.guilds} == expected

    [reply] = await env.say("hello far", channel=far, mentions=[env.bot_user])
    await env.say("hello home", channel=env.channel, mentions=[env.bot_user])
    await env.dm("hello dm")
    assert reply["content"] == "seen"
    assert clients[1 - home].arrivals == [("hello far", 1 - home)]
    assert ("hello home", home) in clients[home].arrivals
    assert ("hello dm", None) in clients[0].arrivals  # Discord sends DMs to shard 0
    await env.disconnect()


async def test_an_unsharded_bot_gets_every_server(discord_env: DiscordEnv):
    env = discord_env
    _, other = env.add_guild("Billing")
    client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.1)
    await env.connect(client)
    assert {guild.id for guild in client.guilds} == {GUILD_ID, other.guild_id}
    assert client.get_channel(other.id) is not None
    await env.disconnect()


async def test_an_impossible_shard_is_refused_with_4010(discord_env: DiscordEnv):
    env = discord_env
    async with aiohttp.ClientSession() as session, session.ws_connect(env.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        identify = {"token": env.token, "intents": 1, "properties": {}, "shard": [2, 2]}
        await ws.send_json({"op": 2, "d": identify})
        closing = await ws.receive()
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws.close_code == 4010
