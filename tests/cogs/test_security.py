"""Security checks through the real bot and the loopback Discord.

- Every slash command, by role: trainer-only commands (found by their `is_trainer` check)
  refuse an agent privately and change nothing; the others work for everyone. The commands
  are read from the bot's command tree, so commands added later are covered without edits.
- No message or reply the bot sends can ping anyone.
- The Discord token never reaches output, even at DEBUG level or on a failed login, and a
  debrief's raw text never reaches the log.
- SQL injection strings in every text a user can type are stored or refused as plain text.
- custom_ids coming back from clients are parsed and looked up, never trusted.
- Commands with a cooldown, and questions by DM or mention, refuse spam politely.
"""

from __future__ import annotations

import asyncio
import re
import re._constants as sre
import re._parser as sre_parse
import signal
import typing
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ui import Button, DynamicItem

from coachbot.app import App
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.database import MEMORY, Database
from cogs._bot import EXPIRED, create_bot
from cogs._checks import is_trainer
from cogs._errors import GENERIC, NO_PERMISSION
from tests.cogs.conftest import process_environment
from tests.conftest import KNOWLEDGE
from tests.discord_harness import DiscordEnv, FakeUser, iter_components

TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456"
INJECTIONS = ("'; DROP TABLE asks; --", '" OR 1=1 --', "Robert'); DROP TABLE debriefs;--")
RAW_DEBRIEF = {
    "what_happened": "Mrs Philippa Abernathy-Quayle called from 07700 900461 furious about a fee",
    "what_tried": "Zebedee Featherstonehaugh on the next desk told me to offer a credit",
    "what_worked": "Letting her finish before I explained the fee",
    "next_time": "Read the account history first",
    "topic": "",
}
RAW_WORDS = ("Abernathy", "Quayle", "Philippa", "900461", "Zebedee", "Featherstonehaugh")

# ---- the command tree -----------------------------------------------------------------------


async def _unused_database() -> Database:
    """A database for a bot that is only read, never run: opened and closed at once."""
    database = await Database.open(MEMORY)
    await database.close()
    return database


def _tree_bot() -> discord.Client:
    """The bot as built for Discord; only its command tree is read."""
    settings = Settings(data_dir=Path("unused"), knowledge_dir=KNOWLEDGE)
    app = App(settings, LiveKnowledge.load(KNOWLEDGE), asyncio.run(_unused_database()))
    return create_bot(app, settings)


def _chain(command: app_commands.Command) -> list[Any]:
    found, node = [], command
    while node is not None:
        found.append(node)
        node = node.parent
    return found


def trainer_only(command: app_commands.Command) -> bool:
    """Guarded by the trainer check, on the command or a group above it, or hidden by Discord
    from members without a permission."""
    chain = _chain(command)
    checked = any(is_trainer in getattr(node, "checks", ()) for node in chain)
    hidden = any(getattr(node, "default_permissions", None) for node in chain)
    return checked or hidden


def has_cooldown(command: app_commands.Command) -> bool:
    return any("cooldown" in getattr(c, "__qualname__", "") for c in command.checks)


_BOT = _tree_bot()
COMMANDS = {
    c.qualified_name: c for c in _BOT.tree.walk_commands() if isinstance(c, app_commands.Command)
}
DYNAMIC_ITEMS: list[type[DynamicItem[Any]]] = list(
    _BOT._connection._view_store._dynamic_items.values()  # type: ignore[attr-defined]
)

ARGUMENTS: dict[str, Any] = {
    "question": "customer keeps yelling at me",
    "code": "ABCD-EFGH-JKMN",
    "time": "09:00",
    "timezone": "UTC",
    "days": 2,
}


def arguments_for(command: app_commands.Command) -> dict[str, Any]:
    """Plausible values for the required options; a new option type makes this fail loudly."""
    values: dict[str, Any] = {}
    for parameter in command.parameters:
        if not parameter.required:
            continue
        if parameter.choices:
            values[parameter.name] = parameter.choices[0].value
        elif parameter.name in ARGUMENTS:
            values[parameter.name] = ARGUMENTS[parameter.name]
        elif parameter.type is discord.AppCommandOptionType.string:
            values[parameter.name] = "test"
        elif parameter.type is discord.AppCommandOptionType.integer:
            values[parameter.name] = int(parameter.min_value or 1)
        elif parameter.type is discord.AppCommandOptionType.boolean:
            values[parameter.name] = False
        else:
            raise AssertionError(f"/{command.qualified_name}: give {parameter.name} a test value")
    return values


async def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, to prove that a refused command changed nothing."""
    connection = app.database.connection
    async with connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ) as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    rows = {}
    for table in tables:
        async with connection.execute(f'SELECT * FROM "{table}"') as cursor:
            rows[table] = sorted(map(tuple, await cursor.fetchall()), key=repr)
    return rows


def pinging_requests(env: DiscordEnv) -> list[str]:
    """Requests carrying a message that Discord would let ping someone."""
    found = []
    for request in env.requests:
        body = request.json if isinstance(request.json, dict) else {}
        data = body.get("data") if isinstance(body.get("data"), dict) else body
        if body.get("type") in (1, 5, 6, 8, 9):  # pong, deferrals, autocomplete, modal
            continue
        if not any(key in data for key in ("content", "embeds", "components", "attachments")):
            continue
        mentions = data.get("allowed_mentions")
        if mentions is None or mentions.get("parse") != [] or mentions.get("replied_user"):
            found.append(f"{request} sent allowed_mentions={mentions}")
    return found


# ---- permission matrix ----------------------------------------------------------------------


def test_the_matrix_covers_trainer_and_agent_commands():
    """Guard the enumeration itself: both kinds exist, so the matrix below means something."""
    trainers = {name for name, command in COMMANDS.items() if trainer_only(command)}
    assert {"quiz subscribe", "quiz now", "debrief channel"} <= trainers
    assert {"ask", "quiz stats", "debrief write"} <= set(COMMANDS) - trainers


def _roles(env: DiscordEnv) -> list[tuple[str, FakeUser]]:
    return [("no role", env.ada), ("Trainer role", env.trainer), ("Manage Server", env.manager)]


@pytest.mark.parametrize("name", sorted(COMMANDS))
async def test_permission_matrix(env: DiscordEnv, app, name):
    command = COMMANDS[name]
    arguments = arguments_for(command)
    for role, user in _roles(env):
        before = await snapshot(app)
        posts = len(env.requests_to("POST", "/channels/{channel_id}/messages"))
        try:
            reply = await env.slash(name, user=user, **arguments)
        except AssertionError as hidden:  # Discord itself would not show the command
            if "cannot see" not in str(hidden):
                raise
            assert trainer_only(command) and role == "no role", hidden
            continue
        refused = reply.ephemeral and NO_PERMISSION in reply.content
        if trainer_only(command) and role == "no role":
            assert refused, f"/{name} by a member with {role}: {reply.callback}"
            assert await snapshot(app) == before, f"/{name} refused but changed the database"
            assert len(env.requests_to("POST", "/channels/{channel_id}/messages")) == posts
        else:
            assert not refused, f"/{name} refused a member with {role}"
            assert reply.callback is not None and GENERIC not in str(reply.callback)
    assert pinging_requests(env) == []


# ---- nobody is pinged -----------------------------------------------------------------------


async def test_no_message_or_reply_can_ping_anyone(env: DiscordEnv, app, clock):
    ping = f"<@{env.ben.id}> <@&{env.trainer_role.id}> @everyone @here"
    await env.slash("ask", question=f"{ping} customer keeps yelling")
    await env.slash("ask", question=f"{ping} what is the airspeed of a swallow")
    await env.dm(f"{ping} customer swearing at me")
    await env.say(f"{ping} customer wants a refund", mentions=[env.bot_user])
    await env.slash("topics", tag=ping[:40])
    await env.slash("quiz now", user=env.trainer, questions=2)
    await env.slash("debrief delete", code=ping)
    form = await env.slash("debrief write")
    preview = await env.submit_modal(form, {**RAW_DEBRIEF, "what_happened": f"{ping} shouted"})
    await env.click(preview, "Submit anonymously")

    assert len(env.requests) > 10
    assert pinging_requests(env) == []


# ---- secrets and debrief text stay out of output ----------------------------------------------


@pytest.mark.parametrize(
    ("level", "log_format"), [("", "text"), ("DEBUG", "text"), ("DEBUG", "json")]
)
async def test_a_failed_login_never_prints_the_token(
    discord_env: DiscordEnv, tmp_path, level, log_format
):
    environment = {
        **process_environment(discord_env, tmp_path / "data", TOKEN),
        "COACHBOT_LOG_LEVEL": level,
        "COACHBOT_LOG_FORMAT": log_format,
    }
    process = await asyncio.create_subprocess_exec(
        *discord_env.bot_command("run"),
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    discord_env.take_problems()  # the fake answered 401 on purpose
    output = out.decode() + err.decode()

    assert process.returncode == 1
    assert "Discord refused the token" in output
    assert TOKEN not in output and TOKEN.split(".")[0] not in output and TOKEN[-20:] not in output
    assert "Traceback" not in output


@pytest_asyncio.fixture
async def token_env() -> AsyncIterator[DiscordEnv]:
    """The loopback Discord, expecting a token shaped like a real one."""
    env = DiscordEnv(token=TOKEN)
    await env.start()
    try:
        yield env
    finally:
        await env.stop()
    assert env.problems() == []


async def test_at_debug_level_neither_the_token_nor_a_debrief_reaches_the_log(
    token_env: DiscordEnv, tmp_path
):
    log_file = tmp_path / "stderr.log"
    environment = {
        **process_environment(token_env, tmp_path / "data", TOKEN),
        "COACHBOT_LOG_LEVEL": "DEBUG",
    }
    with log_file.open("wb") as stderr:  # a file, not a pipe: DEBUG output would fill a pipe
        process = await asyncio.create_subprocess_exec(
            *token_env.bot_command("run"), cwd=tmp_path, env=environment, stderr=stderr
        )
        try:
            await token_env.wait_for_bot(timeout=60, process=process)
            reply = await token_env.slash("ask", question="customer keeps screaming at me")
            assert reply.embeds
            form = await token_env.slash("debrief write")
            preview = await token_env.submit_modal(form, RAW_DEBRIEF)
            edit = await token_env.click(preview, "Edit")  # sends the raw text back in the form
            again = await token_env.submit_modal(edit, RAW_DEBRIEF)
            await token_env.click(again, "Discard")
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
    output = log_file.read_text(encoding="utf-8", errors="replace")

    assert "WebSocket Event" in output and "INTERACTION_CREATE" in output  # DEBUG was on
    assert TOKEN not in output and TOKEN.split(".")[2] not in output
    assert [word for word in RAW_WORDS if word in output] == []
    lines = output.splitlines()
    assert sum(line.startswith("ts=") for line in lines) > 50  # one event per line
    assert not [line for line in lines if line.startswith(("Traceback", "  File "))]


async def test_an_unexpected_error_in_a_debrief_logs_where_but_not_the_text(env: DiscordEnv, app):
    import io

    from coachbot import logs

    buffer = io.StringIO()
    logs.configure("WARNING", stream=buffer)

    def explode(*args, **kwargs):
        raise ValueError(f"could not read {RAW_DEBRIEF['what_happened']!r}")

    app.debriefs.prepare = explode  # type: ignore[method-assign]
    form = await env.slash("debrief write")
    failed = await env.submit_modal(form, RAW_DEBRIEF)
    env.take_problems()  # logged as an error on purpose

    assert failed.ephemeral and "something went wrong" in failed.content
    logged = buffer.getvalue()
    assert "ValueError" in logged and "message withheld" in logged
    assert [word for word in RAW_WORDS if word in logged] == []


# ---- SQL injection --------------------------------------------------------------------------


async def _tables(app) -> list[str]:
    async with app.database.connection.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name"
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def _count(app, table: str) -> int:
    async with app.database.connection.execute(f'SELECT COUNT(*) FROM "{table}"') as cursor:
        return (await cursor.fetchone())[0]


async def test_injection_strings_are_only_ever_text(env: DiscordEnv, app):
    tables = await _tables(app)
    for text in INJECTIONS:
        asked = await env.slash("ask", question=f"customer typed {text} in the chat")
        assert asked.ephemeral
        await env.slash("topics", tag=text)
        deleted = await env.slash("debrief delete", code=text)
        assert "No debrief has that code" in deleted.content or "ABCD" in deleted.content
        for values in (
            {"time": "09:00", "timezone": text},
            {"time": text, "timezone": "UTC"},
            {"time": "09:00", "timezone": "UTC", "weekdays": text},
        ):
            scheduled = await env.slash("quiz subscribe", user=env.trainer, **values)
            assert scheduled.ephemeral and NO_PERMISSION not in scheduled.content
        channel = await env.slash("debrief channel", user=env.trainer, time="09:00", timezone=text)
        assert channel.ephemeral
        form = await env.slash("debrief write")
        fields = {key: f"The caller wrote {text} and shouted at me" for key in RAW_DEBRIEF}
        preview = await env.submit_modal(form, {**fields, "topic": text})
        await env.click(preview, "Submit anonymously")

    assert await _tables(app) == tables  # nothing dropped, nothing added
    assert await _count(app, "asks") == len(INJECTIONS)
    assert await _count(app, "debriefs") == len(INJECTIONS)
    assert await _count(app, "quiz_schedules") == 0 and await _count(app, "debrief_channels") == 0
    async with app.database.connection.execute("SELECT question FROM asks") as cursor:
        stored = " ".join(row[0] for row in await cursor.fetchall())
    assert "DROP TABLE" in stored and "OR 1=1" in stored  # kept as the words they are


# ---- custom_ids from clients ----------------------------------------------------------------


def _extreme(items: Any, big: bool) -> str:
    """The longest/highest (or shortest/lowest) string a parsed regex accepts."""
    out = []
    for op, value in items:
        if op is sre.LITERAL:
            out.append(chr(value))
        elif op is sre.IN:
            out.append(_class_char(value, big))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = value
            out.append(_extreme(sub, big) * (min(high, 64) if big else low))
        elif op is sre.SUBPATTERN:
            out.append(_extreme(value[-1], big))
        elif op is sre.BRANCH:
            out.append(_extreme(value[1][-1 if big else 0], big))
        else:
            raise AssertionError(f"teach _extreme about {op}")
    return "".join(out)


def _class_char(members: list, big: bool) -> str:
    chars = []
    for op, value in members:
        if op is sre.LITERAL:
            chars.append(value)
        elif op is sre.RANGE:
            chars.extend(value)
        elif op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            chars.extend((ord("0"), ord("9")))
        else:
            raise AssertionError(f"teach _class_char about {op} {value}")
    return chr(max(chars) if big else min(chars))


def forged_ids(item: type[DynamicItem[Any]]) -> list[str]:
    """custom_ids that match the item's pattern with extreme values: out-of-range numbers,
    ids of nothing, the shortest and longest of each part."""
    parsed = sre_parse.parse(item.__discord_ui_compiled_template__.pattern)
    return sorted({_extreme(parsed, big=True), _extreme(parsed, big=False)})


def _item_kind(item: type[DynamicItem[Any]]) -> type:
    return typing.get_args(item.__orig_bases__[0])[0]  # type: ignore[attr-defined]


UNCLAIMED = [
    "",
    "cb:",
    "cb:open:'; DROP TABLE asks; --",
    'cb:vote:stay-calm:1" OR 1=1 --',
    "cb:vote:stay-calm:2",
    "cb:open:STAY-CALM",
    "cb:open:stay-calm\n",
    "cb:open:\u0455tay-calm",  # a Cyrillic s
    "cb:quiz:1:5:9",
    "cb:quiz:-1:0:0",
    "cb:quiz:1234567890123:0:0",
    "cb:me-forget:yes:-1",
    "cb:debrief:publish:abcdefgh",
    "cb:open:" + "a" * 92,
    "x" * 100,
]


async def _forge_and_click(env: DiscordEnv, custom_id: str, user: FakeUser):
    """Rewrite a button of a fresh /topics page to `custom_id`, as a tampering client would."""
    listing = await env.slash("topics", user=user)
    stored = env.messages[int(listing.message["id"])]
    button = next(c for c in iter_components(stored["components"]) if c.get("type") == 2)
    button["custom_id"] = custom_id
    button["disabled"] = False
    return await env.click(stored, custom_id, user=user)


def test_every_dynamic_item_gets_forged_ids():
    assert len(DYNAMIC_ITEMS) >= 10
    for item in DYNAMIC_ITEMS:
        for custom_id in forged_ids(item):
            assert item.__discord_ui_compiled_template__.fullmatch(custom_id)
            assert len(custom_id) <= 100


@pytest.mark.parametrize(
    "item",
    [i for i in DYNAMIC_ITEMS if _item_kind(i) is Button],
    ids=lambda item: item.__name__,
)
async def test_forged_ids_for_each_button_get_a_clear_reply_and_change_nothing(
    env: DiscordEnv, app, item
):
    before = await snapshot(app)
    for user in (env.ada, env.trainer):  # a trainer's clicks are not trusted more
        for custom_id in forged_ids(item):
            clicked = await _forge_and_click(env, custom_id, user)
            shown = clicked.content + str(clicked.embeds)
            assert clicked.ephemeral or clicked.callback_type == 7, (custom_id, clicked.callback)
            assert shown.strip() and GENERIC not in shown, (custom_id, clicked.callback)
            assert await snapshot(app) == before, (user.name, custom_id)


async def test_ids_no_pattern_claims_are_expired(env: DiscordEnv, app):
    before = await snapshot(app)
    for custom_id in [c for c in UNCLAIMED if c]:
        clicked = await _forge_and_click(env, custom_id, env.ada)
        assert clicked.ephemeral and clicked.content == EXPIRED, (custom_id, clicked.callback)
    assert await snapshot(app) == before


async def test_buttons_carrying_another_users_id_or_draft_do_nothing(env: DiscordEnv, app):
    await env.slash("quiz pause", user=env.ben, days=3)  # Ben has data to lose
    form = await env.slash("debrief write", user=env.ben)
    preview = await env.submit_modal(form, RAW_DEBRIEF, user=env.ben)
    token = re.search(
        r"cb:debrief:submit:([\w-]+)", str(preview.callback["data"]["components"])
    ).group(1)
    before = await snapshot(app)

    for custom_id in (
        f"cb:me-forget:yes:{env.ben.id}",
        f"cb:debrief:submit:{token}",
        f"cb:debrief:edit:{token}",
        f"cb:debrief:discard:{token}",
    ):
        clicked = await _forge_and_click(env, custom_id, env.ada)
        assert GENERIC not in clicked.content and clicked.content, custom_id
        assert "Abernathy" not in str(clicked.callback)  # Ben's draft is not shown to Ada

    assert await snapshot(app) == before
    done = await env.click(preview, "Submit anonymously", user=env.ben)  # still Ben's to send
    assert "Deletion code" in done.content


# ---- rate limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n, c in COMMANDS.items() if has_cooldown(c)))
async def test_commands_with_a_cooldown_refuse_spam_politely(env: DiscordEnv, name):
    command = COMMANDS[name]
    replies = []
    for _ in range(25):
        replies.append(await env.slash(name, **arguments_for(command)))
        if "Slow down" in replies[-1].content:
            break
    assert "Slow down" not in replies[0].content
    assert replies[-1].ephemeral and "Slow down" in replies[-1].content


async def test_questions_by_dm_or_mention_share_one_rate_limit(env: DiscordEnv):
    replies = [await env.dm("customer keeps yelling at me") for _ in range(3)]
    replies += [
        await env.say("customer keeps yelling at me", mentions=[env.bot_user]) for _ in range(3)
    ]
    texts = [" ".join(m.get("content") or "" for m in reply) for reply in replies]
    assert not any("Slow down" in text for text in texts[:5])
    assert "Slow down" in texts[5]
    assert pinging_requests(env) == []
