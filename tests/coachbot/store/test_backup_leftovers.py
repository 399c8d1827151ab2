"""What a killed `coachbot backup` leaves behind is removed by the next backup and reported by
`coachbot doctor`, but never a copy that a running backup is still writing."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from coachbot import doctor
from coachbot.doctor import Status
from coachbot.store.backup import (
    PREFIX,
    STALE_AFTER_SECONDS,
    backup_database,
    describe,
    leftovers,
)
from coachbot.store.database import Database

NOW = time.time()  # file times are set relative to it; backup_database reads the clock too
OLD = NOW - STALE_AFTER_SECONDS - 1


def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "coachbot.sqlite3"

    async def create() -> None:
        await (await Database.open(path)).close()

    asyncio.run(create())
    return path


def leftover(folder: Path, name: str, size: int, modified: float) -> Path:
    """A file as a backup killed half-way leaves it: a hidden copy or its journal."""
    path = folder / name
    path.write_bytes(b"\0" * size)
    os.utime(path, (modified, modified))
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_next_backup_removes_what_a_killed_one_left_and_says_so(tmp_path):
    source, folder = database(tmp_path), tmp_path / "backups"
    folder.mkdir()
    leftover(folder, f"{PREFIX}k1ll3d", 300_000, OLD)
    leftover(folder, f"{PREFIX}k1ll3d-journal", 4096, OLD)
    leftover(folder, f"{PREFIX}0rphan-journal", 512, OLD)  # its copy is already gone
    (folder / "keep-me.db").write_bytes(b"not ours")

    result = backup_database(source, folder / "today.db")

    assert names(folder) == ["keep-me.db", "today.db"]
    assert len(result.removed) == 3 and result.removed_bytes == 300_000 + 4096 + 512
    assert "Removed 3 temporary files (297.5 KB) that an interrupted earlier backup" in describe(
        result
    )


def test_a_copy_that_another_backup_holds_is_never_removed(tmp_path):
    source, folder = database(tmp_path), tmp_path / "backups"
    folder.mkdir()
    busy = leftover(folder, f"{PREFIX}bu5y", 1000, OLD)  # old, but its backup still runs:
    leftover(folder, f"{PREFIX}bu5y-journal", 100, OLD)
    holder = os.open(busy, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a running backup holds its copy
    try:
        assert leftovers(folder, now=NOW) == {}
        backup_database(source, folder / "today.db")
        assert names(folder) == sorted([busy.name, busy.name + "-journal", "today.db"])
    finally:
        os.close(holder)
    assert set(leftovers(folder, now=NOW)) == {
        busy,
        folder / (busy.name + "-journal"),
    }


def test_a_copy_changed_within_the_last_minute_is_left_alone(tmp_path):
    folder = tmp_path  # it may be a backup between creating its copy and locking it
    young = leftover(folder, f"{PREFIX}y0ung", 10, NOW - 5)
    leftover(folder, f"{PREFIX}y0ung-journal", 10, OLD)  # the newest file of the pair counts
    assert leftovers(folder, now=NOW) == {}
    assert young in leftovers(folder, now=NOW + STALE_AFTER_SECONDS)


def test_symlinks_and_folders_with_the_name_are_not_touched(tmp_path):
    target = tmp_path / "precious.db"
    target.write_bytes(b"precious")
    (tmp_path / f"{PREFIX}link").symlink_to(target)
    (tmp_path / f"{PREFIX}dir").mkdir()
    assert leftovers(tmp_path, now=NOW + 3600) == {}


def test_a_backup_killed_mid_copy_is_cleaned_up_by_the_next_one(tmp_path):
    """The real thing: kill -9 a `coachbot backup` before it finishes (a slow integrity check
    is simulated by a sleep, in the child only), then back up again."""
    source, folder = database(tmp_path), tmp_path / "backups"
    folder.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BACKUP, str(source), str(folder / "first.db")],
        stdout=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stdout.readline() == b"copied\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    stale = [name for name in names(folder) if name.startswith(PREFIX)]
    assert stale and (folder / stale[0]).stat().st_size > 0  # a whole hidden copy stayed
    for name in stale:  # as if the next backup ran a while later
        os.utime(folder / name, (OLD, OLD))

    result = backup_database(source, folder / "second.db")

    assert names(folder) == ["second.db"]
    assert sorted(p.name for p in result.removed) == sorted(stale)


_SLOW_BACKUP = """
import sys, time
from pathlib import Path
from coachbot.store import backup

real_inspect = backup.inspect
def slow_inspect(connection):
    print("copied", flush=True)
    time.sleep(600)
    return real_inspect(connection)
backup.inspect = slow_inspect
backup.backup_database(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_doctor_reports_leftovers_in_the_data_folder_and_the_working_folder(tmp_path):
    data, work = tmp_path / "data", tmp_path / "work"
    data.mkdir()
    work.mkdir()
    leftover(data, f"{PREFIX}aaa", 2 * 1024 * 1024, OLD)
    leftover(work, f"{PREFIX}bbb-journal", 1024, OLD)
    leftover(work, f"{PREFIX}ccc", 10, NOW)  # young: perhaps running now

    check = doctor.check_backup_leftovers([data, work, data], now=NOW)

    assert check is not None and check.status is Status.WARN
    assert "2 temporary files (2.0 MB) from an interrupted backup" in check.message
    assert str(data) in check.message and str(work) in check.message
    assert "ccc" not in check.message
    assert doctor.check_backup_leftovers([tmp_path / "nowhere"], now=NOW) is None
