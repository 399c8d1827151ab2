"""`coachbot run` with Discord's and Slack's tokens: one process serves both fakes on one App,
so one database and one knowledge base: a reload from either platform serves both, and SIGTERM
stops both cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

from tests.discord_harness import GUILD_ID, DiscordEnv
from tests.discord_harness import discord_env_fixture as discord_env  # noqa: F401
from tests.knowledge_versions import question, write_version
from tests.slack_harness import TRAINER_GROUP, SlackEnv, message_text
from tests.slack_harness import slack_env_fixture as slack_env  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
EPHEMERAL = 64


def _both(discord: DiscordEnv, slack: SlackEnv, tmp_path: Path) -> tuple[list[str], dict]:
    """argv and environment of `coachbot run` with both tokens, each platform at its fake."""
    argv = [sys.executable, "-m", "tests.bot_process", discord.base_url, "--quick-ready"]
    environ = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "COACHBOT_DATA_DIR": str(tmp_path / "data"),
        "COACHBOT_KNOWLEDGE_DIR": str(tmp_path / "knowledge"),
        "COACHBOT_WATCH": "0",  # reloads come from the trainers' commands only
        "COACHBOT_LOG_LEVEL": "",
        "DISCORD_TOKEN": discord.token,
        "COACHBOT_DEV_GUILD": str(GUILD_ID),
        "COACHBOT_SLACK_TRAINER_GROUP": TRAINER_GROUP,
        **slack.environ(socket_mode=True),
    }
    return [*argv, "--slack", slack.base_url, "run"], environ


async def _slack_answer(slack: SlackEnv, text: str, user: Any) -> str:
    """Ask on Slack; the other process answers through the response URL after the ack."""
    before = len(slack.ephemerals_to(user))
    turn = await slack.command("/coach", text, user=user)
    assert turn.via == "socket" and turn.status == 200
    for _ in range(400):
        found = slack.ephemerals_to(user)
        if len(found) > before:
            return message_text(found[-1])
        await asyncio.sleep(0.025)
    raise AssertionError(f"no answer on Slack to {text!r}")


async def _discord_answer(discord: DiscordEnv, text: str) -> str:
    reply = await discord.slash("ask", question=text)
    assert reply.ephemeral
    return reply.embeds[0]["description"]


async def _discord_reload(discord: DiscordEnv) -> str:
    reply = await discord.slash("kb reload", user=discord.trainer)
    [followup] = reply.followups
    assert followup["flags"] & EPHEMERAL
    return followup["content"]


async def test_one_process_serves_slack_and_discord_on_one_app(
    discord_env: DiscordEnv,  # noqa: F811
    slack_env: SlackEnv,  # noqa: F811
    tmp_path: Path,
):
    knowledge = tmp_path / "knowledge"
    write_version(knowledge, "A")
    argv, environ = _both(discord_env, slack_env, tmp_path)
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=tmp_path,
        env=environ,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await discord_env.wait_for_bot(timeout=60, process=process)
        await slack_env.wait_for_socket(timeout=30)

        # one knowledge base: version A on both
        assert "Version A." in await _slack_answer(
            slack_env, question("angry-caller"), slack_env.ada
        )
        assert "Version A." in await _discord_answer(discord_env, question("angry-caller"))

        # a reload on Discord serves Slack too
        write_version(knowledge, "B")
        assert "Version 2 is live" in await _discord_reload(discord_env)
        assert "Version B." in await _slack_answer(
            slack_env, question("cancel-plan"), slack_env.ben
        )
        assert "Version B." in await _discord_answer(discord_env, question("cancel-plan"))

        # and a reload on Slack serves Discord
        write_version(knowledge, "A")
        reloaded = await _slack_answer(slack_env, "kb reload", slack_env.tara)  # a trainer
        assert reloaded.startswith("*Knowledge reloaded.* Version 3 is live")
        assert "Version A." in await _discord_answer(discord_env, question("billing-error"))
        assert "Version A." in await _slack_answer(
            slack_env, question("billing-error"), slack_env.ada
        )
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)

    said = stderr.decode()
    assert process.returncode == 0, said
    assert "Connected to Discord as coachbot" in said and "Connected to Slack (Socket Mode)" in said
    assert "Traceback" not in said and "Unclosed" not in said, said
    assert discord_env.token not in said and "xoxb-" not in said and "xapp-" not in said
    # one database, holding both platforms' questions; closed and checkpointed
    [database] = (tmp_path / "data").glob("*.sqlite3")
    assert not Path(f"{database}-wal").exists()
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        topics = connection.execute("SELECT topic_id FROM asks ORDER BY id").fetchall()
    assert [t for (t,) in topics] == [
        "angry-caller",  # Slack
        "angry-caller",  # Discord
        "cancel-plan",  # Slack, after Discord's reload
        "cancel-plan",  # Discord
        "billing-error",  # Discord, after Slack's reload
        "billing-error",  # Slack
    ]
