"""One bot per data folder: a second `coachbot run` (or local chat) on the same folder refuses
to start, because two bots would both answer every click and question.

The lock is the operating system's (flock on POSIX, msvcrt.locking on Windows) on
`<data folder>/coachbot.lock`, held for the life of the process: a bot that is killed, even
with SIGKILL, releases it with its last file descriptor, so a restart never finds a stale lock.
One-shot commands (ask, report, backup, doctor, ...) take no lock and work beside a running bot.
COACHBOT_MULTI_PROCESS=1 turns the check off for a deployment that runs several processes on
purpose.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from coachbot.errors import CoachError
from coachbot.settings import Settings

LOCK_FILE = "coachbot.lock"
ALREADY_RUNNING = (
    "Another CoachBot{pid} is already running on the data folder {folder}: two bots would both "
    "answer every click. Stop it first (or give this one another COACHBOT_DATA_DIR). To run "
    "several processes on purpose, set COACHBOT_MULTI_PROCESS=1."
)

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


PID_AT = 16  # the holder's pid is written past the byte Windows locks, so others can read it


def _open(data_dir: Path) -> BinaryIO:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, like the database
    descriptor = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    return os.fdopen(descriptor, "r+b")


def _read_pid(handle: BinaryIO) -> int | None:
    try:
        handle.seek(PID_AT)
        text = handle.read(20).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def holder(data_dir: Path) -> int | None:
    """The process id of the bot that holds the data folder's lock (0 if it is held but the
    id is unknown), or None when no bot holds it. Takes and drops the lock to find out."""
    try:  # read-only: doctor never creates or changes anything
        handle = os.fdopen(os.open(data_dir / LOCK_FILE, os.O_RDONLY), "rb")
    except OSError:
        return None
    with handle:
        if _try_lock(handle):
            _unlock(handle)
            return None
        return _read_pid(handle) or 0


@contextmanager
def one_bot_per_data_folder(settings: Settings) -> Iterator[None]:
    """Hold the data folder's lock while the block runs; refuse with a clear message when
    another process holds it. Does nothing with COACHBOT_MULTI_PROCESS=1."""
    if settings.multi_process or settings.database_url:  # PostgreSQL: the multi-process mode
        yield
        return
    new_folder = not settings.data_dir.exists()
    handle = _open(settings.data_dir)
    try:
        if not _try_lock(handle):
            pid = _read_pid(handle)
            raise CoachError(
                ALREADY_RUNNING.format(
                    pid=f" (process {pid})" if pid else "", folder=settings.data_dir
                )
            )
        handle.seek(PID_AT)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode("ascii"))
        handle.flush()
        try:
            yield
        except BaseException:
            if new_folder:  # a start that failed (bad knowledge, say) leaves no folder behind
                _remove_if_only_the_lock(settings.data_dir)
            raise
        finally:
            _unlock(handle)
    finally:
        handle.close()


def _remove_if_only_the_lock(data_dir: Path) -> None:
    lock = data_dir / LOCK_FILE
    with suppress(OSError):
        if list(data_dir.iterdir()) == [lock]:
            lock.unlink()
            data_dir.rmdir()
