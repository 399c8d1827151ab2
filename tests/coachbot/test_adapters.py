"""The core finds the chat platforms through entry points and serves them on one App."""

from __future__ import annotations

import ast
import asyncio
from dataclasses import replace

import pytest

from coachbot import adapters
from coachbot.adapters import Adapter
from coachbot.errors import CoachError
from tests.conftest import REPO


def test_each_platform_registers_its_adapter():
    from cogs import _bot
    from slack_adapter import runner

    assert adapters.load("discord") is _bot.ADAPTER
    assert adapters.load("slack") is runner.ADAPTER
    assert adapters.load("discord").sync is _bot.sync_now
    assert adapters.load("teams") is None  # not in this build


def test_run_wants_the_platforms_whose_tokens_are_set(settings):
    assert adapters.wanted(settings) == []
    assert adapters.wanted(replace(settings, discord_token="d")) == ["discord"]
    both = replace(settings, discord_token="d", slack_bot_token="xoxb-1")
    assert adapters.wanted(both) == ["discord", "slack"]


def test_the_core_never_imports_an_adapter():
    adapter_packages = ("cogs", "slack_adapter")
    for path in sorted((REPO / "coachbot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in adapter_packages, f"{path}: imports {name}"


def _adapter(name: str, serve) -> Adapter:
    return Adapter(name=name, serve=serve)


async def test_when_one_adapter_ends_the_others_stop_and_the_app_closes(settings):
    seen = []

    async def ends_at_once(app, _settings, stop):  # Discord closed the connection
        seen.append(("ended", app))

    async def waits(app, _settings, stop):
        await stop.wait()
        seen.append(("stopped", app))

    assert await adapters.serve([_adapter("a", ends_at_once), _adapter("b", waits)], settings) == 0
    [(_, first), (event, second)] = seen
    assert event == "stopped" and first is second  # one App for both
    assert first._closed


async def test_a_failure_is_raised_after_the_others_stopped(settings):
    stopped = asyncio.Event()

    async def refused(app, _settings, stop):
        raise CoachError("Discord refused the token.")

    async def waits(app, _settings, stop):
        await stop.wait()
        stopped.set()

    with pytest.raises(CoachError, match="refused the token"):
        await adapters.serve([_adapter("a", refused), _adapter("b", waits)], settings)
    assert stopped.is_set()
