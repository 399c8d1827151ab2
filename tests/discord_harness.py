"""A fake Discord on loopback that a real, unchanged discord.py bot connects to.

One aiohttp server on 127.0.0.1 serves both the REST API (``/api/v10/...``) and the websocket
gateway (``/gateway/``). ``point_discord_at`` re-points discord.py at it, the bot logs in and
identifies exactly as it would against Discord, and tests talk to it like a user would::

    async def test_ask(discord_env):
        bot = create_bot(app, settings, guild_ready_timeout=0.1)  # small timeout: fast READY
        await discord_env.connect(bot)
        reply = await discord_env.slash("ask", question="refund", user=discord_env.ada)
        assert reply.ephemeral and "refund" in message_text(reply.message)

Every conversation call returns once the bot has finished responding (its handler tasks are
done and no more requests arrive) and fails with a clear ``AssertionError`` within
``env.timeout`` seconds otherwise. Every request the bot made is in ``env.requests`` with the
exact JSON it sent. The ``discord_env`` fixture fails the test if discord.py, ``cogs`` or
``coachbot`` logged an ERROR, if the bot hit an endpoint this fake does not know, or if the
fake rejected a request as Discord would (400/401).

Get the ``discord_env`` fixture with ``from tests.discord_harness import discord_env_fixture  #
noqa: F401`` (importing it as ``discord_env`` works too, but then ruff reports F811 on every
test taking a ``discord_env`` parameter; ``pytest_plugins = ["tests.discord_harness"]`` works
but warns that the module cannot be assertion-rewritten if the test module also imports it).

Sharding is honest: ``env.shard_count`` is what ``GET /gateway/bot`` recommends, a bot that
identifies with ``shard: [id, count]`` gets only the servers with ``(guild_id >> 22) % count ==
id``, each shard has its own websocket, and events of a server go to the shard that carries it
(DMs to shard 0). ``env.add_guild(name, shard=(1, 2))`` adds a server with a text channel; several
sharded bots (each with its own shards) may be connected at once, as separate processes would.

For the real entry point in a subprocess, start ``env.bot_command("run")`` with
``DISCORD_TOKEN=env.token`` in its environment, then ``await env.wait_for_bot(process=proc)``;
conversation calls then wait for the bot to go quiet instead of watching its tasks.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
import sys
import time
import traceback
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import discord.webhook.async_
import pytest_asyncio
import yarl
from aiohttp import web

from tests.fake_platform import running

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

GATEWAY_PATH = "/gateway/"
HEARTBEAT_MS = 41_250  # as Discord; the harness asks for heartbeats when it needs them
DISCORD_EPOCH_MS = 1_420_070_400_000
WATCHED_LOGGERS = ("discord", "cogs", "coachbot")
# Names discord.py gives the tasks that run handlers for one gateway event.
HANDLER_TASK_PREFIXES = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
    "discord.py: ",
)
QUIET = 0.02  # after the handlers finished: let stray requests land
IDLE_GRACE = 0.25  # handlers still running but silent this long: assume they wait for a user
EXTERNAL_QUIET = 0.2  # bot in another process: silence this long means it is done

EPHEMERAL, LOADING, COMPONENTS_V2 = 1 << 6, 1 << 7, 1 << 15
SENDABLE_FLAGS = EPHEMERAL | 1 << 2 | 1 << 12 | COMPONENTS_V2  # suppress embeds/notifications
INTENT_GUILDS, INTENT_GUILD_MESSAGES, INTENT_DMS, INTENT_CONTENT = 1, 1 << 9, 1 << 12, 1 << 15
INTENT_MEMBERS, INTENT_PRESENCES = 1 << 1, 1 << 8
PRIVILEGED_INTENTS = INTENT_MEMBERS | INTENT_PRESENCES | INTENT_CONTENT

APP_ID = 1_300_000_000_000_000_001  # the bot user's id is the application id, as on Discord
GUILD_ID = 1_300_000_000_000_000_010
ALL_PERMISSIONS = discord.Permissions.all().value
EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_external_emojis=True,
    use_application_commands=True,
).value


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


class _Snowflakes:
    """Increasing, time-based snowflake ids (so ``created_at`` is sensible)."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> int:
        self._last = max(self._last + 1, (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22)
        return self._last

    def skip_to(self, used: int) -> None:
        """Never hand out ``used`` (an id picked by hand) or anything below it again."""
        self._last = max(self._last, used)


# --------------------------------------------------------------------------------------------
# Pointing discord.py at the fake
# --------------------------------------------------------------------------------------------


def point_discord_at(base_url: str) -> Callable[[], None]:
    """Send discord.py's REST, webhook and gateway traffic to ``base_url`` (``http://host:port``).

    Returns a function that restores the real endpoints. Works in any process: the subprocess
    entry point at the bottom of this module uses it before running ``coachbot``.
    """
    root = base_url.rstrip("/")
    api = f"{root}/api/v{discord.http.INTERNAL_API_VERSION}"
    gateway = yarl.URL(root).with_scheme("ws").with_path(GATEWAY_PATH)
    targets: list[tuple[Any, str, Any]] = [
        (discord.http.Route, "BASE", api),
        # Interaction callbacks and followups go through the webhook adapter's Route.
        (discord.webhook.async_.Route, "BASE", api),
        (discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway),
        # The fake asks for a heartbeat after every event to know when the bot has parsed it;
        # real Discord does not, so lift the client's 110-sends-per-minute budget (otherwise a
        # benchmark or load test would stall for a minute after ~110 events).
        (discord.gateway.GatewayRatelimiter.__init__, "__defaults__", (1_000_000, 60.0)),
    ]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in targets]
    for obj, name, value in targets:
        setattr(obj, name, value)

    def restore() -> None:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)

    return restore


# --------------------------------------------------------------------------------------------
# The world: users, roles, channels
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    bot_id: int | None = None  # managed role of a bot

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.bot_id is not None,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeUser:
    id: int
    name: str
    bot: bool = False
    roles: list[FakeRole] = field(default_factory=list)

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def display_name(self) -> str:
        return self.name

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name.lower(),
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
        }


@dataclass(eq=False)
class FakeChannel:
    id: int
    name: str
    type: int = 0  # 0 guild text, 1 DM
    guild_id: int | None = None
    recipient: FakeUser | None = None
    position: int = 0

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_dm(self) -> bool:
        return self.type == 1

    def to_json(self) -> dict[str, Any]:
        if self.is_dm:
            assert self.recipient is not None
            recipients = [self.recipient.to_json()]
            return {"id": str(self.id), "type": 1, "recipients": recipients, "flags": 0}
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeGuild:
    id: int
    name: str
    owner_id: int


# --------------------------------------------------------------------------------------------
# Records: requests, interactions, message helpers
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class RecordedRequest:
    """One REST request the bot made, with the JSON it sent and what the fake answered."""

    method: str
    path: str  # below /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    files: list[dict[str, Any]] = field(default_factory=list)
    route: str | None = None  # the matched template, e.g. "/channels/{channel_id}/messages"
    status: int = 0
    response: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(eq=False)
class InteractionRecord:
    """An interaction the fake sent and everything the bot answered to it."""

    id: int
    token: str
    type: int  # 2 command, 3 component, 4 autocomplete, 5 modal submit
    payload: dict[str, Any]  # the INTERACTION_CREATE data
    user: FakeUser
    channel: FakeChannel
    callback: dict[str, Any] | None = None  # {"type": ..., "data": ...} exactly as posted
    followups: list[dict[str, Any]] = field(default_factory=list)
    message: dict[str, Any] | None = None  # the message the response created or updated
    sent_at: float = 0.0  # perf_counter() when INTERACTION_CREATE went out on the gateway
    answered_at: float = 0.0  # perf_counter() when the callback request arrived

    @property
    def response_seconds(self) -> float:
        """Gateway event to callback request: the latency a user feels, for benchmarks."""
        return self.answered_at - self.sent_at

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else self.callback.get("type")

    @property
    def data(self) -> dict[str, Any]:
        return ((self.callback or {}).get("data")) or {}

    @property
    def _shown(self) -> dict[str, Any]:
        return self.message if self.message is not None else self.data

    @property
    def ephemeral(self) -> bool:
        return bool((self._shown.get("flags") or 0) & EPHEMERAL)

    @property
    def content(self) -> str:
        return self._shown.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self._shown.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self._shown.get("components") or []

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete answer (callback type 8)."""
        return self.data.get("choices") or []

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (callback type 9)."""
        return self.data if self.callback_type == 9 else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The response message and the followups, oldest first, each once."""
        seen: dict[str, dict[str, Any]] = {}
        for msg in [self.message, *self.followups]:
            if msg is not None:
                seen.setdefault(msg["id"], msg)
        return list(seen.values())


def iter_components(components: Iterable[dict[str, Any]] | None) -> Iterator[dict[str, Any]]:
    """Every component, depth first, including those nested in rows, sections and labels."""
    for comp in components or ():
        yield comp
        yield from iter_components(comp.get("components"))
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                yield from iter_components([comp[key]])


def message_text(message: dict[str, Any]) -> str:
    """Everything a user reads in a message: content, embeds and text components."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or ():
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for f in embed.get("fields") or ():
            parts += [f.get("name") or "", f.get("value") or ""]
        parts.append((embed.get("footer") or {}).get("text") or "")
    parts += [c.get("content") or "" for c in iter_components(message.get("components"))]
    return "\n".join(p for p in parts if p)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in iter_components(message.get("components")) if c.get("type") == 2]


# --------------------------------------------------------------------------------------------
# Problems: ERROR logs, unknown endpoints, rejected requests
# --------------------------------------------------------------------------------------------


class ErrorLogCollector(logging.Handler):
    """Keeps every ERROR (or worse) record of the watched loggers."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def install(self) -> None:
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).addHandler(self)

    def uninstall(self) -> None:
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).removeHandler(self)


def _watched(logger_name: str) -> bool:
    return any(logger_name == w or logger_name.startswith(w + ".") for w in WATCHED_LOGGERS)


def describe_problems(
    records: Iterable[logging.LogRecord],
    unexpected: Iterable[object] = (),
    rejected: Iterable[object] = (),
) -> list[str]:
    """The checker the fixture runs at teardown: one line (plus traceback) per problem."""
    problems = []
    for record in records:
        if record.levelno < logging.ERROR or not _watched(record.name):
            continue
        text = f"{record.levelname} logged by {record.name!r}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        problems.append(text)
    problems += [
        f"the bot called an endpoint the fake Discord does not know: {u}" for u in unexpected
    ]
    for req in rejected:
        detail = getattr(req, "response", None)
        problems.append(
            f"the fake Discord rejected {req} with {getattr(req, 'status', '?')}: {detail}"
        )
    return problems


# --------------------------------------------------------------------------------------------
# REST plumbing
# --------------------------------------------------------------------------------------------


class _ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, errors: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.body = status, {"message": message, "code": code}
        if errors:
            self.body["errors"] = errors


def _invalid(problems: list[tuple[str, str]]) -> _ApiError:
    errors = {path: {"_errors": [{"code": "HARNESS", "message": msg}]} for path, msg in problems}
    return _ApiError(400, 50035, "Invalid Form Body", errors)


def _json_response(data: Any, status: int = 200) -> web.Response:
    # Not web.json_response: it adds "; charset=utf-8" and discord.py only decodes JSON when the
    # Content-Type is exactly "application/json".
    return web.Response(
        status=status, body=json.dumps(data).encode(), content_type="application/json"
    )


_ROUTES: list[tuple[str, str, str]] = [
    ("GET", "/users/@me", "_get_me"),
    ("POST", "/users/@me/channels", "_create_dm"),
    ("GET", "/users/{user_id}", "_get_user"),
    ("GET", "/gateway", "_get_gateway"),
    ("GET", "/gateway/bot", "_get_gateway"),
    ("GET", "/oauth2/applications/@me", "_get_application"),
    ("GET", "/applications/@me", "_get_application"),
    ("GET", "/applications/{app_id}/commands", "_get_commands"),
    ("PUT", "/applications/{app_id}/commands", "_put_commands"),
    ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", "_get_commands"),
    ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", "_put_commands"),
    ("GET", "/channels/{channel_id}", "_get_channel"),
    ("POST", "/channels/{channel_id}/messages", "_post_message"),
    ("GET", "/channels/{channel_id}/messages/{message_id}", "_get_message"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}", "_patch_message"),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", "_delete_message"),
    ("POST", "/channels/{channel_id}/typing", "_typing"),
    ("GET", "/guilds/{guild_id}/members/{user_id}", "_get_member"),
    ("POST", "/interactions/{interaction_id}/{token}/callback", "_callback"),
    ("POST", "/webhooks/{app_id}/{token}", "_followup"),
    ("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", "_webhook_message"),
    ("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", "_webhook_message"),
    ("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", "_webhook_message"),
]
_COMPILED = [
    (method, re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", t) + "$"), t, name)
    for method, t, name in _ROUTES
]
_NO_AUTH_PREFIXES = ("/interactions/", "/webhooks/")


def _validate_message(msg: dict[str, Any]) -> None:
    """Discord's limits that bite in production: lengths, counts, unique custom_ids, emptiness."""
    problems: list[tuple[str, str]] = []
    content = msg.get("content") or ""
    if len(content) > 2000:
        problems.append(("content", f"Must be 2000 or fewer in length (got {len(content)})."))
    embeds = msg.get("embeds") or []
    if len(embeds) > 10:
        problems.append(("embeds", "Must be 10 or fewer in length."))
    total = 0
    for i, embed in enumerate(embeds):
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            size = len(embed.get(key) or "")
            total += size
            if size > limit:
                problems.append((f"embeds.{i}.{key}", f"Must be {limit} or fewer in length."))
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append((f"embeds.{i}.fields", "Must be 25 or fewer in length."))
        for j, f in enumerate(fields):
            for key, limit in (("name", 256), ("value", 1024)):
                size = len(f.get(key) or "")
                total += size
                if not size or size > limit:
                    problems.append((f"embeds.{i}.fields.{j}.{key}", f"Must be 1 to {limit} long."))
        total += len((embed.get("footer") or {}).get("text") or "")
    if total > 6000:
        problems.append(("embeds", "Embed size exceeds maximum size of 6000"))
    components = msg.get("components") or []
    problems += _component_problems(components, v2=bool((msg.get("flags") or 0) & COMPONENTS_V2))
    if problems:
        raise _invalid(problems)
    if not (content.strip() or embeds or components or msg.get("attachments") or msg.get("poll")):
        raise _ApiError(400, 50006, "Cannot send an empty message")


def _component_problems(
    components: list[dict[str, Any]], *, v2: bool = False
) -> list[tuple[str, str]]:
    problems = []
    if not v2 and len(components) > 5:
        problems.append(("components", "Must be 5 or fewer in length."))
    seen: set[str] = set()
    for comp in iter_components(components):
        custom_id, kind = comp.get("custom_id"), comp.get("type")
        if custom_id is not None:
            if len(custom_id) > 100:
                problems.append(("components", f"custom_id {custom_id!r} is over 100 long."))
            if custom_id in seen:
                problems.append(("components", f"custom_id {custom_id!r} is used twice."))
            seen.add(custom_id)
        if kind == 1 and len(comp.get("components") or []) > 5:
            problems.append(("components", "An action row holds at most 5 components."))
        if kind == 2:
            if len(comp.get("label") or "") > 80:
                problems.append(("components", f"Button label {comp['label']!r} is over 80 long."))
            link = comp.get("style") == 5
            if link != bool(comp.get("url")) or (not link and custom_id is None):
                problems.append(("components", "A button needs a custom_id, or a url (link)."))
        if kind == 3 and not 1 <= len(comp.get("options") or []) <= 25:
            problems.append(("components", f"Select {custom_id!r} needs 1 to 25 options."))
    return problems


# --------------------------------------------------------------------------------------------
# Gateway session
# --------------------------------------------------------------------------------------------


class _GatewaySession:
    """One websocket connection from a bot."""

    def __init__(self, ws: web.WebSocketResponse, session_id: str) -> None:
        self.ws, self.session_id = ws, session_id
        self.seq = 0
        self.acked_seq = 0  # highest sequence the bot reported in a heartbeat
        self.intents = 0
        self.identified = False
        self.shard: tuple[int, int] | None = None  # [id, count] from IDENTIFY; None: unsharded
        self._lock = asyncio.Lock()  # frames leave in sequence order

    async def send(self, op: int, d: Any, t: str | None = None) -> int:
        async with self._lock:
            if op == 0:
                self.seq += 1
            payload = {"op": op, "d": d, "s": self.seq if op == 0 else None, "t": t}
            await self.ws.send_str(json.dumps(payload))
            return self.seq

    async def dispatch(self, event: str, data: Any) -> int:
        return await self.send(0, data, event)

    def carries(self, guild_id: int | None) -> bool:
        """Whether Discord sends this server's events here (DMs: shard 0 only)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return shard_id == 0 if guild_id is None else (guild_id >> 22) % count == shard_id


@dataclass
class _Turn:
    """One event sent to the bot, and what we need to know when it has been handled."""

    what: str
    snapshot: set[asyncio.Task[Any]]
    session: _GatewaySession | None
    seq: int
    request_index: int
    log_index: int


# --------------------------------------------------------------------------------------------
# The fake Discord
# --------------------------------------------------------------------------------------------


class DiscordEnv:
    """Fake Discord server plus a conversation API. See the module docstring."""

    def __init__(self, *, timeout: float = 5.0, token: str = "harness-token") -> None:
        self.timeout, self.token = timeout, token
        self._ids = _Snowflakes()
        # World
        self.everyone_role = FakeRole(GUILD_ID, "@everyone", EVERYONE_PERMISSIONS)
        self.trainer_role = FakeRole(GUILD_ID + 30, "Trainer", EVERYONE_PERMISSIONS, 1)
        manage = discord.Permissions(manage_guild=True).value | EVERYONE_PERMISSIONS
        self.manager_role = FakeRole(GUILD_ID + 31, "Manager", manage, 2)
        bot_perms = EVERYONE_PERMISSIONS | discord.Permissions(manage_messages=True).value
        self.bot_role = FakeRole(GUILD_ID + 32, "CoachBot", bot_perms, 3, bot_id=APP_ID)
        self.roles = [self.everyone_role, self.trainer_role, self.manager_role, self.bot_role]
        self.bot_user = FakeUser(APP_ID, "CoachBot", bot=True, roles=[self.bot_role])
        self.ada = FakeUser(GUILD_ID + 101, "Ada")
        self.ben = FakeUser(GUILD_ID + 102, "Ben")
        self.trainer = FakeUser(GUILD_ID + 103, "Tara", roles=[self.trainer_role])
        self.manager = FakeUser(GUILD_ID + 104, "Max", roles=[self.manager_role])
        self.owner = FakeUser(GUILD_ID + 105, "Olive")
        self.members = [self.bot_user, self.ada, self.ben, self.trainer, self.manager, self.owner]
        self.users = {u.id: u for u in self.members}
        self.guild = FakeGuild(GUILD_ID, "Support Floor", owner_id=self.owner.id)
        self.guilds: dict[int, FakeGuild] = {self.guild.id: self.guild}
        self.shard_count = 1  # what GET /gateway/bot recommends
        self.channel = FakeChannel(GUILD_ID + 20, "coaching", guild_id=GUILD_ID, position=0)
        self.other_channel = FakeChannel(GUILD_ID + 21, "trainers", guild_id=GUILD_ID, position=1)
        self.channels: dict[int, FakeChannel] = {
            c.id: c for c in (self.channel, self.other_channel)
        }
        self.dm_channels: dict[int, FakeChannel] = {}
        self._joined_at = _now_iso()
        # The privileged intents switched on for the application in the Developer Portal; a bot
        # asking for one that is off is disconnected with 4014, as Discord does.
        self.portal_intents = PRIVILEGED_INTENTS
        # Records
        self.requests: list[RecordedRequest] = []
        self.unexpected: list[Any] = []
        self.rejected: list[RecordedRequest] = []
        self.interactions: list[InteractionRecord] = []
        self.identifies: list[dict[str, Any]] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.attachments: dict[int, bytes] = {}
        self.commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self._synced = False
        self._command_ids: dict[tuple[int | None, str], int] = {}
        self._history: dict[int, list[dict[str, Any]]] = {}
        self._bot_log: list[dict[str, Any]] = []
        self._deleted: set[int] = set()
        self._by_id: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        # Machinery
        self._collector = ErrorLogCollector()
        self._sessions: list[_GatewaySession] = []
        self._live: list[_GatewaySession] = []  # identified and open, oldest first
        self._runner: web.AppRunner | None = None
        self._restore: Callable[[], None] | None = None
        self._bots: list[tuple[discord.Client, asyncio.Task[None]]] = []
        self._pulse: asyncio.Future[None] | None = None
        self._last_activity = 0.0
        self.base_url = ""

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on a free loopback port, point discord.py at it, start collecting ERROR logs."""
        loop = asyncio.get_running_loop()
        self._pulse = loop.create_future()
        self._collector.install()
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self._gateway)
        app.router.add_route("*", "/api/v{version}/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.gateway_url = str(yarl.URL(self.base_url).with_scheme("ws").with_path(GATEWAY_PATH))
        self._restore = point_discord_at(self.base_url)

    async def stop(self) -> None:
        """Close the bot (if connected), the server and the patches; keep the records."""
        try:
            if self._bot is not None:
                await self.disconnect()
            for session in list(self._sessions):
                await session.ws.close()
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None
        finally:
            if self._restore is not None:
                self._restore()
                self._restore = None
            self._collector.uninstall()

    @property
    def _session(self) -> _GatewaySession | None:
        """The newest identified connection (unsharded: the only one)."""
        return self._live[-1] if self._live else None

    @property
    def _bot(self) -> discord.Client | None:
        return self._bots[0][0] if self._bots else None

    def _session_for(self, guild_id: int | None) -> _GatewaySession | None:
        """The connection Discord would send this server's events on (a DM's: shard 0's)."""
        return next((s for s in reversed(self._live) if s.carries(guild_id)), None)

    def add_guild(
        self, name: str, *, shard: tuple[int, int] | None = None
    ) -> tuple[FakeGuild, FakeChannel]:
        """A new server (same members and roles as Support Floor, its own @everyone) with one
        text channel; ``shard=(id, count)`` picks an id that shard carries. Add it before the
        bot connects (there is no GUILD_CREATE for servers joined later)."""
        guild_id = self._ids()
        while shard is not None and (guild_id >> 22) % shard[1] != shard[0]:
            guild_id += 1 << 22
        self._ids.skip_to(guild_id)
        guild = FakeGuild(guild_id, name, owner_id=self.owner.id)
        self.guilds[guild_id] = guild
        channel = FakeChannel(self._ids(), "coaching", guild_id=guild_id)
        self.channels[channel.id] = channel
        return guild, channel

    def _roles_of(self, guild: FakeGuild) -> list[FakeRole]:
        if guild is self.guild:
            return self.roles
        return [FakeRole(guild.id, "@everyone", EVERYONE_PERMISSIONS), *self.roles[1:]]

    async def connect(self, bot: discord.Client) -> None:
        """Start ``bot.start(token)`` and return once it is ready and its startup work is done.
        Several bots may be connected when each runs its own shards (as processes would)."""
        sharded = [getattr(b, "shard_ids", None) is not None for b, _ in self._bots]
        assert all(sharded) and (not sharded or getattr(bot, "shard_ids", None) is not None), (
            "a bot is already connected; await env.disconnect() first (several bots connect "
            "only when each runs its own shard_ids)"
        )
        ready_timeout = getattr(getattr(bot, "_connection", None), "guild_ready_timeout", 0)
        assert ready_timeout <= 1, (
            f"guild_ready_timeout is {ready_timeout}s, so every connect waits that long: pass "
            "guild_ready_timeout=0.1 (create_bot(app, settings, guild_ready_timeout=0.1))"
        )
        turn = self._begin("connecting the bot")
        task = asyncio.create_task(bot.start(self.token), name="discord-harness: bot")
        self._bots.append((bot, task))
        deadline = asyncio.get_running_loop().time() + self.timeout
        while not bot.is_ready():
            if task.done():
                self._bots.remove((bot, task))
                error = task.exception() if not task.cancelled() else "cancelled"
                await bot.close()
                raise AssertionError(
                    f"The bot stopped while connecting: {error!r}{self._diag(turn)}"
                )
            if asyncio.get_running_loop().time() > deadline:
                await self.disconnect()
                raise AssertionError(
                    f"The bot was not ready after {self.timeout:g}s{self._diag(turn)}"
                )
            await asyncio.sleep(0.01)
        turn.session = self._session
        await self._barrier(turn)
        await self._finish(turn)

    async def disconnect(self) -> None:
        """Close the bot(s); the fake keeps its state (messages, interactions) for the next."""
        bots, self._bots = self._bots, []
        if not bots:
            return
        for bot, task in bots:
            await bot.close()
            await asyncio.wait_for(task, self.timeout)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while self._live and loop.time() < deadline:  # the fake saw them go
            await self._changed([], deadline - loop.time())

    async def wait_for_bot(
        self, timeout: float = 15.0, *, process: asyncio.subprocess.Process | None = None
    ) -> None:
        """For a bot in another process: wait until it identified and went quiet. Pass its
        ``process`` to fail at once if it exits instead."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        exited = asyncio.ensure_future(process.wait()) if process is not None else None
        try:
            while self._session is None:
                if exited is not None and exited.done():
                    raise AssertionError(f"The bot process exited with {exited.result()}")
                if loop.time() > deadline:
                    raise AssertionError(f"No bot identified within {timeout:g}s")
                await self._changed([exited] if exited else [], deadline - loop.time())
        finally:
            if exited is not None:
                exited.cancel()
        await self._finish(self._begin("the bot's startup"))

    def bot_command(self, *coachbot_args: str) -> list[str]:
        """argv running ``coachbot <args>`` against this fake (set DISCORD_TOKEN=env.token)."""
        return [sys.executable, "-m", "tests.discord_harness", self.base_url, *coachbot_args]

    # ---- problems --------------------------------------------------------------------------

    def problems(self) -> list[str]:
        return describe_problems(self._collector.records, self.unexpected, self.rejected)

    def take_problems(self) -> list[str]:
        """Return the problems and forget them (for tests that provoke them on purpose)."""
        found = self.problems()
        self._collector.records.clear()
        self.unexpected.clear()
        self.rejected.clear()
        return found

    # ---- queries ---------------------------------------------------------------------------

    def sent_messages(self, channel: FakeChannel | int) -> list[dict[str, Any]]:
        """Messages the bot sent in a channel (still existing), oldest first."""
        channel_id = getattr(channel, "id", channel)
        return [m for m in self.history(channel_id) if int(m["author"]["id"]) == APP_ID]

    def history(self, channel: FakeChannel | int) -> list[dict[str, Any]]:
        """Every message in a channel, users' and the bot's, oldest first."""
        channel_id = getattr(channel, "id", channel)
        return [m for m in self._history.get(channel_id, []) if int(m["id"]) not in self._deleted]

    def requests_to(self, method: str, route: str) -> list[RecordedRequest]:
        """Requests matching a route template, e.g. ("POST", "/channels/{channel_id}/messages")."""
        return [r for r in self.requests if r.method == method and r.route == route]

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        if user.id not in self.dm_channels:
            channel = FakeChannel(self._ids(), f"dm-{user.name.lower()}", type=1, recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return self.dm_channels[user.id]

    def permissions(self, user: FakeUser) -> int:
        if user.id == self.guild.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone_role.permissions
        for role in user.roles:
            value |= role.permissions
        return ALL_PERMISSIONS if value & discord.Permissions(administrator=True).value else value

    # ---- conversation API ------------------------------------------------------------------

    async def slash(
        self,
        command: str,
        /,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        options: dict[str, Any] | None = None,
        **values: Any,
    ) -> InteractionRecord:
        """Run ``/command`` (``"quiz pause"`` for subcommands). Options named like ``user`` or
        ``channel`` go in ``options={...}``. Returns once the bot has answered."""
        user, channel = user or self.ada, channel or self.channel
        data = self._command_data(command, {**values, **(options or {})}, user, channel)
        record = self._new_interaction(2, data, user, channel)
        return await self._interact(record, f"/{command}")

    async def autocomplete(
        self,
        command: str,
        option: str,
        value: str,
        /,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        options: dict[str, Any] | None = None,
        **values: Any,
    ) -> list[dict[str, Any]]:
        """Type ``value`` into ``option`` of ``/command``; returns the choices the bot offered."""
        user, channel = user or self.ada, channel or self.channel
        filled = {**values, **(options or {}), option: value}
        data = self._command_data(command, filled, user, channel, focused=option)
        record = self._new_interaction(4, data, user, channel)
        record = await self._interact(record, f"autocomplete of {option!r} in /{command}")
        return record.choices

    async def click(
        self, target: Any, button: str, /, *, user: FakeUser | None = None
    ) -> InteractionRecord:
        """Click a button (by custom_id or label) the bot sent in ``target`` (a message, a list
        of messages, or an InteractionRecord; the newest message with that button wins). The
        user defaults to whoever triggered the message's interaction, else Ada."""
        message, comp = self._find_component(target, button, kinds=(2,))
        if comp.get("style") == 5:
            raise AssertionError(
                f"Button {button!r} is a link to {comp.get('url')}; it cannot be clicked"
            )
        data = {"custom_id": comp["custom_id"], "component_type": 2}
        return await self._component_interaction(message, data, user, f"click on {button!r}")

    async def select(
        self, target: Any, custom_id: str, /, values: list[Any], *, user: FakeUser | None = None
    ) -> InteractionRecord:
        """Choose ``values`` in a select menu the bot sent (see ``click`` for ``target``)."""
        message, comp = self._find_component(target, custom_id, kinds=(3, 5, 6, 7, 8))
        raw, resolved = self._select_values(comp, values)
        data: dict[str, Any] = {
            "custom_id": custom_id,
            "component_type": comp["type"],
            "values": raw,
        }
        if resolved:
            data["resolved"] = resolved
        return await self._component_interaction(message, data, user, f"selection in {custom_id!r}")

    async def submit_modal(
        self, record: InteractionRecord, values: dict[str, Any], /, *, user: FakeUser | None = None
    ) -> InteractionRecord:
        """Fill in and submit the modal the bot opened in answer to ``record``."""
        modal = record.modal
        if modal is None:
            raise AssertionError(f"The bot did not open a modal (callback: {record.callback})")
        components = self._modal_components(modal, dict(values))
        data = {"custom_id": modal["custom_id"], "components": components}
        message = record.payload.get("message")
        submit = self._new_interaction(5, data, user or record.user, record.channel, message)
        return await self._interact(submit, f"submit of modal {modal['custom_id']!r}")

    async def say(
        self,
        content: str,
        /,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        mentions: Iterable[FakeUser] = (),
        expect_reply: bool = True,
        reply_channel: FakeChannel | None = None,
    ) -> list[dict[str, Any]]:
        """Post a message in a guild channel (mentioned users are put in the text if absent).

        Returns the bot's new messages in ``reply_channel`` (default: the same channel); with
        ``expect_reply=False`` it waits for the bot to settle and returns whatever it sent.
        """
        user, channel = user or self.ada, channel or self.channel
        for mentioned in mentions:
            if mentioned.mention not in content and f"<@!{mentioned.id}>" not in content:
                content = f"{mentioned.mention} {content}"
        return await self._post_as_user(
            content, user, channel, expect_reply, reply_channel or channel
        )

    async def dm(
        self, content: str, /, *, user: FakeUser | None = None, expect_reply: bool = True
    ) -> list[dict[str, Any]]:
        """Send the bot a direct message; returns its new messages in that DM."""
        user = user or self.ada
        channel = self.dm_channel(user)
        return await self._post_as_user(content, user, channel, expect_reply, channel)

    # ---- turns: dispatching and waiting ----------------------------------------------------

    def _notify(self) -> None:
        """Wake every waiter: something changed (a request, a heartbeat, a connection)."""
        self._last_activity = asyncio.get_running_loop().time()
        pulse, self._pulse = self._pulse, asyncio.get_running_loop().create_future()
        if pulse is not None and not pulse.done():
            pulse.set_result(None)

    def _begin(self, what: str, session: _GatewaySession | None = None) -> _Turn:
        self._notify()
        return _Turn(
            what,
            set(asyncio.all_tasks()),
            session or self._session,
            0,
            len(self.requests),
            len(self._collector.records),
        )

    async def _send_event(self, event: str, data: Any, what: str, guild_id: int | None) -> _Turn:
        session = self._session_for(guild_id)
        if session is None:
            where = f"server {guild_id}" if guild_id else "DMs"
            raise AssertionError(
                f"No connected bot (or none of its shards) receives {what} of {where}; "
                "await env.connect(bot)"
            )
        turn = self._begin(what, session)
        turn.seq = await session.dispatch(event, data)
        await self._barrier(turn)
        return turn

    async def _barrier(self, turn: _Turn) -> None:
        """Ask for a heartbeat: its sequence tells us when the bot has parsed our event (and
        created the tasks that handle it)."""
        if turn.session is not None:
            turn.seq = max(turn.seq, turn.session.seq)
            if not turn.session.ws.closed:
                await turn.session.send(1, None)

    def _pending_handlers(self, turn: _Turn) -> list[asyncio.Task[Any]] | None:
        """Handler tasks of this turn still running; None when unknown (bot in another process,
        or it has not yet parsed the event)."""
        if self._bot is None or turn.session is None or turn.session.acked_seq < turn.seq:
            return None
        return [
            t
            for t in asyncio.all_tasks()
            if t not in turn.snapshot
            and not t.done()
            and t.get_name().startswith(HANDLER_TASK_PREFIXES)
        ]

    async def _await(self, turn: _Turn, predicate: Callable[[], bool], what: str) -> None:
        """Wait until ``predicate()``; fail fast if the bot's handlers finish without it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while not predicate():
            pending = self._pending_handlers(turn)
            if pending == []:
                await self._quiet(QUIET)
                if predicate():
                    return
                raise AssertionError(
                    f"The bot finished handling the {turn.what} without {what}.{self._diag(turn)}"
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"Timed out after {self.timeout:g}s waiting for {what} after the {turn.what}."
                    f"{self._diag(turn)}"
                )
            await self._changed(pending or [], remaining)

    async def _finish(self, turn: _Turn) -> None:
        """Let the bot finish: its handler tasks end (or stay silent for IDLE_GRACE, e.g. while
        awaiting view.wait()), then a short quiet period."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while loop.time() < deadline:
            pending = self._pending_handlers(turn)
            if pending == []:
                break
            limit = IDLE_GRACE if pending else EXTERNAL_QUIET
            gap = loop.time() - self._last_activity
            if gap >= limit:
                break
            await self._changed(pending or [], limit - gap)
        await self._quiet(QUIET)

    async def _changed(self, tasks: list[asyncio.Future[Any]], timeout: float) -> None:
        """Sleep until something happens (a request, a heartbeat, a handler task ending)."""
        assert self._pulse is not None
        waiting = [self._pulse, *tasks]
        await asyncio.wait(waiting, timeout=max(timeout, 0), return_when=asyncio.FIRST_COMPLETED)

    async def _quiet(self, duration: float) -> None:
        loop = asyncio.get_running_loop()
        while (gap := loop.time() - self._last_activity) < duration:
            await asyncio.sleep(duration - gap)

    def _diag(self, turn: _Turn) -> str:
        lines = describe_problems(self._collector.records[turn.log_index :])
        if lines:
            lines.insert(0, "Errors logged meanwhile:")
        requests = [f"{r} -> {r.status}" for r in self.requests[turn.request_index :]]
        lines.append("Requests the bot made meanwhile: " + (", ".join(requests) or "none"))
        return "\n" + "\n".join(lines)

    # ---- interactions ----------------------------------------------------------------------

    def _new_interaction(
        self,
        kind: int,
        data: dict[str, Any],
        user: FakeUser,
        channel: FakeChannel,
        message: dict[str, Any] | None = None,
    ) -> InteractionRecord:
        interaction_id = self._ids()
        token = f"harness-token-{interaction_id}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel.id),
            "locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if channel.is_dm:
            payload.update(
                channel=channel.to_json(),
                user=user.to_json(),
                context=1,
                authorizing_integration_owners={},
                app_permissions=str(EVERYONE_PERMISSIONS),
            )
        else:
            payload.update(
                guild_id=str(channel.guild_id),
                guild={"id": str(channel.guild_id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel={**channel.to_json(), "permissions": str(self.permissions(user))},
                member=self._member_json(user, permissions=True),
                context=0,
                authorizing_integration_owners={"0": str(channel.guild_id)},
                app_permissions=str(self.permissions(self.bot_user)),
            )
        if message is not None:
            payload["message"] = copy.deepcopy(message)
        record = InteractionRecord(interaction_id, token, kind, payload, user, channel)
        self.interactions.append(record)
        self._by_id[interaction_id] = record
        self._by_token[token] = record
        return record

    async def _interact(self, record: InteractionRecord, what: str) -> InteractionRecord:
        record.sent_at = time.perf_counter()
        guild_id = record.channel.guild_id
        turn = await self._send_event("INTERACTION_CREATE", record.payload, what, guild_id)
        await self._await(
            turn, lambda: record.callback is not None, "responding to the interaction"
        )
        if record.callback_type == 5:
            await self._await(
                turn,
                lambda: (
                    bool(record.followups) or not (record.message or {}).get("flags", 0) & LOADING
                ),
                "a followup or edit after deferring (the user would see 'thinking...' forever)",
            )
        await self._finish(turn)
        return record

    async def _component_interaction(
        self, message: dict[str, Any], data: dict[str, Any], user: FakeUser | None, what: str
    ) -> InteractionRecord:
        channel = self.channels[int(message["channel_id"])]
        owner = (message.get("interaction_metadata") or {}).get("user")
        if user is None:
            user = self.users[int(owner["id"])] if owner else self.ada
        if message.get("flags", 0) & EPHEMERAL and owner and int(owner["id"]) != user.id:
            raise AssertionError(
                f"{user.name} cannot see {owner['global_name']}'s ephemeral message"
            )
        record = self._new_interaction(3, data, user, channel, message)
        return await self._interact(record, what)

    def _find_component(
        self, target: Any, key: str, kinds: tuple[int, ...]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if isinstance(target, InteractionRecord):
            candidates = target.messages
        elif isinstance(target, dict):
            candidates = [target]
        else:
            candidates = list(target)
        seen = []
        for msg in reversed(candidates):
            if int(msg["id"]) in self._deleted:
                continue
            current = self.messages.get(int(msg["id"]), msg)  # the latest edit
            for comp in iter_components(current.get("components")):
                if comp.get("type") not in kinds:
                    continue
                seen.append(comp.get("custom_id") or comp.get("label"))
                if key in (comp.get("custom_id"), comp.get("label")):
                    if comp.get("disabled"):
                        raise AssertionError(f"Component {key!r} is disabled")
                    return current, comp
        raise AssertionError(f"No component {key!r} in the bot's message(s); found: {seen}")

    def _select_values(
        self, comp: dict[str, Any], values: list[Any]
    ) -> tuple[list[str], dict[str, Any]]:
        low, high = comp.get("min_values", 1), comp.get("max_values", 1)
        if not low <= len(values) <= high:
            raise AssertionError(
                f"Select {comp['custom_id']!r} takes {low} to {high} values, got {values}"
            )
        if comp["type"] == 3:
            allowed = [o["value"] for o in comp.get("options") or []]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise AssertionError(f"{bad} are not options of {comp['custom_id']!r}: {allowed}")
            return [str(v) for v in values], {}
        resolved: dict[str, Any] = {}
        for value in values:
            self._resolve(value, resolved)
        return [str(getattr(v, "id", v)) for v in values], resolved

    def _modal_components(
        self, modal: dict[str, Any], values: dict[str, Any]
    ) -> list[dict[str, Any]]:
        def convert(comp: dict[str, Any]) -> dict[str, Any] | None:
            kind, custom_id = comp.get("type"), comp.get("custom_id")
            if kind == 1:
                inner = [c for c in map(convert, comp.get("components") or []) if c]
                return {"type": 1, "components": inner}
            if kind == 18:
                inner = convert(comp["component"])
                return {"type": 18, "component": inner} if inner else None
            if kind == 4:
                value = values.pop(custom_id, comp.get("value") or "")
                if comp.get("required", True) and not value:
                    raise AssertionError(f"Modal field {custom_id!r} is required")
                low, high = comp.get("min_length", 0), comp.get("max_length", 4000)
                if value and not low <= len(value) <= high:
                    raise AssertionError(
                        f"Modal field {custom_id!r} takes {low} to {high} characters"
                    )
                return {"type": 4, "custom_id": custom_id, "value": value}
            if kind in (3, 5, 6, 7, 8):
                chosen = values.pop(custom_id, [])
                raw, _ = (
                    self._select_values(comp, chosen)
                    if chosen or comp.get("required")
                    else ([], {})
                )
                return {"type": kind, "custom_id": custom_id, "values": raw}
            return None

        converted = [c for c in map(convert, modal.get("components") or []) if c]
        if values:
            raise AssertionError(f"Modal {modal['custom_id']!r} has no field(s) {sorted(values)}")
        return converted

    # ---- slash commands: from what the bot registered ----------------------------------------

    def _available_commands(
        self, guild: int | None = GUILD_ID
    ) -> list[tuple[dict[str, Any], int | None]]:
        """Global commands, and the commands of ``guild`` (the channel's server)."""
        if self._synced:
            found = [(c, guild) for c in self.guild_commands.get(guild, [])] if guild else []
            return found + [(c, None) for c in self.commands]
        if self._bot is None or not hasattr(self._bot, "tree"):
            raise AssertionError("The bot registered no commands and has no command tree")
        tree = self._bot.tree
        found = []
        for guild_id, cmds in (
            (guild, tree.get_commands(guild=discord.Object(guild)) if guild else []),
            (None, tree.get_commands()),
        ):
            for cmd in cmds:
                data = cmd.to_dict(tree)
                data["id"] = str(self._command_id(guild_id, data["name"]))
                found.append((data, guild_id))
        return found

    def _command_id(self, guild_id: int | None, name: str) -> int:
        return self._command_ids.setdefault((guild_id, name), self._ids())

    def _command_data(
        self,
        command: str,
        values: dict[str, Any],
        user: FakeUser,
        channel: FakeChannel,
        focused: str | None = None,
    ) -> dict[str, Any]:
        name, *path = command.split()
        available = self._available_commands(channel.guild_id)
        match = [(c, g) for c, g in available if c["name"] == name and c.get("type", 1) == 1]
        if not match:
            names = sorted(c["name"] for c, _ in available)
            raise AssertionError(f"The bot has no slash command /{name}; it has {names}")
        spec, guild_id = match[0]
        self._check_can_use(spec, user, channel)
        data: dict[str, Any] = {"id": str(spec["id"]), "name": name, "type": 1}
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        holder, specs = data, spec.get("options") or []
        for part in path:
            sub = next((o for o in specs if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise AssertionError(f"/{name} has no subcommand {part!r}")
            node = {"name": part, "type": sub["type"], "options": []}
            holder.setdefault("options", []).append(node)
            holder, specs = node, sub.get("options") or []
        if any(o["type"] in (1, 2) for o in specs):
            subs = [o["name"] for o in specs]
            raise AssertionError(f"/{command} needs a subcommand: one of {subs}")
        resolved: dict[str, Any] = {}
        options = [
            self._option(command, specs, k, v, resolved, k == focused) for k, v in values.items()
        ]
        if focused is None:
            missing = [o["name"] for o in specs if o.get("required") and o["name"] not in values]
            if missing:
                raise AssertionError(f"/{command} needs option(s) {missing}")
        holder["options"] = options
        if resolved:
            data["resolved"] = resolved
        return data

    def _check_can_use(self, spec: dict[str, Any], user: FakeUser, channel: FakeChannel) -> None:
        if channel.is_dm:
            contexts = spec.get("contexts")
            if (
                spec.get("guild_id")
                or spec.get("dm_permission") is False
                or (contexts and 1 not in contexts)
            ):
                raise AssertionError(f"/{spec['name']} is not available in DMs")
            return
        required = int(spec.get("default_member_permissions") or 0)
        if required and self.permissions(user) & required != required:
            raise AssertionError(
                f"{user.name} cannot see /{spec['name']}: it needs permissions {required} "
                f"(default_member_permissions) and they have {self.permissions(user)}"
            )

    def _option(
        self,
        command: str,
        specs: list[dict[str, Any]],
        key: str,
        value: Any,
        resolved: dict[str, Any],
        focused: bool,
    ) -> dict[str, Any]:
        spec = next((o for o in specs if o["name"] == key), None)
        if spec is None:
            raise AssertionError(
                f"/{command} has no option {key!r}; it has {[o['name'] for o in specs]}"
            )
        kind, label = spec["type"], f"/{command} {key}"
        if focused:
            if not spec.get("autocomplete"):
                raise AssertionError(f"{label} has no autocomplete")
            return {"name": key, "type": kind, "value": str(value), "focused": True}
        if kind == 3:
            if not isinstance(value, str):
                raise AssertionError(f"{label} takes a string, got {value!r}")
            low, high = spec.get("min_length", 0), spec.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise AssertionError(f"{label} takes {low} to {high} characters")
        elif kind in (4, 10):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or (kind == 4 and value != int(value))
            ):
                raise AssertionError(
                    f"{label} takes a {'whole ' * (kind == 4)}number, got {value!r}"
                )
            low, high = spec.get("min_value"), spec.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise AssertionError(f"{label} must be between {low} and {high}, got {value}")
        elif kind == 5:
            if not isinstance(value, bool):
                raise AssertionError(f"{label} takes True or False, got {value!r}")
        elif kind in (6, 7, 8, 9):
            self._resolve(value, resolved, spec.get("channel_types"))
            value = str(getattr(value, "id", value))
        else:
            raise AssertionError(
                f"{label} has option type {kind}, which the harness does not fill in"
            )
        choices = [c["value"] for c in spec.get("choices") or []]
        if choices and value not in choices:
            raise AssertionError(f"{label} must be one of {choices}, got {value!r}")
        return {"name": key, "type": kind, "value": value}

    def _resolve(
        self, value: Any, resolved: dict[str, Any], channel_types: list[int] | None = None
    ) -> None:
        """Add a user, role or channel to an interaction's ``resolved`` data."""
        target = value
        if isinstance(value, int):
            target = self.users.get(value) or self.channels.get(value)
            target = target or next((r for r in self.roles if r.id == value), None)
        if isinstance(target, FakeUser):
            resolved.setdefault("users", {})[str(target.id)] = target.to_json()
            member = self._member_json(target, permissions=True)
            del member["user"]
            resolved.setdefault("members", {})[str(target.id)] = member
        elif isinstance(target, FakeRole):
            resolved.setdefault("roles", {})[str(target.id)] = target.to_json()
        elif isinstance(target, FakeChannel):
            if channel_types and target.type not in channel_types:
                raise AssertionError(f"Channel {target.name} is not of types {channel_types}")
            data = {**target.to_json(), "permissions": str(ALL_PERMISSIONS)}
            resolved.setdefault("channels", {})[str(target.id)] = data
        else:
            raise AssertionError(f"Cannot resolve {value!r}: pass an env user, role or channel")

    # ---- user messages -----------------------------------------------------------------------

    async def _post_as_user(
        self,
        content: str,
        user: FakeUser,
        channel: FakeChannel,
        expect_reply: bool,
        reply_channel: FakeChannel,
    ) -> list[dict[str, Any]]:
        msg = self._store(channel, {"content": content}, author=user, validate=False)
        needed = INTENT_DMS if channel.is_dm else INTENT_GUILD_MESSAGES
        session = self._session_for(channel.guild_id)
        if session is not None and not session.intents & needed:
            if expect_reply:
                name = "DIRECT_MESSAGES" if channel.is_dm else "GUILD_MESSAGES"
                raise AssertionError(
                    f"The bot lacks the {name} intent; Discord would not deliver this"
                )
            return []
        event = copy.deepcopy(msg)
        mentioned = any(int(u["id"]) == APP_ID for u in msg["mentions"])
        if (
            session is not None
            and not channel.is_dm
            and not session.intents & INTENT_CONTENT
            and not mentioned
        ):
            event.update(content="", embeds=[], attachments=[], components=[])
        start = len(self._bot_log)

        def replies() -> list[dict[str, Any]]:
            new = self._bot_log[start:]
            return [
                m
                for m in new
                if int(m["channel_id"]) == reply_channel.id and int(m["id"]) not in self._deleted
            ]

        turn = await self._send_event(
            "MESSAGE_CREATE", event, f"message {content!r}", channel.guild_id
        )
        if expect_reply:
            await self._await(turn, lambda: bool(replies()), f"a reply in {reply_channel.name}")
        await self._finish(turn)
        return replies()

    # ---- messages ----------------------------------------------------------------------------

    def _member_json(self, user: FakeUser, *, permissions: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": user.to_json(),
            "roles": [str(r.id) for r in user.roles],
            "joined_at": self._joined_at,
            "premium_since": None,
            "communication_disabled_until": None,
            "nick": None,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
        }
        if permissions:
            data["permissions"] = str(self.permissions(user))
        return data

    def _mentions(self, content: str) -> list[dict[str, Any]]:
        ids = dict.fromkeys(int(i) for i in re.findall(r"<@!?(\d+)>", content))
        return [self.users[i].to_json() for i in ids if i in self.users]

    def _store(
        self,
        channel: FakeChannel,
        body: dict[str, Any],
        *,
        author: FakeUser,
        files: Iterable[dict[str, Any]] = (),
        interaction: InteractionRecord | None = None,
        validate: bool = True,
        extra_flags: int = 0,
    ) -> dict[str, Any]:
        """Create a message, as Discord returns it, and keep it."""
        flags = (body.get("flags") or 0) & SENDABLE_FLAGS
        if interaction is None:
            flags &= ~EPHEMERAL  # only interaction responses can be ephemeral
        content = body.get("content") or ""
        msg: dict[str, Any] = {
            "id": str(self._ids()),
            "channel_id": str(channel.id),
            "author": author.to_json(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": self._mentions(content),
            "mention_roles": [],
            "attachments": self._attachments(body, files, []),
            "embeds": copy.deepcopy(body.get("embeds") or []),
            "components": copy.deepcopy(body.get("components") or []),
            "pinned": False,
            "type": 0,
            "flags": flags | extra_flags,
        }
        if body.get("poll"):
            msg["poll"] = copy.deepcopy(body["poll"])
        if author is not self.bot_user and not channel.is_dm:
            msg["guild_id"] = str(channel.guild_id)
            member = self._member_json(author)
            del member["user"]
            msg["member"] = member
        reference = body.get("message_reference")
        if reference:
            target = self.messages.get(int(reference.get("message_id", 0)))
            if target is None and reference.get("fail_if_not_exists", True):
                raise _invalid([("message_reference", "Unknown message")])
            msg["message_reference"] = {
                "message_id": str(reference["message_id"]),
                "channel_id": str(channel.id),
            }
            if not channel.is_dm:
                msg["message_reference"]["guild_id"] = str(channel.guild_id)
            msg["referenced_message"] = copy.deepcopy(target)
            msg["type"] = 19
        if interaction is not None:
            msg.update(webhook_id=str(APP_ID), application_id=str(APP_ID))
            msg["type"] = 20 if interaction.type == 2 else msg["type"]
            msg["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": interaction.user.to_json(),
                "authorizing_integration_owners": interaction.payload[
                    "authorizing_integration_owners"
                ],
            }
        if validate:
            _validate_message(msg)
        self.messages[int(msg["id"])] = msg
        self._history.setdefault(channel.id, []).append(msg)
        if author is self.bot_user:
            self._bot_log.append(msg)
        return msg

    def _attachments(
        self, body: dict[str, Any], files: Iterable[dict[str, Any]], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_field = {f["field"]: f for f in files}
        keep = {str(a.get("id")) for a in body.get("attachments") or []}
        result = (
            [a for a in existing if a["id"] in keep] if "attachments" in body else list(existing)
        )
        for index, spec in enumerate(body.get("attachments") or []):
            upload = by_field.get(f"files[{spec.get('id', index)}]")
            if upload is None:
                continue
            attachment_id = self._ids()
            self.attachments[attachment_id] = upload["data"]
            url = f"{self.base_url}/attachments/{attachment_id}/{upload['filename']}"
            result.append(
                {
                    "id": str(attachment_id),
                    "filename": upload["filename"],
                    "size": len(upload["data"]),
                    "url": url,
                    "proxy_url": url,
                    "content_type": upload["content_type"],
                    "description": spec.get("description"),
                }
            )
        return result

    def _edit(
        self, msg: dict[str, Any], body: dict[str, Any], files: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Apply an edit in place (records holding the message see it) after validating it."""
        updated = dict(msg)
        for key, empty in (("content", ""), ("embeds", []), ("components", [])):
            if key in body:
                updated[key] = copy.deepcopy(body[key]) if body[key] is not None else empty
        if body.get("flags") is not None:
            updated["flags"] = (msg["flags"] & EPHEMERAL) | (
                body["flags"] & SENDABLE_FLAGS & ~EPHEMERAL
            )
        updated["attachments"] = self._attachments(body, files, msg["attachments"])
        updated["mentions"] = self._mentions(updated["content"])
        if not msg["flags"] & LOADING:
            updated["edited_timestamp"] = _now_iso()
        updated["flags"] &= ~LOADING
        _validate_message(updated)
        msg.clear()
        msg.update(updated)
        return msg

    # ---- HTTP server ---------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        tail = request.match_info["tail"]
        api = "version" in request.match_info
        path = "/" + tail if api else request.path
        body, files = await self._read_body(request)
        rec = RecordedRequest(request.method, path, dict(request.query), body, files)
        self.requests.append(rec)
        try:
            rec.response, status = await self._route(rec, request, api), 200
            if rec.response is None:
                status = 204
        except _ApiError as error:
            rec.response, status = error.body, error.status
            if status in (400, 401):
                self.rejected.append(rec)
        except Exception:  # a bug in this harness: report it, and no 5xx (discord.py retries)
            self.unexpected.append(f"{rec} crashed the harness:\n{traceback.format_exc()}")
            rec.response, status = {"message": "harness error", "code": 0}, 400
        rec.response = copy.deepcopy(rec.response)  # a snapshot: stored messages change later
        rec.status = status
        self._notify()
        if status == 204:
            return web.Response(status=204)  # no body, no Content-Type (discord.py expects that)
        return _json_response(rec.response, status)

    async def _route(self, rec: RecordedRequest, request: web.Request, api: bool) -> Any:
        if api:
            for method, pattern, template, name in _COMPILED:
                found = pattern.match(rec.path)
                if found and method == rec.method:
                    rec.route = template
                    authorized = request.headers.get("Authorization") == f"Bot {self.token}"
                    if not authorized and not rec.path.startswith(_NO_AUTH_PREFIXES):
                        raise _ApiError(401, 0, "401: Unauthorized")
                    return await getattr(self, name)(rec, **found.groupdict())
        self.unexpected.append(rec)
        raise _ApiError(404, 0, "404: Not Found")

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            files = [
                {
                    "field": k,
                    "filename": v.filename,
                    "content_type": v.content_type,
                    "data": v.file.read(),
                }
                for k, v in form.items()
                if isinstance(v, web.FileField)
            ]
            payload = form.get("payload_json")
            return (json.loads(payload) if isinstance(payload, str) else None), files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            return raw.decode(errors="replace"), []

    # ---- REST handlers -----------------------------------------------------------------------

    async def _get_me(self, rec: RecordedRequest) -> Any:
        return {**self.bot_user.to_json(), "verified": True, "mfa_enabled": False, "flags": 0}

    async def _get_user(self, rec: RecordedRequest, user_id: str) -> Any:
        return self._user(user_id).to_json()

    async def _get_member(self, rec: RecordedRequest, guild_id: str, user_id: str) -> Any:
        self._check_guild(guild_id)
        return self._member_json(self._user(user_id))

    async def _create_dm(self, rec: RecordedRequest) -> Any:
        return self.dm_channel(self._user((rec.json or {}).get("recipient_id", 0))).to_json()

    async def _get_gateway(self, rec: RecordedRequest) -> Any:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limit}

    async def _get_application(self, rec: RecordedRequest) -> Any:
        return {
            "id": str(APP_ID),
            "name": "CoachBot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.to_json(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 1 << 23,
            "summary": "",
            "rpc_origins": [],
            "bot": self.bot_user.to_json(),
            "interactions_endpoint_url": None,
            "approximate_guild_count": 1,
        }

    async def _get_commands(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> Any:
        self._check_app(app_id)
        if guild_id is None:
            return self.commands
        return self.guild_commands.get(self._check_guild(guild_id), [])

    async def _put_commands(
        self, rec: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> Any:
        self._check_app(app_id)
        gid = None if guild_id is None else self._check_guild(guild_id)
        names = [c.get("name") for c in rec.json or []]
        if len(names) != len(set(names)):
            raise _invalid([("commands", f"Duplicate command names: {names}")])
        stored = []
        for cmd in rec.json or []:
            echo = {"type": 1, **copy.deepcopy(cmd), "application_id": str(APP_ID), "version": "1"}
            echo["id"] = str(self._command_id(gid, cmd["name"]))
            if gid is not None:
                echo["guild_id"] = str(gid)
            stored.append(echo)
        if gid is None:
            self.commands = stored
        else:
            self.guild_commands[gid] = stored
        self._synced = True
        return stored

    async def _get_channel(self, rec: RecordedRequest, channel_id: str) -> Any:
        return self._channel(channel_id).to_json()

    async def _post_message(self, rec: RecordedRequest, channel_id: str) -> Any:
        return self._store(
            self._channel(channel_id), rec.json or {}, author=self.bot_user, files=rec.files
        )

    async def _get_message(self, rec: RecordedRequest, channel_id: str, message_id: str) -> Any:
        return self._channel_message(channel_id, message_id)

    async def _patch_message(self, rec: RecordedRequest, channel_id: str, message_id: str) -> Any:
        msg = self._channel_message(channel_id, message_id, change=True)
        if int(msg["author"]["id"]) != APP_ID:
            raise _ApiError(403, 50005, "Cannot edit a message authored by another user")
        return self._edit(msg, rec.json or {}, rec.files)

    async def _delete_message(self, rec: RecordedRequest, channel_id: str, message_id: str) -> Any:
        self._deleted.add(int(self._channel_message(channel_id, message_id, change=True)["id"]))

    async def _typing(self, rec: RecordedRequest, channel_id: str) -> Any:
        self._channel(channel_id)

    async def _callback(self, rec: RecordedRequest, interaction_id: str, token: str) -> Any:
        record = self._by_id.get(int(interaction_id)) if interaction_id.isdigit() else None
        if record is None or record.token != token:
            raise _ApiError(404, 10062, "Unknown interaction")
        record.answered_at = time.perf_counter()
        if record.callback is not None:
            raise _ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = rec.json or {}
        kind, data = body.get("type"), body.get("data") or {}
        allowed = {2: (4, 5, 9), 3: (4, 5, 6, 7, 9), 4: (8,), 5: (4, 5, 6, 7)}[record.type]
        if kind not in allowed:
            raise _invalid(
                [("type", f"Callback type {kind} is not valid for interaction type {record.type}")]
            )
        message = None
        if kind == 4:
            message = self._store(
                record.channel, data, author=self.bot_user, files=rec.files, interaction=record
            )
        elif kind == 5:
            flags = (data.get("flags") or 0) & EPHEMERAL
            message = self._store(
                record.channel,
                {"flags": flags},
                author=self.bot_user,
                interaction=record,
                validate=False,
                extra_flags=LOADING,
            )
        elif kind in (6, 7):
            source = record.payload.get("message")
            if source is None:
                raise _invalid([("type", "There is no message to update")])
            message = self.messages.get(int(source["id"]))
            if message is None or int(source["id"]) in self._deleted:
                raise _ApiError(404, 10008, "Unknown Message")
            if kind == 7:
                self._edit(message, data, rec.files)
        elif kind == 8:
            choices = data.get("choices") or []
            if len(choices) > 25 or any(not 1 <= len(c.get("name", "")) <= 100 for c in choices):
                raise _invalid([("data.choices", "At most 25 choices, names 1 to 100 long")])
        elif kind == 9:
            problems = _component_problems(data.get("components") or [], v2=True)
            if not 1 <= len(data.get("title") or "") <= 45 or not data.get("custom_id"):
                problems.append(
                    ("data.title", "A modal needs a custom_id and a 1 to 45 long title")
                )
            if not 1 <= len(data.get("components") or []) <= 5:
                problems.append(("data.components", "A modal holds 1 to 5 components"))
            if problems:
                raise _invalid(problems)
        record.callback, record.message = body, message
        if rec.query.get("with_response") not in ("1", "true", "True"):
            return None
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(message and message["flags"] & EPHEMERAL),
            }
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return answer

    async def _followup(self, rec: RecordedRequest, app_id: str, token: str) -> Any:
        record = self._webhook_record(app_id, token)
        body = rec.json or {}
        loading = record.message is not None and record.message["flags"] & LOADING
        if record.callback_type == 5 and loading:
            # The first followup after a deferred reply replaces the "thinking..." message and
            # keeps the defer's ephemerality, whatever flags it asks for.
            msg = self._edit(record.message, body, rec.files)  # type: ignore[arg-type]
        else:
            msg = self._store(
                record.channel, body, author=self.bot_user, files=rec.files, interaction=record
            )
        record.followups.append(msg)
        return msg if rec.query.get("wait") in ("1", "true", "True") else None

    async def _webhook_message(
        self, rec: RecordedRequest, app_id: str, token: str, message_id: str
    ) -> Any:
        record = self._webhook_record(app_id, token)
        if message_id == "@original":
            msg = record.message
        else:
            msg = next((m for m in record.messages if m["id"] == message_id), None)
        if msg is None or int(msg["id"]) in self._deleted:
            raise _ApiError(404, 10008, "Unknown Message")
        if rec.method == "PATCH":
            return self._edit(msg, rec.json or {}, rec.files)
        if rec.method == "DELETE":
            self._deleted.add(int(msg["id"]))
            return None
        return msg

    # ---- REST lookups ------------------------------------------------------------------------

    def _webhook_record(self, app_id: str, token: str) -> InteractionRecord:
        record = self._by_token.get(token)
        if app_id != str(APP_ID) or record is None or record.callback is None:
            raise _ApiError(404, 10015, "Unknown Webhook")
        return record

    def _check_app(self, app_id: str) -> None:
        if app_id != str(APP_ID):
            raise _ApiError(403, 50001, "Missing Access")

    def _check_guild(self, guild_id: str) -> int:
        if not guild_id.isdigit() or int(guild_id) not in self.guilds:
            raise _ApiError(403, 50001, "Missing Access")
        return int(guild_id)

    def _user(self, user_id: Any) -> FakeUser:
        user = self.users.get(int(user_id)) if str(user_id).isdigit() else None
        if user is None:
            raise _ApiError(404, 10013, "Unknown User")
        return user

    def _channel(self, channel_id: str) -> FakeChannel:
        channel = self.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if channel is None:
            raise _ApiError(404, 10003, "Unknown Channel")
        return channel

    def _channel_message(
        self, channel_id: str, message_id: str, *, change: bool = False
    ) -> dict[str, Any]:
        channel = self._channel(channel_id)
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or int(msg["channel_id"]) != channel.id or int(msg["id"]) in self._deleted:
            raise _ApiError(404, 10008, "Unknown Message")
        if change and msg["flags"] & EPHEMERAL:
            # Ephemeral messages can only be edited or deleted with the interaction token.
            raise _ApiError(404, 10008, "Unknown Message")
        return msg

    # ---- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session = _GatewaySession(ws, f"harness-session-{self._ids()}")
        self._sessions.append(session)
        try:
            await session.send(10, {"heartbeat_interval": HEARTBEAT_MS})
            async for frame in ws:
                if frame.type == aiohttp.WSMsgType.TEXT:
                    try:
                        await self._on_gateway(session, json.loads(frame.data))
                    except Exception:
                        self.unexpected.append(f"gateway crash:\n{traceback.format_exc()}")
                elif frame.type == aiohttp.WSMsgType.BINARY:
                    self.unexpected.append(f"binary gateway frame ({len(frame.data)} bytes)")
        finally:
            self._sessions.remove(session)
            if session in self._live:
                self._live.remove(session)
            self._notify()
        return ws

    async def _on_gateway(self, session: _GatewaySession, payload: dict[str, Any]) -> None:
        op, d = payload.get("op"), payload.get("d")
        if op == 1:  # heartbeat
            session.acked_seq = max(session.acked_seq, d or 0)
            await session.send(11, None)
        elif op == 2:  # identify
            if d.get("token") != self.token:
                await session.ws.close(code=4004, message=b"Authentication failed.")
                return
            self.identifies.append(d)
            if d.get("intents", 0) & PRIVILEGED_INTENTS & ~self.portal_intents:
                await session.ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            shard = d.get("shard")
            if shard is not None:
                if not (
                    isinstance(shard, list)
                    and len(shard) == 2
                    and all(isinstance(n, int) for n in shard)
                    and 0 <= shard[0] < shard[1]
                ):
                    await session.ws.close(code=4010, message=b"Invalid shard.")
                    return
                session.shard = (shard[0], shard[1])
            session.intents, session.identified = d.get("intents", 0), True
            await session.dispatch("READY", self._ready_payload(session, d))
            if session.intents & INTENT_GUILDS:
                for guild in self._guilds_of(session):
                    await session.dispatch("GUILD_CREATE", self._guild_payload(session, guild))
            self._live.append(session)
        elif op == 3:  # presence update
            pass
        elif op == 6:  # resume: not supported, ask for a fresh identify
            await session.send(9, False)
        elif op == 8:  # request guild members
            wanted = {int(i) for i in d.get("user_ids") or []}
            if not wanted and not session.intents & INTENT_MEMBERS:
                # Discord refuses the whole member list without the members intent
                self.unexpected.append("requested every member without the GUILD_MEMBERS intent")
            visible = self.members if wanted or session.intents & INTENT_MEMBERS else []
            members = [self._member_json(u) for u in visible if not wanted or u.id in wanted]
            chunk = {
                "guild_id": str(d.get("guild_id") or self.guild.id),
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
            }
            await session.dispatch(
                "GUILD_MEMBERS_CHUNK", {**chunk, "nonce": d.get("nonce"), "not_found": []}
            )
        else:
            self.unexpected.append(f"gateway op {op}: {payload}")
        self._notify()

    def _ready_payload(self, session: _GatewaySession, identify: dict[str, Any]) -> dict[str, Any]:
        data = {
            "v": 10,
            "user": {**self.bot_user.to_json(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self._guilds_of(session)],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 1 << 23},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }
        if "shard" in identify:
            data["shard"] = identify["shard"]
        return data

    def _guilds_of(self, session: _GatewaySession) -> list[FakeGuild]:
        """The servers this connection carries: all of them, or its shard's."""
        return [g for g in self.guilds.values() if session.carries(g.id)]

    def _guild_payload(self, session: _GatewaySession, guild: FakeGuild) -> dict[str, Any]:
        # Without the members intent Discord sends only the bot's own member (member_count
        # still counts everyone); with it, a guild this small comes with all its members.
        members = self.members if session.intents & INTENT_MEMBERS else [self.bot_user]
        channels = self.channels.values()
        return {
            "id": str(guild.id),
            "name": guild.name,
            "owner_id": str(guild.owner_id),
            "unavailable": False,
            "joined_at": self._joined_at,
            "large": False,
            # Equal to the members sent with the members intent: discord.py asks for no chunks.
            "member_count": len(self.members),
            "members": [self._member_json(u) for u in members],
            "channels": [c.to_json() for c in channels if c.guild_id == guild.id],
            "roles": [r.to_json() for r in self._roles_of(guild)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "preferred_locale": "en-US",
            "premium_tier": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_id": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "icon": None,
            "description": None,
        }


# --------------------------------------------------------------------------------------------
# pytest fixture
# --------------------------------------------------------------------------------------------


@pytest_asyncio.fixture(name="discord_env")
async def discord_env() -> AsyncIterator[DiscordEnv]:
    """A started fake Discord; at teardown, fails the test on ERROR logs from discord/cogs/
    coachbot, on unknown endpoints and on requests Discord would reject."""
    async with running(DiscordEnv(), "Discord") as env:
        yield env


discord_env_fixture = discord_env  # import this name: same fixture, no ruff F811 in tests


# --------------------------------------------------------------------------------------------
# Subprocess entry point: python -m tests.discord_harness BASE_URL [coachbot args...]
# --------------------------------------------------------------------------------------------


def _main(argv: list[str]) -> int:
    base_url, *args = argv
    point_discord_at(base_url)
    from coachbot.cli import main

    return main(args)


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
