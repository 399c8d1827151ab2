"""At DEBUG every logger in the process speaks (discord.py, aiosqlite, asyncio): a whole
session of debriefing, quizzing and forgetting must still leave no debrief text and no agent
or debrief id in the log."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from coachbot import logs
from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv

EPHEMERAL = 64
DEBRIEF = {
    "what_happened": "The caller kept shouting about a surprise roaming bill from Portugal.",
    "what_tried": "I paused, named his frustration and read the bill back slowly.",
    "what_worked": "Offering a goodwill credit on the roaming bundle calmed him.",
    "next_time": "Check roaming add-ons before I explain the charges.",
    "topic": "",
}


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Logging as `coachbot run` sets it up with COACHBOT_LOG_LEVEL=DEBUG, into a buffer.

    Requested before `env`, so the bot's whole life (connect, session, close) is logged."""
    stream = io.StringIO()
    logs.configure("DEBUG", stream=stream)
    yield stream
    logs.remove()


def _quiz_cog(env: DiscordEnv):
    return env.coachbot.get_cog("QuizCog")  # type: ignore[attr-defined]


async def _debrief(env: DiscordEnv) -> None:
    form = await env.slash("debrief write", user=env.ada)
    preview = await env.submit_modal(form, DEBRIEF, user=env.ada)
    done = await env.click(preview, "Submit anonymously", user=env.ada)
    assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", done.content)


async def _answer_a_quiz(env: DiscordEnv, clock) -> None:
    local = clock.now + timedelta(hours=1)  # the fake clock is UTC; Berlin is UTC+1 in November
    await env.slash(
        "quiz subscribe", user=env.trainer, time=f"{local:%H:%M}", timezone="Europe/Berlin"
    )
    await _quiz_cog(env).tick()
    [post] = [m for m in env.sent_messages(env.channel) if not m.get("flags", 0) & EPHEMERAL]
    answered = await env.click(post, button_ids(post)[0], user=env.ada)
    assert answered.ephemeral


async def _forget(env: DiscordEnv) -> None:
    ask = await env.slash("me forget", user=env.ada)
    done = await env.click(ask, "Delete my data", user=env.ada)
    assert done.content.startswith("Deleted 1 quiz answer")


async def test_a_debug_session_logs_no_debrief_text_and_no_ids(
    debug_log: io.StringIO, env: DiscordEnv, app, clock
):
    await _debrief(env)
    await _answer_a_quiz(env, clock)
    await _forget(env)
    [(debrief_id, *stored)] = await app.database.connection.execute_fetchall(
        "SELECT id, what_happened, what_tried, what_worked, next_time FROM debriefs"
    )

    text = debug_log.getvalue()
    assert "level=debug logger=discord.gateway" in text  # the session was logged at DEBUG
    assert debrief_id not in text
    for field in stored:
        assert field[:25] not in text
    assert str(env.ada.id) not in text
