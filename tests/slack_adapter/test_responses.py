"""Private replies (Bolt's `respond` to a response URL) go over one kept-alive connection per
app, not a new session each, and that session is closed when the app stops serving."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import aiohttp
import pytest

from slack_adapter import responses
from slack_adapter.runner import serve_slack
from tests.slack_harness import SlackEnv, message_text, point_slack_at


@pytest.fixture
def sessions(monkeypatch) -> list[aiohttp.ClientSession]:
    """Every session the apps of this test post private replies through."""
    seen: list[aiohttp.ClientSession] = []
    get = responses.ResponseSession.get

    def recorded(self: responses.ResponseSession) -> aiohttp.ClientSession:
        session = get(self)
        if session not in seen:
            seen.append(session)
        return session

    monkeypatch.setattr(responses.ResponseSession, "get", recorded)
    return seen


async def test_private_replies_come_over_one_kept_alive_connection(env: SlackEnv):
    for question in ("help", "tip", "customer keeps yelling at me"):
        turn = await env.command("/coach", question, user=env.ada)
        assert turn.status == 200

    replies = env.calls_to("response_url")
    assert [c.ok for c in replies] == [True, True, True]
    assert len({c.peer for c in replies}) == 1  # before: a new session, so a new port, each
    assert "*Steps*" in message_text(env.ephemerals_to(env.ada)[-1])  # the card as before


async def test_a_buttons_reply_and_a_refusal_use_it_too(env: SlackEnv):
    await env.command("/coach", "customer keeps yelling at me")
    [card] = env.ephemerals_to(env.ada)
    await env.click(card, "👍 Helpful")
    await env.command("/coach", "quiz subscribe 25:00 Europe/Berlin")  # refused privately

    replies = env.calls_to("response_url")
    assert len(replies) == 3 and len({c.peer for c in replies}) == 1
    assert message_text(env.ephemerals_to(env.ada)[1]) == "Thanks, glad it helped."


async def test_the_session_closes_when_the_server_stops_and_reopens_when_served_again(
    env: SlackEnv, sessions
):
    await env.command("/coach", "help")
    [first] = sessions
    assert not first.closed

    await env.disconnect()  # the HTTP server's cleanup
    assert first.closed

    await env.serve(env.bolt)  # type: ignore[attr-defined]  # served again: a fresh session
    turn = await env.command("/coach", "tip")
    assert turn.status == 200 and len(env.calls_to("response_url")) == 2
    assert len(sessions) == 2 and not sessions[1].closed


async def test_the_socket_mode_runner_closes_it_when_it_stops(
    slack_env: SlackEnv, app, slack_settings, sessions
):
    socket_mode = replace(slack_settings, slack_app_token=slack_env.app_token)
    restore = point_slack_at(slack_env.base_url)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_slack(app, socket_mode, stop))
    try:
        await slack_env.wait_for_socket()
        turn = await slack_env.command("/coach", "help")
        assert turn.via == "socket"
        for _ in range(200):  # the reply goes out after the ack
            if slack_env.calls_to("response_url"):
                break
            await asyncio.sleep(0.01)
        assert [c.ok for c in slack_env.calls_to("response_url")] == [True]
    finally:
        stop.set()
        await asyncio.wait_for(serving, 10)
        restore()
    [session] = sessions
    assert session.closed
