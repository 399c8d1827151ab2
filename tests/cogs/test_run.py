"""`coachbot run` is the real entry point: it connects to the loopback Discord, answers,
refuses a bad token in one line, and stops cleanly on SIGTERM (docker stop)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from tests.cogs.conftest import process_environment
from tests.discord_harness import DiscordEnv

REPO = Path(__file__).resolve().parents[2]


async def test_run_with_a_bad_token_exits_with_one_clear_line(discord_env: DiscordEnv, tmp_path):
    secret = "not-the-right-token-0123456789"
    process = await asyncio.create_subprocess_exec(
        *discord_env.bot_command("run"),
        cwd=tmp_path,
        env=process_environment(discord_env, tmp_path / "data", secret),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    discord_env.take_problems()  # the fake recorded the 401 on purpose

    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert process.returncode == 1
    assert lines == [line for line in lines if "Discord refused the token" in line]
    assert len(lines) == 1
    assert secret not in err.decode() + out.decode()


async def test_run_connects_answers_and_stops_cleanly_on_sigterm(discord_env: DiscordEnv, tmp_path):
    data_dir = tmp_path / "data"
    process = await asyncio.create_subprocess_exec(
        *discord_env.bot_command("run"),
        cwd=tmp_path,
        env=process_environment(discord_env, data_dir, discord_env.token),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await discord_env.wait_for_bot(timeout=60, process=process)
        assert process.stderr is not None
        ready = await asyncio.wait_for(process.stderr.readline(), 30)
        assert ready.decode().startswith("Connected to Discord as coachbot in 1 server.")
        reply = await discord_env.slash("ask", question="customer keeps screaming at me")
        assert reply.ephemeral and reply.embeds[0]["title"].startswith("Stay calm")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 30)

    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert discord_env.token not in err.decode() + out.decode()
    database = data_dir / "coachbot.sqlite3"
    assert not Path(f"{database}-wal").exists()  # the last connection closed and checkpointed
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT answered FROM asks").fetchall() == [(1,)]


def test_sync_without_a_token_says_what_to_set(tmp_path):
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "coachbot.cli", "sync"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Set DISCORD_TOKEN" in done.stderr and "Traceback" not in done.stderr
