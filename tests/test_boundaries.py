"""Architecture rules that keep the core portable to Slack and others."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_does_not_import_discord():
    code = (
        "import sys, coachbot, coachbot.app, coachbot.cli, coachbot.console;"
        "print('discord' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_sql_outside_the_store():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "coachbot"
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if "store" not in path.parts
        and any(word in path.read_text(encoding="utf-8") for word in ("SELECT ", "INSERT INTO"))
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
