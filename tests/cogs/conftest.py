"""The real bot, built by create_bot, connected to the loopback Discord."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from cogs._bot import create_bot
from tests.discord_harness import (
    GUILD_ID,
    DiscordEnv,
    discord_env_fixture,  # noqa: F401  (the discord_env fixture)
    iter_components,
)

CLIENT_OPTIONS = {"guild_ready_timeout": 0.1}
REPO = Path(__file__).resolve().parents[2]


def process_environment(env: DiscordEnv, data_dir: Path, token: str) -> dict[str, str]:
    """The environment for `coachbot` run as a separate process against the fake."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": token,
        "COACHBOT_DEV_GUILD": str(GUILD_ID),
        "COACHBOT_DATA_DIR": str(data_dir),
        "COACHBOT_KNOWLEDGE_DIR": str(REPO / "knowledge"),
        "COACHBOT_LOG_LEVEL": "",  # the default, as a new user runs it
    }


@pytest.fixture
def bot_settings(settings):
    # no knowledge watcher: these bots share the repository's knowledge folder, which may be
    # edited while tests run (tests/cogs/kb/test_kb.py turns it on, on a copy)
    return replace(settings, dev_guild_id=GUILD_ID, watch_knowledge=False)


@pytest.fixture
async def env(discord_env: DiscordEnv, app, bot_settings) -> AsyncIterator[DiscordEnv]:
    """A conversation with CoachBot in the Support Floor server."""
    bot = create_bot(app, bot_settings, **CLIENT_OPTIONS)
    discord_env.coachbot = bot  # type: ignore[attr-defined]  # for tests that drive its loops
    await discord_env.connect(bot)
    yield discord_env
    await discord_env.disconnect()


def button_ids(message_or_record) -> list[str]:
    components = getattr(message_or_record, "components", None)
    if components is None:
        components = message_or_record.get("components")
    return [c["custom_id"] for c in iter_components(components) if "custom_id" in c]
