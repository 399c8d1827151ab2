"""`coachbot run` with only the Slack variables set: Socket Mode, a question answered."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from tests.slack_harness import SlackEnv, message_text, slack_env_fixture  # noqa: F401

REPO = Path(__file__).resolve().parents[2]


async def _ephemeral(env: SlackEnv, process: asyncio.subprocess.Process) -> dict:
    for _ in range(200):  # the other process answers through the response URL
        found = env.ephemerals_to(env.ada)
        if found:
            return found[-1]
        if process.returncode is not None:
            break
        await asyncio.sleep(0.05)
    raise AssertionError("coachbot run never answered /coach")


async def test_a_fresh_folder_with_only_slack_variables_runs_into_socket_mode(
    slack_env: SlackEnv, tmp_path: Path
):
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "COACHBOT_DATA_DIR": str(tmp_path / "data"),
        "COACHBOT_WATCH": "0",
        **slack_env.environ(socket_mode=True),  # SLACK_BOT_TOKEN and SLACK_APP_TOKEN only
    }
    process = await asyncio.create_subprocess_exec(
        *slack_env.bot_command("run"),
        cwd=tmp_path,  # no .env, no knowledge folder: the bundled one
        env=environ,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await slack_env.wait_for_socket(timeout=30)
        turn = await slack_env.command("/coach", "customer keeps yelling at me")
        assert turn.via == "socket" and turn.status == 200
        card = await _ephemeral(slack_env, process)
        assert "*Steps*" in message_text(card)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    said = stderr.decode()
    assert "Connected to Slack (Socket Mode)" in said, said
    assert process.returncode == 0, said
    assert "xoxb-" not in said and "xapp-" not in said  # tokens never printed
