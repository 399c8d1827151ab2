"""The local chat's input: whole lines of any bytes, and a Ctrl+C that ends the chat at once.

Why not `stdin.readline` in asyncio's executor: on Ctrl+C asyncio cancels the chat, then waits
for its executor's threads before exiting, and one of them sits in `readline` until Enter
(the screen showed `^C^C`). Here a daemon thread of our own reads, so nothing waits for it; it
reads the unbuffered stream below `sys.stdin`, so it holds no lock that the interpreter needs
at exit; and it decodes bytes itself (`errors="replace"`), whatever the locale says.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from coachbot.safetext import decode_line, well_formed

_CHUNK = 65536


@contextmanager
def ctrl_c() -> Iterator[asyncio.Event]:
    """While inside, Ctrl+C sets the event instead of raising `KeyboardInterrupt` wherever the
    program happens to be, and a second Ctrl+C cannot interrupt closing the database.
    Outside the main thread (tests), an event that nothing sets. Call from a running loop."""
    loop = asyncio.get_running_loop()
    interrupted = asyncio.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def on_sigint(_signum: int, _frame: Any) -> None:
        loop.call_soon_threadsafe(interrupted.set)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


class TerminalLines:
    """Lines from `stream`, read by a daemon thread; `None` at end of input or on Ctrl+C."""

    def __init__(self, stream: IO[str], interrupted: asyncio.Event | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._interrupted = interrupted or asyncio.Event()
        raw = getattr(getattr(stream, "buffer", None), "raw", None)
        reader = self._read_raw if raw is not None else self._read_text
        thread = threading.Thread(
            target=reader, args=(raw or stream,), name="coachbot-stdin", daemon=True
        )
        thread.start()

    @property
    def interrupted(self) -> bool:
        return self._interrupted.is_set()

    async def next(self) -> str | None:
        if self.interrupted:
            return None
        line = asyncio.ensure_future(self._queue.get())
        stop = asyncio.ensure_future(self._interrupted.wait())
        try:
            await asyncio.wait({line, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not line.done():
                line.cancel()
        return None if self.interrupted else line.result()

    def _read_raw(self, raw: IO[bytes]) -> None:
        pending = b""
        while True:
            try:
                chunk = raw.read(_CHUNK)
            except OSError:  # the terminal went away (EIO on a closed pty)
                chunk = b""
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            if not all(self._hand_over(decode_line(line)) for line in lines):
                return
        if not pending or self._hand_over(decode_line(pending)):
            self._hand_over(None)

    def _read_text(self, stream: IO[str]) -> None:
        """A text stream without bytes below it (io.StringIO in tests)."""
        for line in iter(stream.readline, ""):
            if not self._hand_over(well_formed(line.removesuffix("\n").removesuffix("\r"))):
                return
        self._hand_over(None)

    def _hand_over(self, line: str | None) -> bool:
        """Queue a line for the chat; False once the chat's loop is closed (stop reading)."""
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, line)
        except RuntimeError:  # the loop is closed: the chat is over
            return False
        return True
