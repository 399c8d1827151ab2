"""Reloading in the terminal: the `reload` command, and automatic reload in `coachbot chat`."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.console import Console, watch_locally
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from tests.conftest import REPO
from tests.knowledge_versions import question, write_version

WAIT = 20.0  # seconds, an upper bound for a process to start and a reload to land


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return directory


@pytest.fixture
def local_app(tmp_path: Path, knowledge_dir: Path, clock, memory_database) -> App:
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir)
    return App(settings, LiveKnowledge.load(knowledge_dir), memory_database, clock)


async def test_reload_in_the_chat_lists_the_changes(local_app, knowledge_dir):
    console = Console(local_app)
    write_version(knowledge_dir, "B")
    reply = await console.handle("reload")
    assert reply.splitlines()[0] == (
        "Knowledge reloaded (version 2): 1 topic added, 3 edited, 1 removed; "
        "1 quiz item added, 3 edited, 1 removed."
    )
    assert "  Topics added: cancel-plan" in reply
    assert "Version B." in await console.handle(question("cancel-plan"))


async def test_reload_in_the_chat_lists_every_problem_and_keeps_the_old_version(
    local_app, knowledge_dir
):
    console = Console(local_app)
    write_version(knowledge_dir, "broken")
    reply = await console.handle("reload")
    lines = reply.splitlines()
    assert lines[0] == "Knowledge NOT reloaded: 2 problems. Version 1 stays live."
    assert any("late-delivery.yaml:3:1: YAML syntax error" in line for line in lines[1:])
    assert "Version A." in await console.handle(question("billing-error"))


async def test_watch_locally_prints_one_line_per_reload(local_app, knowledge_dir):
    out = io.StringIO()
    printed = asyncio.Event()
    local_app.reloader.subscribe(lambda result: printed.set())
    async with watch_locally(local_app, out) as watcher:
        await asyncio.wait_for(watcher.started(), WAIT)
        write_version(knowledge_dir, "B")
        await asyncio.wait_for(printed.wait(), WAIT)
        await asyncio.sleep(0)  # the line is printed right after the listeners ran
    assert out.getvalue().splitlines() == [
        "Knowledge reloaded (version 2): 1 topic added, 3 edited, 1 removed; "
        "1 quiz item added, 3 edited, 1 removed."
    ]


async def test_no_watching_when_turned_off(tmp_path, knowledge_dir, clock, memory_database):
    settings = Settings(tmp_path / "data", knowledge_dir, watch_knowledge=False)
    app = App(settings, LiveKnowledge.load(knowledge_dir), memory_database, clock)
    async with watch_locally(app) as watcher:
        assert watcher is None


@pytest.mark.parametrize(
    ("value", "watch"),
    [(None, True), ("", True), ("1", True), ("0", False), ("off", False), (" FALSE ", False)],
)
def test_coachbot_watch_turns_automatic_reload_off(value, watch):
    environ = {} if value is None else {"COACHBOT_WATCH": value}
    assert Settings.from_env(environ).watch_knowledge is watch


async def test_coachbot_chat_reloads_an_edit_and_reports_a_broken_one_on_stderr(
    tmp_path, knowledge_dir
):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "COACHBOT"))}
    environment.update(
        PYTHONPATH=str(REPO),
        COACHBOT_DATA_DIR=str(tmp_path / "data"),
        COACHBOT_KNOWLEDGE_DIR=str(knowledge_dir),
    )
    chat = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "coachbot.cli",
        "chat",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )

    async def line_starting(prefix: str) -> str:
        while not (line := (await chat.stderr.readline()).decode()).startswith(prefix):
            assert line, "the chat ended"
        return line

    try:
        assert b"local chat" in await asyncio.wait_for(chat.stdout.readline(), WAIT)
        line = ""
        for _attempt in range(10):  # the watch starts with the chat; until it is in place...
            write_version(knowledge_dir, "B")
            try:
                line = await asyncio.wait_for(line_starting("Knowledge reloaded"), 2.0)
                break
            except TimeoutError:
                continue  # ...an edit can go unseen: save again
        assert line.startswith("Knowledge reloaded (version 2): 1 topic added")

        (knowledge_dir / "topics" / "cancel-plan.yaml").write_text("id: [oops\n")
        await asyncio.wait_for(line_starting("Knowledge NOT reloaded: "), WAIT)
        problem = await asyncio.wait_for(chat.stderr.readline(), WAIT)
        assert "cancel-plan.yaml:2:1: YAML syntax error" in problem.decode()

        chat.stdin.write(f"{question('cancel-plan')}\nquit\n".encode())
        await chat.stdin.drain()
        out, err = await asyncio.wait_for(chat.communicate(), WAIT)
        assert "Version B." in out.decode()
        assert chat.returncode == 0 and b"Traceback" not in err
    finally:
        if chat.returncode is None:
            chat.kill()
            await chat.wait()
