"""The Slack runner in HTTP mode (a signing secret, no app token): Bolt's aiohttp server on
COACHBOT_SLACK_PORT answers signed requests, and with COACHBOT_WATCH on it runs the App's one
knowledge watcher, so `/coach kb status` says automatic reload is on."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace

import pytest

from coachbot.knowledge.watch import is_watching, shared_watcher
from slack_adapter.runner import EVENTS_PATH, serve_slack
from tests.cogs.kb import conftest as own_knowledge
from tests.slack_harness import SlackEnv, message_text, point_slack_at

# a knowledge folder of its own: the watcher never looks at the repository's
knowledge_dir = own_knowledge.knowledge_dir
settings = own_knowledge.settings
live_knowledge = own_knowledge.live_knowledge


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture
async def served(slack_env: SlackEnv, app, slack_settings):
    """`serve_slack` as `coachbot run` calls it, in HTTP mode, slack_sdk pointed at the fake."""
    port = free_port()
    http = replace(slack_settings, slack_app_token=None, slack_port=port, watch_knowledge=True)
    restore = point_slack_at(slack_env.base_url)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_slack(app, http, stop))
    try:
        await listening(port)
        slack_env.events_url = f"http://127.0.0.1:{port}{EVENTS_PATH}"
        yield slack_env
    finally:
        stop.set()
        await asyncio.wait_for(serving, 10)
        restore()


async def test_http_mode_answers_a_signed_coach_on_the_port(served: SlackEnv):
    turn = await served.command("/coach", "customer keeps yelling at me")
    assert turn.via == "http" and turn.status == 200
    assert "*Steps*" in message_text(served.ephemerals_to(served.ada)[-1])

    forged = await served.command("/coach", "customer keeps yelling", bad_signature=True)
    assert forged.status == 401 and forged.calls == []


async def test_automatic_reload_is_on_with_one_watcher_for_the_app(served: SlackEnv, app):
    status = await served.command("/coach", "kb status", user=served.max)  # an admin
    assert "Automatic reload: on" in status.text
    assert is_watching(app)

    async def other(_changed: frozenset[str]) -> None: ...

    runner_watcher = shared_watcher(app, app.settings.knowledge_dir, other)  # as Discord asks
    assert shared_watcher(app, app.settings.knowledge_dir, other) is runner_watcher
    assert runner_watcher.running


async def test_the_watcher_stops_with_the_runner(slack_env: SlackEnv, app, slack_settings):
    stop = asyncio.Event()
    restore = point_slack_at(slack_env.base_url)
    http = replace(slack_settings, slack_app_token=None, slack_port=free_port())
    try:
        serving = asyncio.create_task(serve_slack(app, replace(http, watch_knowledge=True), stop))
        await listening(http.slack_port)
        assert is_watching(app)
        stop.set()
        await asyncio.wait_for(serving, 10)
        assert not is_watching(app)
    finally:
        restore()


async def test_auth_test_is_called_once_at_start_up_not_by_the_first_burst(served: SlackEnv):
    assert len(served.calls_to("auth.test")) == 1  # the runner's, before any request
    burst = [served.command("/coach", "help", user=who) for who in (served.ada, served.ben)] * 3
    turns = await asyncio.gather(*burst)
    assert [t.status for t in turns] == [200] * 6
    assert len(served.calls_to("auth.test")) == 1
