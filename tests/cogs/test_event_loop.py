"""`coachbot run` on Discord uses uvloop when it is installed; everything else, asyncio."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from coachbot import cli
from cogs._bot import event_loop_factory


def test_the_bot_runs_on_uvloop_when_it_is_installed():
    uvloop = pytest.importorskip("uvloop")
    assert event_loop_factory() is uvloop.new_event_loop


def test_without_uvloop_the_bot_falls_back_to_asyncio(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvloop", None)  # makes `import uvloop` fail
    assert event_loop_factory() is None


def test_only_the_discord_bot_changes_its_loop(settings):
    with_token = replace(settings, discord_token="token")
    assert cli._loop_factory("run", with_token) is event_loop_factory()
    assert cli._loop_factory("run", replace(settings, discord_token=None)) is None
    for command in ("chat", "ask", "topics", "sync"):
        assert cli._loop_factory(command, with_token) is None
