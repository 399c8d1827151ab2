"""Architecture rules that keep the core portable to Slack and others."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path


def test_importing_the_core_does_not_import_discord():
    code = (
        "import sys, coachbot, coachbot.app, coachbot.cli, coachbot.console;"
        "print('discord' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _imports(module: str) -> set[str]:
    """The coachbot modules a module imports (directly or not), by their import statements."""
    root = Path(__file__).resolve().parents[1]
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        path = root / (name.replace(".", "/") + ".py")
        if name in seen or not path.exists():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                todo.append(node.module)
            elif isinstance(node, ast.Import):
                todo.extend(alias.name for alias in node.names)
    return {name for name in seen if name.startswith("coachbot.")} - {module}


def test_the_store_and_the_debriefs_reach_into_no_quiz_logic():
    """The store sits below the services; digests share schedules, not the quiz's rules."""
    root = Path(__file__).resolve().parents[1]
    stores = [f"coachbot.store.{p.stem}" for p in (root / "coachbot" / "store").glob("*.py")]
    for module in [*stores, "coachbot.debrief.service"]:
        assert not {m for m in _imports(module) if m.startswith("coachbot.quiz")}, module


# Any statement a database would run: a verb with the words that make it SQL, in any case.
SQL = re.compile(
    r"\b(?:select\s+(?:distinct\s+)?[\w.*()]+(?:\s+as\s+\w+)?"
    r"(?:\s*,\s*[\w.*()]+(?:\s+as\s+\w+)?)*\s+from\s"
    r"|insert\s+(?:or\s+\w+\s+)?into|update\s+\w+\s+set"
    r"|delete\s+from|create\s+(?:unique\s+)?(?:table|index|view|trigger)"
    r"|drop\s+(?:table|index|view|trigger)|alter\s+table|pragma\b"
    r"|begin\s+(?:immediate|exclusive|deferred)|vacuum\b|on\s+conflict\b|returning\s+\*)",
    re.IGNORECASE,
)
EXECUTE = {"execute", "executemany", "executescript", "execute_fetchall", "fetch", "fetchrow"}


def sql_in(source: str) -> list[int]:
    """Lines outside the store that hold SQL text or run a statement."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL.search(node.value)
        ) or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in EXECUTE
        ):
            lines.append(node.lineno)
    return lines


def test_the_sql_check_sees_sql_in_any_case_and_shape():
    assert sql_in('q = "select id from asks where x = ?"')
    assert sql_in('q = "UPDATE debriefs SET shared = 1"')
    assert sql_in('q = ("DELETE FROM votes " "WHERE a = ?")')
    assert sql_in('q = f"PRAGMA {name}"')
    assert sql_in("await db.execute(q)")
    assert not sql_in('text = "Select a topic from the list, then update your notes."[:0]')
    assert not sql_in('message = "Delete your data with /me forget."')


def test_no_sql_outside_the_store():
    root = Path(__file__).resolve().parents[1]
    offenders = [
        (str(path.relative_to(root)), line)
        for package in ("coachbot", "cogs")
        for path in (root / package).rglob("*.py")
        if "store" not in path.relative_to(root).parts
        for line in sql_in(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


async def test_no_two_extensions_register_the_same_command_and_all_are_described(app, settings):
    from cogs._bot import create_bot, extension_names

    bot = create_bot(app, settings)
    try:
        assert set(bot.extensions) == set(extension_names())
        owners: dict[str, str] = {}
        for name in extension_names():
            module = bot.extensions[name]
            for cog in bot.cogs.values():
                if type(cog).__module__ != module.__name__:
                    continue
                for command in cog.get_app_commands():
                    assert command.name not in owners, (command.name, owners.get(command.name))
                    owners[command.name] = name
        assert owners, "no slash commands were registered"
        for command in bot.tree.walk_commands():
            assert command.description and command.description != "…", command.qualified_name
            for parameter in getattr(command, "parameters", []):
                assert parameter.description not in ("", "…"), (command.name, parameter.name)
    finally:
        await bot.close()


async def test_the_bot_never_pings_by_default_and_needs_no_privileged_intent(app, settings):
    import discord

    from cogs._bot import create_bot

    bot = create_bot(app, settings)
    try:
        mentions = bot.allowed_mentions
        assert mentions is not None
        assert mentions.to_dict() == discord.AllowedMentions.none().to_dict()
        assert not (bot.intents.message_content or bot.intents.members or bot.intents.presences)
    finally:
        await bot.close()
