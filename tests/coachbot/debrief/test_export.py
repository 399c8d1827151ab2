"""`coachbot debrief export`: the stored, scrubbed debriefs as CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest

from coachbot.cli import _parser
from coachbot.debrief import export
from coachbot.settings import Settings
from coachbot.store.database import Database
from coachbot.store.debriefs import DebriefStore, StoredDebrief
from tests.coachbot.debrief.test_command import scrub_cli
from tests.conftest import KNOWLEDGE


def _debrief(n: int, guild: str, day: date, happened: str, status: str = "shared"):
    return StoredDebrief(
        id=f"{n:024x}",
        guild_id=guild,
        day=day,
        what_happened=happened,
        what_tried='I listened, then said:\n"I understand, [name]."',
        what_worked='=HYPERLINK("http://evil.example")' if n == 2 else "A firm date.",
        next_time="",
        topic_id="stay-calm" if n != 3 else None,
        status=status,
    )


@pytest.fixture
async def settings_with_debriefs(tmp_path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    database = await Database.open(settings.database_path)
    store = DebriefStore(database)
    await store.add(_debrief(1, "111", date(2026, 11, 2), "He shouted, then hung up."), "h1")
    await store.add(_debrief(2, "111", date(2026, 11, 20), "Refund refused twice."), "h2")
    await store.add(_debrief(3, "222", date(2026, 11, 21), "She cried.", "waiting"), "h3")
    await store.mark_helped(f"{1:024x}", "voter-a")
    await store.mark_helped(f"{1:024x}", "voter-b")
    await database.close()
    return settings


def _export(settings: Settings, *args: str) -> tuple[int, str]:
    out = io.BytesIO()
    code = export.run(_parser().parse_args(["debrief", "export", *args]), out, settings)
    return code, out.getvalue().decode("utf-8")


def test_csv_has_a_header_and_one_row_per_debrief(settings_with_debriefs):
    code, out = _export(settings_with_debriefs, "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(export.COLUMNS)
    assert [r["guild"] for r in rows] == ["111", "111", "222"]
    first = rows[0]
    assert first["day"] == "2026-11-02" and first["week"] == "2026-W45"
    assert first["helped"] == "2" and first["topic"] == "stay-calm" and first["status"] == "shared"
    assert first["what_tried"] == 'I listened, then said:\n"I understand, [name]."'
    assert rows[2]["topic"] == "" and rows[2]["status"] == "waiting"


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(settings_with_debriefs):
    _, out = _export(settings_with_debriefs, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[1]["what_worked"] == '\'=HYPERLINK("http://evil.example")'


def test_since_and_guild_narrow_the_export(settings_with_debriefs):
    _, out = _export(settings_with_debriefs, "--json", "--since", "2026-11-10", "--guild", "111")
    [only] = [json.loads(line) for line in out.splitlines()]
    assert only["day"] == "2026-11-20" and only["guild"] == "111" and only["helped"] == 0
    assert set(only) == set(export.COLUMNS)


def test_nothing_matching_gives_just_the_header(settings_with_debriefs):
    code, out = _export(settings_with_debriefs, "--csv", "--guild", "nobody")
    assert code == 0 and out == ",".join(export.COLUMNS) + "\n"


def test_no_author_identity_is_exported(settings_with_debriefs):
    _, out = _export(settings_with_debriefs, "--json")
    for line in out.splitlines():
        assert not {"author", "user", "user_id", "delete_hash", "voter_key"} & set(json.loads(line))
    assert "voter-a" not in out and "h1" not in out


def test_without_a_format_it_says_which_formats_exist(settings_with_debriefs, capsys):
    code, out = _export(settings_with_debriefs)
    assert code == 2 and out == ""
    assert "--csv" in capsys.readouterr().err


def test_without_a_database_it_says_so_and_creates_nothing(tmp_path, capsys):
    settings = Settings(data_dir=tmp_path / "nowhere", knowledge_dir=KNOWLEDGE)
    code, out = _export(settings, "--csv")
    assert code == 1 and out == ""
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "'; DROP TABLE debriefs; --"])
def test_a_bad_since_date_is_refused_with_the_format_to_use(bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        _parser().parse_args(["debrief", "export", "--csv", "--since", bad])
    assert exit_.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_real_command_writes_csv_to_stdout(settings_with_debriefs, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "coachbot.cli", "debrief", "export", "--csv"],
        capture_output=True,
        cwd=tmp_path,
        env={**_env(), "COACHBOT_DATA_DIR": str(settings_with_debriefs.data_dir)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").startswith("id,guild,week,day,topic,status,helped,")
    assert len(list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))) == 4


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "COACHBOT"))}


def test_scrub_still_works_beside_export(tmp_path):
    done = scrub_cli(["--json"], "mail jane@example.com\n", tmp_path)
    assert json.loads(done.stdout) == {"text": "mail [email]", "redactions": {"email": 1}}
