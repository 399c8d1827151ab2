"""The local chat in a real terminal: Ctrl+C ends it at once, says goodbye, and leaves the
database closed and intact; lines of any bytes are read whole."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from coachbot.terminal import TerminalLines, ctrl_c
from tests.coachbot.test_cli import environment
from tests.conftest import KNOWLEDGE
from tests.knowledge_versions import write_version

GOODBYE = b"Bye. Good luck out there."
PROMPT = b"you> "


class Terminal:
    """`coachbot chat` with a pseudo-terminal as its controlling terminal, as when a person
    types: a \\x03 written to it is the kernel's SIGINT to the chat, like a real Ctrl+C."""

    def __init__(self, tmp_path: Path, knowledge: Path = KNOWLEDGE) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coachbot.cli", "chat"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=tmp_path,
            env=environment(tmp_path, knowledge),
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.screen = b""
        self.seen = 0  # where the next wait_for starts looking

    def wait_for(self, text: bytes, *, seconds: float = 60) -> None:
        """Read the screen until `text` appears after what the last wait found (a generous
        deadline only so that a broken chat fails instead of hanging the suite)."""
        deadline = time.monotonic() + seconds
        while (found := self.screen.find(text, self.seen)) < 0:
            assert time.monotonic() < deadline, f"never saw {text!r} in {self.screen!r}"
            if not self._read(0.2):
                assert self.process.poll() is None, f"exited before {text!r}: {self.screen!r}"
        self.seen = found + len(text)

    def saw(self, text: bytes, *, seconds: float) -> bool:
        """Whether `text` appears within `seconds` (for what may legitimately not come)."""
        try:
            self.wait_for(text, seconds=seconds)
        except AssertionError:
            return False
        return True

    def type(self, text: bytes) -> None:
        os.write(self.master, text)

    def finish(self) -> int:
        """Its exit code; everything it printed is then in `screen`."""
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        while self._read(0.1):
            pass
        os.close(self.master)
        return code

    def _read(self, seconds: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], seconds)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the chat closed the terminal
            return False
        self.screen += data
        return bool(data)


def assert_database_intact(tmp_path: Path) -> None:
    path = tmp_path / "data" / "coachbot.sqlite3"
    with sqlite3.connect(path) as database:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    database.close()
    wal = path.with_name(path.name + "-wal")  # a clean close checkpoints the WAL away
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize(
    ("typed", "waits_for"),
    [
        (b"", b""),  # at the main prompt
        (b"quiz\n", b"Answer with the number."),  # during a practice question
        (b"debrief\nHe shouted at me\n", b"What did you try?"),  # half-way through a debrief
    ],
    ids=["prompt", "quiz", "debrief"],
)
def test_ctrl_c_ends_the_chat_at_once_with_a_goodbye(tmp_path, typed, waits_for):
    terminal = Terminal(tmp_path)
    terminal.wait_for(PROMPT)
    terminal.type(typed)
    if waits_for:
        terminal.wait_for(waits_for)
        terminal.wait_for(PROMPT)
    terminal.type(b"\x03")  # no Enter after it
    terminal.wait_for(GOODBYE)
    assert terminal.finish() == 130
    assert b"Traceback" not in terminal.screen
    assert_database_intact(tmp_path)


def test_a_second_ctrl_c_while_closing_leaves_no_traceback(tmp_path):
    terminal = Terminal(tmp_path)
    terminal.wait_for(PROMPT)
    terminal.type(b"\x03")
    terminal.wait_for(GOODBYE)  # now closing the database and exiting
    terminal.type(b"\x03")
    if terminal.process.poll() is None:
        terminal.process.send_signal(signal.SIGINT)  # and one more, straight to the process
    assert terminal.finish() == 130
    assert b"Traceback" not in terminal.screen and b"KeyboardInterrupt" not in terminal.screen
    assert_database_intact(tmp_path)


async def test_lines_of_any_bytes_arrive_whole_and_decoded():
    read, write = os.pipe()
    os.write(write, b"bad \xff byte\r\nlone \xed\xa0\x80\n\nlast without newline")
    os.close(write)
    with open(read, encoding="ascii") as stream:  # the locale's encoding does not matter
        lines = TerminalLines(stream)
        got = [await lines.next() for _ in range(5)]
    assert got == ["bad \ufffd byte", "lone \ufffd\ufffd\ufffd", "", "last without newline", None]


async def test_a_text_stream_gives_well_formed_lines():
    lines = TerminalLines(io.StringIO("one\r\nbad \udcff\n"))
    assert [await lines.next() for _ in range(3)] == ["one", "bad \ufffd", None]


async def test_an_interrupt_wins_over_waiting_for_a_line():
    read, write = os.pipe()
    with open(read, encoding="utf-8") as stream:
        with ctrl_c() as interrupted:
            lines = TerminalLines(stream, interrupted)
            waiting = asyncio.ensure_future(lines.next())
            await asyncio.sleep(0)
            os.kill(os.getpid(), signal.SIGINT)  # handled: no KeyboardInterrupt here
            assert await asyncio.wait_for(waiting, 30) is None
        assert lines.interrupted
        os.close(write)


def test_a_live_reload_gets_its_own_line_and_the_prompt_comes_back(tmp_path):
    knowledge = tmp_path / "knowledge"
    write_version(knowledge, "A")
    terminal = Terminal(tmp_path, knowledge)
    terminal.wait_for(PROMPT)
    terminal.type(b"customer asking about ")  # half typed when the reload is announced
    terminal.wait_for(b"asking about ")
    for _attempt in range(10):  # the watch starts with the chat; an earlier save goes unseen
        write_version(knowledge, "B")
        if terminal.saw(b"Knowledge reloaded", seconds=3):
            break
    line_start = terminal.screen.rfind(b"\n", 0, terminal.seen) + 1
    assert terminal.screen[line_start : terminal.seen] == b"Knowledge reloaded"  # not after you>
    terminal.wait_for(PROMPT, seconds=10)  # drawn again below the message
    terminal.type(b"cancel\nquit\n")  # the half-typed words are still in the line
    terminal.wait_for(b"Version B.")  # cancel-plan is in version B only
    assert terminal.finish() == 0
    assert b"Traceback" not in terminal.screen
