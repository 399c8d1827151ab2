"""`coachbot backup FILE`: a consistent copy of the live database, made while the bot runs.

Why the SQLite backup API and not `cp`: copying the file while the bot writes can catch a
half-written page or miss what still sits in the WAL file. The backup API copies every page in
one step inside a read transaction, so the copy is the database exactly as it was when the
step began; in WAL mode the bot keeps writing meanwhile. (A copy in several steps would restart
each time the bot commits, and might never finish on a busy floor.)

The copy is written to a temporary file beside FILE, checked with `PRAGMA integrity_check`,
switched out of WAL mode so that it is one self-contained file, made private (0600, it holds
scores and debriefs), and only then renamed to FILE.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coachbot.errors import CoachError
from coachbot.settings import Settings
from coachbot.store.health import DatabaseHealth, inspect, open_existing


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    size_bytes: int
    health: DatabaseHealth


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
    handle, temporary = tempfile.mkstemp(prefix=".coachbot-backup-", dir=folder)
    os.close(handle)
    try:
        health = _copy(source, Path(temporary))
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except sqlite3.Error as exc:
        raise CoachError(_sqlite_problem(source, exc)) from exc
    except OSError as exc:
        raise CoachError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return BackupResult(source, target, target.stat().st_size, health)


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
    return (
        f"Backed up {result.source} to {result.target}: {_size(result.size_bytes)}, "
        f"schema version {health.version}, integrity ok.\n"
        f"Rows: {rows or 'no tables'}."
    )


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


def run(args: argparse.Namespace, settings: Settings) -> int:
    result = backup_database(settings.database_path, args.file, force=args.force)
    print(describe(result), file=sys.stdout)
    return 0
