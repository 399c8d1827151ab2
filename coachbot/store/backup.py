"""`coachbot backup FILE`: a consistent copy of the live database, made while the bot runs.

Why the SQLite backup API and not `cp`: copying the file while the bot writes can catch a
half-written page or miss what still sits in the WAL file. The backup API copies every page in
one step inside a read transaction, so the copy is the database exactly as it was when the
step began; in WAL mode the bot keeps writing meanwhile. (A copy in several steps would restart
each time the bot commits, and might never finish on a busy floor.)

The copy is written to a temporary file beside FILE, checked with `PRAGMA integrity_check`,
switched out of WAL mode so that it is one self-contained file, made private (0600, it holds
scores and debriefs), and only then renamed to FILE.

A backup killed half-way (kill -9, a full disk, a reboot) leaves that hidden copy, as big as
the database, and its -journal behind. The next backup into the same folder removes them, and
`coachbot doctor` reports them. A running backup holds an exclusive lock (flock) on its copy
from start to end, so it never loses the file it is writing to another backup's clean-up; a
copy younger than a minute is left alone too (it may be between its creation and its lock).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from coachbot.errors import CoachError
from coachbot.settings import Settings
from coachbot.store.health import DatabaseHealth, inspect, open_existing

try:
    import fcntl
except ImportError:  # Windows: a file that another process has open cannot be deleted anyway
    fcntl = None  # type: ignore[assignment]

PREFIX = ".coachbot-backup-"
_SIDE_FILES = ("-journal", "-wal", "-shm")
STALE_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    size_bytes: int
    health: DatabaseHealth
    removed: tuple[Path, ...] = ()  # what an interrupted earlier backup had left behind
    removed_bytes: int = 0


def backup_database(source: Path, target: Path, *, force: bool = False) -> BackupResult:
    """Copy `source` to `target`; CoachError (with what to do) when it cannot."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise CoachError(f"There is no database at {source} yet, so there is nothing to back up.")
    if target.exists() and target.resolve() == source.resolve():
        raise CoachError("The backup file must not be the database itself: choose another name.")
    if target.is_dir():
        raise CoachError(f"{target} is a folder: give a file name, e.g. {target / 'backup.db'}.")
    if target.exists() and not force:
        raise CoachError(f"{target} already exists. Choose another name, or add --force.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CoachError(f"The folder {folder} does not exist: create it first.")
    stale = leftovers(folder, now=time.time())
    removed = tuple(path for path in stale if _remove(path))
    removed_bytes = sum(size for path, size in stale.items() if path in removed)
    handle, temporary = tempfile.mkstemp(prefix=PREFIX, dir=folder)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # "in use" to any other backup's clean-up
        health = _copy(source, Path(temporary))
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except sqlite3.Error as exc:
        raise CoachError(_sqlite_problem(source, exc)) from exc
    except OSError as exc:
        raise CoachError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    finally:
        for leftover in (temporary, *(temporary + side for side in _SIDE_FILES)):
            _remove(Path(leftover))
        os.close(handle)  # releases the lock
    size = target.stat().st_size
    return BackupResult(source, target, size, health, removed, removed_bytes)


def leftovers(folder: Path, *, now: float) -> dict[Path, int]:
    """Files an interrupted backup left in `folder`, with their sizes: hidden copies and their
    -journal, none that a running backup holds or that changed in the last minute."""
    groups: dict[str, list[Path]] = {}
    try:
        found = [p for p in Path(folder).iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return {}
    for path in found:
        base = path.name
        for side in _SIDE_FILES:
            base = base.removesuffix(side)
        groups.setdefault(base, []).append(path)
    stale: dict[Path, int] = {}
    for base, paths in sorted(groups.items()):
        stats = {p: st for p in paths if (st := _regular_file(p)) is not None}
        newest = max((st.st_mtime for st in stats.values()), default=now)
        if now - newest < STALE_AFTER_SECONDS or _in_use(Path(folder) / base):
            continue
        stale.update((p, st.st_size) for p, st in sorted(stats.items()))
    return stale


def _regular_file(path: Path) -> os.stat_result | None:
    """The file's facts; None for a symlink or folder (never ours) or one just removed."""
    try:
        facts = path.lstat()
    except OSError:
        return None
    return facts if stat.S_ISREG(facts.st_mode) else None


def _in_use(copy: Path) -> bool:
    """Does a running backup hold this copy? (It keeps an exclusive flock until it ends.)"""
    if fcntl is None:
        return False
    try:
        handle = os.open(copy, os.O_RDONLY)
    except FileNotFoundError:
        return False  # only its -journal is left
    except OSError:
        return True  # cannot tell: leave it alone
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)  # also releases the lock if we got it
    return False


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:  # gone already, or held open (Windows)
        return False
    return True


def _copy(source: Path, temporary: Path) -> DatabaseHealth:
    reader = open_existing(source)
    try:
        writer = sqlite3.connect(temporary)
        try:
            reader.backup(writer)  # every page in one step: one consistent snapshot
            writer.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            health = inspect(writer)
        finally:
            writer.close()
    finally:
        reader.close()
    if not health.ok:
        problems = "; ".join(health.integrity + health.quick)
        raise CoachError(
            f"The copy failed its integrity check ({problems[:300]}). The database may be "
            "damaged: keep your older backups, and run `coachbot doctor`."
        )
    return health


def _sqlite_problem(source: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"{source} is damaged ({text}), so it cannot be backed up. Run `coachbot doctor`."
    if "locked" in text or "busy" in text:
        return f"{source} stayed busy for too long ({text}). Try again in a moment."
    return f"Could not back up {source}: {text}."


def describe(result: BackupResult) -> str:
    """What the operator sees: where, how big, and what it holds."""
    health = result.health
    rows = ", ".join(f"{name} {count:,}" for name, count in health.counts.items())
    text = (
        f"Backed up {result.source} to {result.target}: {_size(result.size_bytes)}, "
        f"schema version {health.version}, integrity ok.\n"
        f"Rows: {rows or 'no tables'}."
    )
    if result.removed:
        text += (
            f"\nRemoved {describe_leftovers(result.removed, result.removed_bytes)} that an "
            "interrupted earlier backup had left behind."
        )
    return text


def describe_leftovers(paths: tuple[Path, ...] | list[Path], size_bytes: int) -> str:
    count = len(paths)
    return f"{count} temporary file{'' if count == 1 else 's'} ({_size(size_bytes)})"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def add_parser(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser(
        "backup", help="copy the database safely, even while the bot is running"
    )
    backup.add_argument("file", type=Path, help="where to write the copy (a new file)")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def pg_dump() -> str | None:
    """PostgreSQL's own dump tool: on PATH, else from Debian's server packages."""
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
    return candidates[0] if candidates else None


def backup_postgres(url: str, target: Path, *, force: bool = False) -> str:
    """A consistent dump of the PostgreSQL database (pg_dump, custom format) into `target`."""
    tool = pg_dump()
    if tool is None:
        raise CoachError(
            "pg_dump was not found, so this PostgreSQL database cannot be backed up from here:"
            " install PostgreSQL's client tools (Debian: apt-get install postgresql-client), or"
            " back it up with your database's own tooling."
        )
    if target.exists() and not force:
        raise CoachError(f"{target} already exists. Choose another name, or add --force.")
    done = subprocess.run(
        [tool, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={url}"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:  # its message may hold the host, never the password
        raise CoachError(f"pg_dump failed: {done.stderr.strip()[-300:]}")
    os.chmod(target, 0o600)
    return f"Backed up PostgreSQL with {tool} to {target}: {_size(target.stat().st_size)}."


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url:
        print(backup_postgres(settings.database_url, args.file, force=args.force))
        return 0
    result = backup_database(settings.database_path, args.file, force=args.force)
    print(describe(result), file=sys.stdout)
    return 0
