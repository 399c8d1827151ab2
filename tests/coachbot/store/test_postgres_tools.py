"""doctor and backup know PostgreSQL: reachable and at which schema version; pg_dump when
present, and a plain sentence when it is not."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from coachbot import doctor
from coachbot.errors import CoachError
from coachbot.store import backup
from coachbot.store.database import Database, migrations
from coachbot.store.health import inspect_postgres


def _created(url: str) -> None:
    async def run() -> None:
        await (await Database.open(url)).close()

    asyncio.run(run())


def test_doctor_reports_the_schema_version_and_rows(postgres_url):
    _created(postgres_url)
    check = doctor.check_postgres(postgres_url)
    assert check.status == doctor.Status.OK
    assert f"schema version {len(migrations('postgresql'))}" in check.message
    assert inspect_postgres(postgres_url).counts["meta"] == 1


def test_doctor_names_an_unreachable_server_without_its_password(postgres_server):
    url = f"postgresql://bot:s3cret@127.0.0.1:{postgres_server.port}/no_such_database"
    check = doctor.check_postgres(url)
    assert check.status == doctor.Status.FAIL and "cannot be reached" in check.message
    assert "s3cret" not in check.message


def test_backup_uses_pg_dump(postgres_url, tmp_path: Path):
    _created(postgres_url)
    target = tmp_path / "coachbot.dump"
    said = backup.backup_postgres(postgres_url, target)
    assert "pg_dump" in said and target.stat().st_mode & 0o777 == 0o600
    listing = subprocess.run(
        [str(Path(backup.pg_dump()).with_name("pg_restore")), "--list", str(target)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE public debriefs" in listing


def test_backup_says_so_when_pg_dump_is_missing(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(backup, "pg_dump", lambda: None)
    with pytest.raises(CoachError, match="pg_dump was not found"):
        backup.backup_postgres("postgresql://bot@db.example/coachbot", tmp_path / "x.dump")
