"""Two `coachbot run` on one data folder: the second refuses in one clear line and never
connects, while one-shot commands (ask, doctor) keep working beside the running bot."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from tests.cogs.conftest import process_environment
from tests.discord_harness import DiscordEnv


async def _coachbot(env: DiscordEnv, tmp_path: Path, *args: str, **extra: str):
    environment = {**process_environment(env, tmp_path / "data", env.token), **extra}
    process = await asyncio.create_subprocess_exec(
        *env.bot_command(*args),
        cwd=tmp_path,
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    return process


async def _finish(process) -> tuple[int, str, str]:
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


async def test_a_second_bot_on_the_same_data_folder_refuses_to_start(
    discord_env: DiscordEnv, tmp_path
):
    first = await _coachbot(discord_env, tmp_path, "run")
    try:
        await discord_env.wait_for_bot(timeout=60, process=first)

        code, _, err = await _finish(await _coachbot(discord_env, tmp_path, "run"))
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 1
        assert len(lines) == 1 and f"(process {first.pid}) is already running" in lines[0]
        assert len(discord_env.identifies) == 1  # the second never connected

        chat, _, chat_err = await _finish(
            await _coachbot(discord_env, tmp_path, "chat", DISCORD_TOKEN="")
        )
        assert chat == 1 and "already running" in chat_err

        asked, answer, _ = await _finish(
            await _coachbot(discord_env, tmp_path, "ask", "customer keeps screaming at me")
        )
        assert asked == 0 and "Stay calm" in answer

        _, report, _ = await _finish(await _coachbot(discord_env, tmp_path, "doctor"))
        assert f"Running bot: a CoachBot (process {first.pid}) is running" in report

        reply = await discord_env.slash("ask", question="customer keeps screaming at me")
        assert reply.embeds[0]["title"].startswith("Stay calm")  # the first one still serves
    finally:
        if first.returncode is None:
            first.send_signal(signal.SIGTERM)
        code, _, err = await _finish(first)
    assert code == 0, err


async def test_multi_process_mode_lets_a_second_bot_connect(discord_env: DiscordEnv, tmp_path):
    first = await _coachbot(discord_env, tmp_path, "run", COACHBOT_MULTI_PROCESS="1")
    second = None
    try:
        await discord_env.wait_for_bot(timeout=60, process=first)
        second = await _coachbot(discord_env, tmp_path, "run", COACHBOT_MULTI_PROCESS="1")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while len(discord_env.identifies) < 2 and second.returncode is None:
            assert loop.time() < deadline, "the second bot did not connect"
            await asyncio.sleep(0.05)
        assert len(discord_env.identifies) == 2
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in (first, second):
            if process is not None:
                await _finish(process)
