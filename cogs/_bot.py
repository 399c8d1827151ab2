"""The Discord adapter's root: the bot class, its factory, and the `coachbot run` / `sync` loops."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import pkgutil
import re
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

import cogs
from coachbot.adapters import Adapter
from coachbot.app import App
from coachbot.errors import CoachError
from coachbot.settings import Settings
from cogs._errors import reply_privately, report

log = logging.getLogger(__name__)

EXPIRED = "That button has expired. Ask again or try `/topics`."
BAD_TOKEN = (
    "Discord refused the token in DISCORD_TOKEN. Copy a fresh one from the Developer Portal "
    "(your application -> Bot -> Reset Token) into .env and try again."
)
UNREACHABLE = "Could not reach Discord ({reason}). Check the network connection and try again."
PRIVILEGED = (
    "Discord asked for a privileged intent that CoachBot does not use. "
    "Update CoachBot, or switch the intent on in the Developer Portal."
)
MEMBERS_REFUSED = (
    "COACHBOT_MEMBERS_INTENT=1 needs the Server Members Intent: switch it on in the Developer "
    "Portal (your application -> Bot -> Privileged Gateway Intents), or unset "
    "COACHBOT_MEMBERS_INTENT."
)


def extension_names() -> list[str]:
    """Every module in cogs/ except the private ones (leading underscore) is an extension."""
    return sorted(
        f"cogs.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


def minimal_intents() -> discord.Intents:
    """No privileged intents: mentions and DMs carry their content without message_content."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    return intents


def bot_intents(settings: Settings) -> discord.Intents:
    """The minimal intents, plus the privileged members intent when the owner opted in: only
    with it does Discord send the member list, whose names the debrief scrubber removes."""
    intents = minimal_intents()
    intents.members = settings.members_intent
    return intents


class CoachTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report(interaction, error)


class CoachBot(commands.Bot):
    def __init__(self, app: App, settings: Settings, **options: Any) -> None:
        # CoachBot never joins voice: skip discord.py's warnings about missing voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        options.setdefault("intents", bot_intents(settings))
        # with the members intent, fetch every server's member list at start (and keep it
        # current from member events), so the scrubber knows every teammate's name
        options.setdefault("chunk_guilds_at_startup", settings.members_intent)
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        options.setdefault("help_command", None)
        super().__init__(command_prefix=(), tree_cls=CoachTree, **options)
        self.app = app
        self.settings = settings
        self.force_sync = False
        self._custom_id_patterns: list[re.Pattern[str]] = []

    def add_dynamic_items(self, *items: Any) -> None:
        super().add_dynamic_items(*items)
        self._custom_id_patterns += [item.__discord_ui_compiled_template__ for item in items]

    def claims(self, custom_id: str) -> bool:
        return any(pattern.fullmatch(custom_id) for pattern in self._custom_id_patterns)

    async def setup_hook(self) -> None:
        await sync_commands(self, force=self.force_sync)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: questions in messages are handled by the ask cog's listener."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A button no pattern claims (forged, or from an older version) still gets a reply."""
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = (interaction.data or {}).get("custom_id")
        if not isinstance(custom_id, str) or not self.claims(custom_id):
            await reply_privately(interaction, EXPIRED)


def _finish_now(step: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never waits (extension setup only adds cogs) without a loop."""
    try:
        step.send(None)
    except StopIteration as done:
        return done.value
    step.close()
    raise RuntimeError("an extension's setup() must not wait on I/O")


class ShardedCoachBot(CoachBot, commands.AutoShardedBot):
    """CoachBot on one gateway connection per shard (COACHBOT_SHARD_COUNT/_IDS): each carries
    only its servers, so quizzes and digests are posted by channel id (cogs._poster)."""


def create_bot(app: App, settings: Settings, **client_options: Any) -> CoachBot:
    """Build the bot and load every extension in cogs/, without logging in: a plain call (no
    await), like slack_adapter's create_slack_app. Sharded when the settings say so
    (CoachError if they are mistyped)."""
    sharding = settings.sharding
    if sharding is None:
        bot = CoachBot(app, settings, **client_options)
    else:
        client_options.setdefault("shard_count", sharding.count)
        if sharding.ids is not None:
            client_options.setdefault("shard_ids", list(sharding.ids))
        bot = ShardedCoachBot(app, settings, **client_options)
    for name in extension_names():
        _finish_now(bot.load_extension(name))
    return bot


def _commands_fingerprint(bot: CoachBot) -> str:
    payload = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


async def sync_commands(bot: CoachBot, *, force: bool) -> None:
    """Sync slash commands: instantly to the dev guild if set, else globally when they changed."""
    guild_id = bot.settings.dev_guild_id
    target = discord.Object(id=guild_id) if guild_id else None
    if target is not None:
        bot.tree.copy_global_to(guild=target)
    key = f"commands:{guild_id or 'global'}"
    fingerprint = _commands_fingerprint(bot)
    meta = bot.app.meta
    if not force and await meta.get(key) == fingerprint:
        log.info("slash commands unchanged; not syncing")
        return
    synced = await bot.tree.sync(guild=target)
    await meta.put(key, fingerprint)
    log.info(
        "synced %d slash commands to %s",
        len(synced),
        f"guild {guild_id}" if guild_id else "every server",
    )


async def _start(bot: CoachBot, token: str, *, connect: bool) -> None:
    privileged = MEMBERS_REFUSED if bot.intents.members else PRIVILEGED
    try:
        async with bot:
            if connect:
                await bot.start(token)
            else:
                await bot.login(token)
    except discord.LoginFailure as exc:
        raise CoachError(BAD_TOKEN) from exc
    except discord.PrivilegedIntentsRequired as exc:
        raise CoachError(privileged) from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise CoachError(UNREACHABLE.format(reason=type(exc).__name__)) from exc


def _announce_ready(bot: CoachBot):
    async def on_ready() -> None:
        servers = len(bot.guilds)
        print(
            f"Connected to Discord as {bot.user} in {servers} server"
            f"{'' if servers == 1 else 's'}{_shards_shown(bot)}. Stop with Ctrl+C.",
            file=sys.stderr,
            flush=True,
        )

    return on_ready


def _shards_shown(bot: CoachBot) -> str:
    """` on shards 0, 1 of 4` for a sharded bot: the servers counted are those shards' only."""
    if not isinstance(bot, ShardedCoachBot):
        return ""
    ids = sorted(bot.shards)
    return f" on shard{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids))} of {bot.shard_count}"


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop for the bot when it is installed (not on Windows): the same asyncio API with less
    work per event and socket, which a shift of 200 asks a second feels. None means asyncio's
    own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


async def serve(app: App, settings: Settings, stop: asyncio.Event) -> None:
    """Serve Discord on `app` until `stop` is set (SIGTERM/SIGINT, docker stop; the bot closes)
    or Discord closes us. The core owns the App, the signals and the store's closing."""
    bot = create_bot(app, settings)
    bot.add_listener(_announce_ready(bot), "on_ready")
    gc.freeze()  # the knowledge base and the bot live as long as the process: no more scans
    closing = asyncio.ensure_future(_close_when(stop, bot))
    try:
        await _start(bot, settings.discord_token or "", connect=True)
        log.info("disconnected; closing the store")
    finally:
        if stop.is_set():  # the close it started finishes first
            await asyncio.gather(closing, return_exceptions=True)
        else:  # Discord closed us, or connecting failed: nothing to wait for
            closing.cancel()


async def _close_when(stop: asyncio.Event, bot: CoachBot) -> None:
    await stop.wait()
    await bot.close()


async def sync_now(settings: Settings, **client_options: Any) -> int:
    """`coachbot sync`: log in, push the slash commands whether or not they changed, leave."""
    app = await App.create(settings)
    try:
        bot = create_bot(app, settings, **client_options)
        bot.force_sync = True
        await _start(bot, settings.discord_token or "", connect=False)
    finally:
        await app.close()
    print("Slash commands synced.")
    return 0


# The core finds Discord through this (pyproject.toml: the `coachbot.adapters` entry points).
ADAPTER = Adapter(
    name="discord",
    serve=serve,
    loop_factory=event_loop_factory,
    sync=sync_now,
)
