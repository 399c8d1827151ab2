"""`coachbot doctor`: checks the setup and says, in plain words, what to fix.

Each check reports OK, WARN (works, but look at this) or FAIL (the bot will not work until it
is fixed). The command exits 1 if any check fails. It only reads: it never creates the data
folder or the database, never migrates, and never prints the token.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import stat
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from coachbot.errors import CoachError, KnowledgeError
from coachbot.instance_lock import holder
from coachbot.knowledge.lint import drafts_note
from coachbot.knowledge.live import LiveKnowledge
from coachbot.logs import TOKEN_SHAPE
from coachbot.settings import Settings
from coachbot.store import backup
from coachbot.store.health import inspect_file, inspect_postgres
from coachbot.version import version

MIN_PYTHON = (3, 11)
PROBLEMS_SHOWN = 10


class Status(StrEnum):
    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    message: str  # what was found and, unless OK, what to do about it


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    shown = ".".join(map(str, version))
    if tuple(version[:2]) < MIN_PYTHON:
        return Check("Python", Status.FAIL, f"{shown} is too old: install Python 3.11 or newer.")
    try:
        zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:
        return Check(
            "Python",
            Status.FAIL,
            f"{shown}, but no time-zone data: reinstall CoachBot (it needs the tzdata package).",
        )
    return Check("Python", Status.OK, shown)


PLATFORMS = {"discord": "Discord", "slack": "Slack"}


def check_run_mode(settings: Settings) -> Check:
    """What `coachbot run` starts, from the same rule it uses (coachbot.adapters.wanted)."""
    from coachbot import adapters  # it loads the App; the other checks do not need it

    names = [PLATFORMS[name] for name in adapters.wanted(settings)]
    if not names:
        return Check(
            "Run mode",
            Status.OK,
            "`coachbot run` starts the local chat (neither DISCORD_TOKEN nor SLACK_BOT_TOKEN "
            "is set).",
        )
    both = ", in one process" if len(names) > 1 else ""
    return Check("Run mode", Status.OK, f"`coachbot run` starts {' and '.join(names)}{both}.")


def check_token(token: str | None, *, slack: bool = False) -> Check:
    """The Discord token's shape; unset is only worth a warning when nothing else is set."""
    if not token and slack:
        return Check("Discord token", Status.OK, "not set: Discord is not served, Slack is.")
    if not token:
        return Check(
            "Discord token",
            Status.WARN,
            "not set: the bot will run the local chat. To connect to Discord, put "
            "DISCORD_TOKEN=... in .env (see .env.example).",
        )
    if not TOKEN_SHAPE.fullmatch(token):
        return Check(
            "Discord token",
            Status.WARN,
            "set, but it does not look like a bot token (three parts separated by dots). "
            "Copy it again from the Developer Portal: your application -> Bot -> Reset Token.",
        )
    return Check("Discord token", Status.OK, "set (not shown)")


def check_env_file(folder: Path) -> Check | None:
    """A .env holding the token should not be readable by other users of the machine."""
    env = folder / ".env"
    try:
        mode = env.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        return Check(
            ".env file",
            Status.WARN,
            f"{env} can be read by every user of this machine, and it may hold the token: "
            f"chmod 600 {env}",
        )
    return Check(".env file", Status.OK, f"{env} is private")


def check_knowledge(directory: Path) -> Check:
    try:
        live = LiveKnowledge.load(directory)
    except OSError as error:  # the folder itself cannot be read
        return Check(
            "Knowledge base",
            Status.FAIL,
            f"{directory} cannot be read ({error.strerror or error}): check "
            "COACHBOT_KNOWLEDGE_DIR and the folder's permissions.",
        )
    except KnowledgeError as error:
        shown = error.problems[:PROBLEMS_SHOWN]
        more = len(error.problems) - len(shown)
        lines = "\n".join(f"  {p}" for p in shown) + (f"\n  ... and {more} more" if more else "")
        return Check(
            "Knowledge base",
            Status.FAIL,
            f"{directory} has problems to fix (`coachbot kb lint` lists them all):\n{lines}",
        )
    kb = live.kb
    return Check(
        "Knowledge base",
        Status.OK,
        f"{directory}: {len(kb.topics)} topics, {len(kb.quiz)} quiz items{drafts_note(kb.drafts)}",
    )


def check_data_dir(directory: Path) -> Check:
    name = "Data folder"
    if not directory.exists():
        parent = _existing_parent(directory)
        if _writable(parent):
            return Check(name, Status.OK, f"{directory} does not exist yet: it will be created.")
        return Check(
            name,
            Status.FAIL,
            f"{directory} does not exist and cannot be created ({parent} is not writable). "
            "Set COACHBOT_DATA_DIR to a folder this user can write to.",
        )
    if not directory.is_dir():
        return Check(name, Status.FAIL, f"{directory} is a file, not a folder: move it away.")
    if not _writable(directory):
        return Check(
            name,
            Status.FAIL,
            f"{directory} is not writable by this user: fix its owner or permissions "
            f"(chown/chmod), or set COACHBOT_DATA_DIR to another folder.",
        )
    mode = directory.stat().st_mode
    if mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IXOTH):
        return Check(
            name,
            Status.WARN,
            f"{directory} is open to every user of this machine ({stat.filemode(mode)}), and "
            f"it holds scores and debriefs: chmod 700 {directory}",
        )
    return Check(name, Status.OK, f"{directory} is writable and private")


def _writable(folder: Path) -> bool:
    """Can this user create files in `folder`? Tried for real (a temporary file, removed at
    once): permission bits do not tell for root, read-only mounts or network filesystems."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _existing_parent(path: Path) -> Path:
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path("/")


def check_postgres(url: str) -> Check:
    """COACHBOT_DATABASE_URL: reachable, and at a schema version this CoachBot knows."""
    try:
        health = inspect_postgres(url)
    except Exception as exc:  # any driver or network error: named by type, never the URL
        return Check(
            "Database",
            Status.FAIL,
            f"PostgreSQL at COACHBOT_DATABASE_URL cannot be reached ({type(exc).__name__}):"
            " check the host, port, user, password and database name.",
        )
    if health.version > health.latest:
        return Check(
            "Database",
            Status.FAIL,
            f"PostgreSQL is at schema version {health.version}, newer than this CoachBot knows"
            f" ({health.latest}). Update CoachBot.",
        )
    rows = ", ".join(f"{name} {count:,}" for name, count in health.counts.items())
    return Check(
        "Database",
        Status.OK,
        f"PostgreSQL (multi-process mode), schema version {health.version} of {health.latest};"
        f" rows: {rows or 'none yet (created on first run)'}.",
    )


def check_database(path: Path) -> Check:
    name = "Database"
    if not path.exists():
        return Check(
            name, Status.OK, f"{path} is not created yet: it will be created on first run."
        )
    if not path.is_file():
        return Check(name, Status.FAIL, f"{path} is not a file: move it away.")
    try:
        health = inspect_file(path)
    except sqlite3.DatabaseError as exc:
        return Check(
            name,
            Status.FAIL,
            f"{path} cannot be read as a database ({exc}). It is damaged: stop the bot and "
            "restore your latest backup (made with `coachbot backup FILE`).",
        )
    if not health.ok:
        found = "; ".join(dict.fromkeys(health.integrity + health.quick))
        return Check(
            name,
            Status.FAIL,
            f"{path} failed its integrity check ({found[:300]}). Stop the bot and restore "
            "your latest backup (made with `coachbot backup FILE`).",
        )
    if health.version > health.latest:
        return Check(
            name,
            Status.FAIL,
            f"{path} is at schema version {health.version}, newer than this CoachBot knows "
            f"({health.latest}). Update CoachBot, or restore a backup made by this version.",
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return Check(
            name,
            Status.FAIL,
            f"{path} is not writable by this user: fix its owner or permissions (chown/chmod).",
        )
    mode = path.stat().st_mode
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        return Check(
            name,
            Status.WARN,
            f"{path} can be read by every user of this machine: chmod 600 {path}",
        )
    if health.version < health.latest:
        return Check(
            name,
            Status.OK,
            f"{path}: integrity ok, schema version {health.version}; the next start upgrades "
            f"it to {health.latest} (make a backup first: `coachbot backup FILE`).",
        )
    return Check(name, Status.OK, f"{path}: integrity ok, schema version {health.version}")


def check_backup_leftovers(folders: list[Path], *, now: float) -> Check | None:
    """Hidden copies that a killed `coachbot backup` left (each as big as the database)."""
    found: dict[Path, int] = {}
    for folder in dict.fromkeys(f.absolute() for f in folders):
        found |= backup.leftovers(folder, now=now)
    if not found:
        return None
    where = ", ".join(sorted({str(path.parent) for path in found}))
    return Check(
        "Backup leftovers",
        Status.WARN,
        f"{backup.describe_leftovers(list(found), sum(found.values()))} from an interrupted "
        f"backup in {where}. The next `coachbot backup` into that folder removes them, or "
        f"delete them: rm {' '.join(sorted(str(path) for path in found))}",
    )


def check_running_bot(settings: Settings) -> Check | None:
    """Whether a bot holds the data folder (one-shot commands work beside it)."""
    pid = holder(settings.data_dir)
    if pid is None:
        return None
    shown = f" (process {pid})" if pid else ""
    return Check(
        "Running bot",
        Status.OK,
        f"a CoachBot{shown} is running on this data folder; a second `coachbot run` here "
        "would refuse to start (COACHBOT_MULTI_PROCESS=1 allows it).",
    )


def check_sharding(settings: Settings) -> Check | None:
    """Which Discord shards this process runs, when COACHBOT_SHARD_COUNT/_IDS are set."""
    try:
        sharding = settings.sharding
    except CoachError as problem:
        return Check("Discord shards", Status.FAIL, problem.user_message)
    if sharding is None:
        return None
    note = ""
    if sharding.ids is not None and len(sharding.ids) < (sharding.count or 0):
        note = (
            "; run the other shards in other processes with the same COACHBOT_SHARD_COUNT "
            "and one database (COACHBOT_MULTI_PROCESS=1 on a shared data folder)"
        )
    return Check("Discord shards", Status.OK, sharding.describe() + note)


def run_checks(settings: Settings, *, workdir: Path | None = None) -> list[Check]:
    from coachbot import doctor_slack  # it builds on this module's Check

    checks: list[Callable[[], Check | None]] = [
        check_python,
        lambda: check_run_mode(settings),
        lambda: check_token(settings.discord_token, slack=bool(settings.slack_bot_token)),
        lambda: check_sharding(settings),
        *(lambda check=check: check(settings) for check in doctor_slack.CHECKS),
        lambda: check_env_file(workdir or Path.cwd()),
        lambda: check_knowledge(settings.knowledge_dir),
        lambda: check_data_dir(settings.data_dir),
        lambda: (
            check_postgres(settings.database_url)
            if settings.database_url
            else check_database(settings.database_path)
        ),
        lambda: check_running_bot(settings),
        lambda: check_backup_leftovers([settings.data_dir, workdir or Path.cwd()], now=time.time()),
    ]
    return [c for c in (check() for check in checks) if c is not None]


def render(checks: list[Check]) -> str:
    lines = [f"{c.status.value:<5} {c.name}: {c.message}" for c in checks]
    failed = sum(c.status is Status.FAIL for c in checks)
    warned = sum(c.status is Status.WARN for c in checks)
    if failed:
        noun = "problem" if failed == 1 else "problems"
        lines.append(f"\n{failed} {noun} to fix before the bot can run.")
    elif warned:
        lines.append("\nThe bot can run; the warnings above say what to look at.")
    else:
        lines.append("\nAll good.")
    return "\n".join(lines)


def exit_code(checks: list[Check]) -> int:
    return 1 if any(c.status is Status.FAIL for c in checks) else 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    commands.add_parser("doctor", help="check the setup and say what to fix")


def run(args: argparse.Namespace, settings: Settings) -> int:
    checks = run_checks(settings)
    print(f"CoachBot {version()}")
    print(render(checks))
    return exit_code(checks)
