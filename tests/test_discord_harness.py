"""Tests of the fake Discord itself, driven by a tiny real discord.py bot defined here."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.discord_harness import (
    APP_ID,
    GUILD_ID,
    DiscordEnv,
    buttons,
    describe_problems,
    discord_env_fixture,  # noqa: F401  (provides the `discord_env` fixture)
)

REPO = Path(__file__).resolve().parents[1]
TOPICS = ["yellow card", "yelling customer", "refund policy"]


# ---- the tiny bot --------------------------------------------------------------------------


class EchoView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Again", custom_id="echo:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        interaction.client.clicks += 1  # type: ignore[attr-defined]
        content = interaction.message.content if interaction.message else "?"
        await interaction.response.edit_message(
            content=f"{content} (again, {interaction.user.display_name})"
        )

    @discord.ui.button(label="Nope", custom_id="echo:nope", disabled=True)
    async def nope(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("unreachable")

    @discord.ui.select(
        custom_id="echo:tone",
        options=[
            discord.SelectOption(label="Calm", value="calm"),
            discord.SelectOption(label="Warm", value="warm"),
        ],
    )
    async def tone(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(f"tone: {select.values[0]}", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="What went well?", custom_id="feedback:text")
    rating = discord.ui.TextInput(
        label="Rating 1-5", custom_id="feedback:rating", required=False, max_length=1
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        rating = self.rating.value or "no rating"
        await interaction.response.send_message(
            f"Thanks {interaction.user.display_name}: {self.text.value} ({rating})", ephemeral=True
        )


@app_commands.command(name="echo", description="Repeat text privately")
async def echo(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(text, view=EchoView(), ephemeral=True)


@app_commands.command(name="feedback", description="Give feedback")
async def feedback(interaction: discord.Interaction) -> None:
    await interaction.response.send_modal(FeedbackModal(custom_id="feedback:modal"))


async def topic_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=t, value=t) for t in TOPICS if current.lower() in t]


@app_commands.command(name="topic", description="Show a topic")
@app_commands.autocomplete(name=topic_names)
async def topic(interaction: discord.Interaction, name: str) -> None:
    await interaction.response.send_message(f"Topic: {name}")


quiz = app_commands.Group(name="quiz", description="Quiz controls")


@quiz.command(name="pause", description="Pause the quiz")
async def pause(interaction: discord.Interaction, days: app_commands.Range[int, 1, 30]) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    await interaction.followup.send(f"Quiz paused for {days} days")


@app_commands.command(name="whois", description="Who is this agent")
@app_commands.default_permissions(manage_guild=True)
async def whois(interaction: discord.Interaction, member: discord.Member) -> None:
    roles = ", ".join(r.name for r in member.roles[1:]) or "no roles"
    await interaction.response.send_message(f"{member.display_name}: {roles}")


@app_commands.command(name="boom", description="Fails")
async def boom(interaction: discord.Interaction) -> None:
    raise RuntimeError("kaboom")


class TinyBot(commands.Bot):
    def __init__(self, sync: str = "global") -> None:
        intents = discord.Intents.default()  # no message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.1,
            help_command=None,
        )
        self.sync_mode, self.clicks, self.seen = sync, 0, []

    async def setup_hook(self) -> None:
        self.add_view(EchoView())
        guild = discord.Object(GUILD_ID) if self.sync_mode == "guild" else None
        for cmd in (echo, feedback, topic, quiz, whois, boom):
            self.tree.add_command(cmd, guild=guild)
        if self.sync_mode != "none":
            await self.tree.sync(guild=guild)

    async def on_message(self, message: discord.Message) -> None:  # no prefix commands
        if message.author.bot:
            return
        self.seen.append(message.content)
        if message.guild is None:
            await message.channel.send(f"DM received: {message.content}")
        elif self.user in message.mentions:
            said = message.content.replace(self.user.mention, "").strip()
            await message.reply(f"Hi {message.author.display_name}! You said: {said}")


def make_bot(sync: str = "global") -> TinyBot:
    return TinyBot(sync)


# ---- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sync", ["global", "guild", "none"])
async def test_slash_replies_ephemerally_with_a_button(discord_env: DiscordEnv, sync: str):
    env = discord_env
    bot = make_bot(sync)
    await env.connect(bot)

    record = await env.slash("echo", text="hello")

    assert record.callback["type"] == 4
    assert record.callback["data"]["flags"] == 64
    assert record.callback["data"]["allowed_mentions"] == {"parse": []}
    assert record.ephemeral and record.content == "hello"
    custom_ids = [b["custom_id"] for b in buttons(record.message)]
    assert custom_ids == ["echo:again", "echo:nope"]
    [callback] = env.requests_to("POST", "/interactions/{interaction_id}/{token}/callback")
    assert callback.query == {"with_response": "1"} and callback.json == record.callback
    puts = [r for r in env.requests if r.method == "PUT"]
    if sync == "none":
        assert puts == []
    else:
        assert [c["name"] for c in puts[0].json] == [
            "echo",
            "feedback",
            "topic",
            "quiz",
            "whois",
            "boom",
        ]
        assert ("guilds" in puts[0].path) == (sync == "guild")
        assert ("guild_id" in record.payload["data"]) == (sync == "guild")
    # The handshake the bot saw: its intents, a guild with everyone in it, no chunking.
    assert env.identifies[0]["intents"] == bot.intents.value
    guild = bot.get_guild(GUILD_ID)
    assert guild is not None and guild.member_count == len(env.members)
    assert bot.user.id == APP_ID and guild.get_channel(env.channel.id).name == "coaching"


async def test_clicks_and_selects_reach_the_view(discord_env: DiscordEnv):
    env = discord_env
    await env.connect(make_bot())
    record = await env.slash("echo", text="hello")

    clicked = await env.click(record, "Again")  # by label
    assert clicked.callback["type"] == 7
    assert clicked.payload["data"] == {"custom_id": "echo:again", "component_type": 2}
    assert clicked.payload["message"]["id"] == record.message["id"]
    assert clicked.message is record.message and record.content == "hello (again, Ada)"

    again = await env.click(record, "echo:again", user=env.ada)  # by custom_id, edited message
    assert again.content == "hello (again, Ada) (again, Ada)"

    picked = await env.select(record, "echo:tone", values=["warm"])
    assert picked.callback["type"] == 4 and picked.content == "tone: warm" and picked.ephemeral

    with pytest.raises(AssertionError, match="disabled"):
        await env.click(record, "Nope")
    with pytest.raises(AssertionError, match="No component 'Missing'"):
        await env.click(record, "Missing")
    with pytest.raises(AssertionError, match="not options"):
        await env.select(record, "echo:tone", values=["angry"])
    with pytest.raises(AssertionError, match="cannot see"):
        await env.click(record, "Again", user=env.ben)  # someone else's ephemeral message


async def test_click_after_a_restart_reaches_the_new_bot(discord_env: DiscordEnv):
    env = discord_env
    first = make_bot()
    await env.connect(first)
    record = await env.slash("echo", text="persist me")
    await env.disconnect()
    assert first.is_closed()

    second = make_bot()
    await env.connect(second)
    clicked = await env.click(record, "echo:again")

    assert (first.clicks, second.clicks) == (0, 1)
    assert clicked.callback["type"] == 7
    assert env.messages[int(record.message["id"])]["content"] == "persist me (again, Ada)"
    assert len(env.identifies) == 2


async def test_modal_submit_reaches_on_submit(discord_env: DiscordEnv):
    env = discord_env
    await env.connect(make_bot())
    opened = await env.slash("feedback", user=env.ben)
    assert opened.callback["type"] == 9
    assert opened.modal["custom_id"] == "feedback:modal" and opened.message is None

    with pytest.raises(AssertionError, match="no field"):
        await env.submit_modal(opened, {"feedback:text": "x", "feedback:mood": "y"})
    with pytest.raises(AssertionError, match="required"):
        await env.submit_modal(opened, {"feedback:rating": "5"})

    submitted = await env.submit_modal(opened, {"feedback:text": "Calm voice"})
    assert submitted.type == 5 and submitted.callback["type"] == 4
    assert submitted.content == "Thanks Ben: Calm voice (no rating)" and submitted.ephemeral
    rows = submitted.payload["data"]["components"]
    assert rows[0]["components"][0] == {
        "type": 4,
        "custom_id": "feedback:text",
        "value": "Calm voice",
    }


async def test_autocomplete_returns_the_bots_choices(discord_env: DiscordEnv):
    env = discord_env
    await env.connect(make_bot())

    choices = await env.autocomplete("topic", "name", "yel")

    assert choices == [
        {"name": "yellow card", "value": "yellow card"},
        {"name": "yelling customer", "value": "yelling customer"},
    ]
    [option] = env.interactions[-1].payload["data"]["options"]
    assert option == {"name": "name", "type": 3, "value": "yel", "focused": True}
    shown = await env.slash("topic", name=choices[0]["value"])
    assert shown.content == "Topic: yellow card" and not shown.ephemeral


async def test_subcommand_defer_then_followup(discord_env: DiscordEnv):
    env = discord_env
    await env.connect(make_bot())

    record = await env.slash("quiz pause", days=3)

    assert record.callback == {"type": 5, "data": {"flags": 64}}
    [sub] = record.payload["data"]["options"]
    assert sub["name"] == "pause" and sub["options"] == [{"name": "days", "type": 4, "value": 3}]
    # The first followup replaced the "thinking..." message and kept it ephemeral.
    assert record.followups == [record.message]
    assert record.content == "Quiz paused for 3 days" and record.ephemeral
    assert record.message["flags"] == 64
    with pytest.raises(AssertionError, match="between 1 and 30"):
        await env.slash("quiz pause", days=99)
    with pytest.raises(AssertionError, match="needs a subcommand"):
        await env.slash("quiz")
    with pytest.raises(AssertionError, match="no option 'weeks'"):
        await env.slash("quiz pause", days=1, weeks=2)


async def test_user_options_resolve_and_permissions_hide_commands(discord_env: DiscordEnv):
    env = discord_env
    await env.connect(make_bot())

    record = await env.slash("whois", member=env.trainer, user=env.manager)

    assert record.content == "Tara: Trainer"
    assert record.payload["data"]["resolved"]["users"][str(env.trainer.id)]["global_name"] == "Tara"
    with pytest.raises(AssertionError, match="Ada cannot see /whois"):
        await env.slash("whois", member=env.trainer, user=env.ada)
    owner_view = await env.slash("whois", member=env.ada, user=env.owner)
    assert owner_view.content == "Ada: no roles"


async def test_mentions_and_dms_get_replies(discord_env: DiscordEnv):
    env = discord_env
    bot = make_bot()
    await env.connect(bot)

    [reply] = await env.say("how do I refund?", mentions=[env.bot_user], user=env.ben)
    assert reply["content"] == "Hi Ben! You said: how do I refund?"
    user_message = env.history(env.channel)[0]
    assert reply["message_reference"]["message_id"] == user_message["id"]
    [sent] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert sent.json["allowed_mentions"] == {"parse": []}
    assert env.sent_messages(env.channel) == [reply]

    # No message_content intent: a message without a mention arrives with empty content.
    assert await env.say("just chatting", expect_reply=False) == []
    assert bot.seen[-1] == ""

    [dm_reply] = await env.dm("hello there", user=env.ada)
    dm_channel = env.dm_channel(env.ada)
    assert dm_reply["content"] == "DM received: hello there"
    assert dm_reply["channel_id"] == str(dm_channel.id)
    assert "guild_id" not in env.history(dm_channel)[0]


async def test_unknown_endpoints_are_reported(discord_env: DiscordEnv):
    env = discord_env
    bot = make_bot()
    await env.connect(bot)

    route = discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=GUILD_ID)
    with pytest.raises(discord.NotFound):
        await bot.http.request(route)
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{env.base_url}/api/v10/nope") as resp,
    ):
        assert resp.status == 404
        assert resp.headers["Content-Type"] == "application/json"
        assert await resp.json() == {"message": "404: Not Found", "code": 0}

    assert [str(r) for r in env.unexpected] == [f"GET /guilds/{GUILD_ID}/bans", "GET /nope"]
    problems = env.take_problems()
    assert len(problems) == 2 and "does not know: GET /guilds" in problems[0]
    assert env.problems() == []


async def test_handler_exceptions_are_reported(discord_env: DiscordEnv):
    env = discord_env
    await env.connect(make_bot())

    with pytest.raises(AssertionError, match="finished handling the /boom without responding"):
        await env.slash("boom")

    problems = env.take_problems()
    assert len(problems) == 1
    assert "ERROR logged by 'discord.app_commands.tree'" in problems[0]
    assert "RuntimeError: kaboom" in problems[0]


def test_the_checker_picks_errors_of_watched_loggers_only():
    def record(name: str, level: int) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, "trouble in %s", (name,), None)

    records = [
        record("discord", logging.ERROR),
        record("discord.client", logging.CRITICAL),
        record("cogs.ask", logging.ERROR),
        record("coachbot", logging.ERROR),
        record("discord.gateway", logging.WARNING),
        record("discordx", logging.ERROR),
        record("aiohttp.access", logging.ERROR),
    ]
    problems = describe_problems(records, ["GET /x"])
    assert problems == [
        "ERROR logged by 'discord': trouble in discord",
        "CRITICAL logged by 'discord.client': trouble in discord.client",
        "ERROR logged by 'cogs.ask': trouble in cogs.ask",
        "ERROR logged by 'coachbot': trouble in coachbot",
        "the bot called an endpoint the fake Discord does not know: GET /x",
    ]


async def test_a_bot_in_another_process_is_driven_through_point_discord_at():
    env = DiscordEnv(timeout=10)
    await env.start()
    code = (
        "import asyncio, sys\n"
        "from tests.discord_harness import point_discord_at\n"
        "point_discord_at(sys.argv[1])\n"
        "from tests.test_discord_harness import make_bot\n"
        "asyncio.run(make_bot().start(sys.argv[2]))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        env.base_url,
        env.token,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        await env.wait_for_bot(process=process)
        record = await env.slash("echo", text="from afar")
        assert record.callback["data"]["flags"] == 64 and record.content == "from afar"
        clicked = await env.click(record, "echo:again")
        assert clicked.content == "from afar (again, Ada)"
    finally:
        process.terminate()
        await process.wait()
        await env.stop()
    assert env.problems() == []
