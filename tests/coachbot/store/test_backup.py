"""`coachbot backup FILE`: a consistent copy of the live database, even while the bot writes."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest

from coachbot.cli import main
from coachbot.errors import CoachError
from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.backup import backup_database, describe
from coachbot.store.database import Database
from tests.conftest import KNOWLEDGE

DAY = date(2026, 11, 23)


def ask(number: int) -> LoggedAsk:
    return LoggedAsk(DAY, f"question {number}", None, 0.5, False)


def ids_in(path: Path) -> list[int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT id FROM asks ORDER BY id").fetchall()
    connection.close()
    return [r[0] for r in rows]


async def test_a_backup_while_the_bot_writes_is_consistent_and_has_every_earlier_row(tmp_path):
    source, target = tmp_path / "data" / "live.sqlite3", tmp_path / "backup.sqlite3"
    database = await Database.open(source)
    log = AskLog(database)
    for number in range(300):
        await log.record(ask(number))
    committed_before = 300
    writing = asyncio.Event()
    stop = asyncio.Event()
    written_during = 0

    async def keep_writing() -> None:
        nonlocal written_during
        number = committed_before
        while not stop.is_set():
            await log.record(ask(number))
            number += 1
            written_during += 1
            writing.set()

    writer = asyncio.create_task(keep_writing())
    await writing.wait()  # the bot is mid-stream when the backup starts
    try:
        result = await asyncio.to_thread(backup_database, source, target)
    finally:
        stop.set()
        await writer
        await database.close()

    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    copied = ids_in(target)
    assert len(copied) >= committed_before + 1  # everything committed before it started
    assert copied == list(range(1, len(copied) + 1))  # one snapshot: no gaps, no torn rows
    assert len(ids_in(source)) == committed_before + written_during  # the bot lost nothing
    assert result.health.counts["asks"] == len(copied)
    assert not Path(f"{target}-wal").exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds scores and debriefs


async def test_an_existing_file_is_kept_unless_forced(tmp_path):
    source, target = tmp_path / "db.sqlite3", tmp_path / "backup.sqlite3"
    await (await Database.open(source)).close()
    target.write_text("yesterday's backup")

    with pytest.raises(CoachError, match=r"already exists.*--force"):
        backup_database(source, target)
    assert target.read_text() == "yesterday's backup"

    result = backup_database(source, target, force=True)
    assert result.size_bytes == target.stat().st_size > 0
    assert not list(tmp_path.glob(".coachbot-backup-*"))  # no temporary file left


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        (lambda tmp: tmp / "db.sqlite3", "must not be the database itself"),
        (lambda tmp: tmp / "missing" / "backup.db", "does not exist: create it first"),
        (lambda tmp: tmp, "is a folder"),
    ],
)
async def test_unusable_targets_are_refused_with_what_to_do(tmp_path, make_target, message):
    source = tmp_path / "db.sqlite3"
    await (await Database.open(source)).close()
    with pytest.raises(CoachError, match=message):
        backup_database(source, make_target(tmp_path), force=True)


def test_without_a_database_there_is_nothing_to_back_up(tmp_path):
    with pytest.raises(CoachError, match="nothing to back up"):
        backup_database(tmp_path / "none.sqlite3", tmp_path / "backup.db")
    assert not (tmp_path / "none.sqlite3").exists()  # it was not created either


def test_a_damaged_database_is_refused_and_leaves_no_file(tmp_path):
    source = tmp_path / "db.sqlite3"
    source.write_bytes(b"definitely not sqlite" * 100)
    with pytest.raises(CoachError, match="damaged"):
        backup_database(source, tmp_path / "backup.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3"]


async def test_the_command_prints_size_and_counts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COACHBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACHBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    database = await Database.open(tmp_path / "data" / "coachbot.sqlite3")
    await AskLog(database).record(ask(1))
    await database.close()

    assert await asyncio.to_thread(main, ["backup", "copy.db"]) == 0
    printed = capsys.readouterr().out
    assert await asyncio.to_thread(main, ["backup", "copy.db"]) == 1
    refused = capsys.readouterr().err

    assert f"Backed up {tmp_path / 'data' / 'coachbot.sqlite3'} to copy.db:" in printed
    assert "KB" in printed and "integrity ok" in printed and "asks 1" in printed
    assert "already exists" in refused and "Traceback" not in refused


def test_describe_reads_like_a_sentence(tmp_path):
    source = tmp_path / "db.sqlite3"
    asyncio.run(_create(source))
    text = describe(backup_database(source, tmp_path / "b.db"))
    assert text.startswith(f"Backed up {source} to {tmp_path / 'b.db'}: ")
    assert "Rows: " in text and "meta " in text


async def _create(path: Path) -> None:
    await (await Database.open(path)).close()
