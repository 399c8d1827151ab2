"""`coachbot report` in the terminal: formats, the chart file, and clear refusals."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coachbot.cli import _parser
from coachbot.insights import command
from coachbot.settings import Settings
from coachbot.store.database import Database
from tests.coachbot.insights.conftest import AGENT_IDS, seed
from tests.conftest import KNOWLEDGE

TODAY = date(2026, 11, 23)


@pytest.fixture
def seeded_settings(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)

    async def fill() -> None:
        database = await Database.open(settings.database_path)
        try:
            await seed(database)
        finally:
            await database.close()

    asyncio.run(fill())
    return settings


def report(settings: Settings, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = command.run(_parser().parse_args(["report", *args]), settings, today=TODAY, stdout=out)
    return code, out.getvalue()


def test_the_default_is_the_last_30_days_as_text(seeded_settings):
    code, out = report(seeded_settings)
    assert code == 0
    assert out.startswith("Insights for 2026-10-25 to 2026-11-23")
    assert "TRAIN NEXT" in out


def test_json_and_csv_for_a_chosen_period_and_server(seeded_settings):
    code, out = report(
        seeded_settings, "--since", "2026-11-01", "--until", "2026-11-30", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["period"]["since"] == "2026-11-01"
    assert data["asks"]["total"] == 15  # 17 asks, less those of 2026-10-24 and 2026-10-25

    code, out = report(seeded_settings, "--format", "csv", "--guild", "700000000000000001")
    rows = list(csv.DictReader(io.StringIO(out)))
    teams = [r for r in rows if r["section"] == "quiz_team" and r["metric"] == "answered"]
    assert code == 0 and [(r["team"], r["value"]) for r in teams] == [("700000000000000001", "13")]
    assert not any(agent in out for agent in AGENT_IDS)


def test_the_chart_is_written_where_asked(seeded_settings, tmp_path):
    target = tmp_path / "weakness.png"
    code, _ = report(seeded_settings, "--chart", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "not a date"),
        (["--since", "yesterday"], "YYYY-MM-DD"),
        (["--until", "x" * 5000], "not a date"),
        (["--since", "2026-11-10", "--until", "2026-11-01"], "after it ends"),
        (["--since", "1900-01-01"], "too early"),
        (["--since", "'; DROP TABLE asks; --"], "not a date"),
        (["--guild", "../../etc"], "server id"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line_and_opens_nothing(tmp_path, capsys, args, message):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    code, out = report(settings, *args)
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    assert message in err and len(err) < 300 and "Traceback" not in err
    assert not settings.database_path.exists()


def test_a_chart_ending_that_is_not_an_image_format_is_refused_before_any_work(
    seeded_settings, tmp_path, capsys
):
    code, _ = report(seeded_settings, "--chart", str(tmp_path / "c.gif"))
    assert code == 2
    assert "not .gif" in capsys.readouterr().err
    assert not (tmp_path / "c.gif").exists()


def test_a_chart_path_that_cannot_be_written_is_a_clear_error(seeded_settings, tmp_path, capsys):
    code, _ = report(seeded_settings, "--chart", str(tmp_path / "missing" / "dir" / "c.png"))
    assert code == 1
    assert "Could not write the chart" in capsys.readouterr().err


def test_the_installed_command_runs_end_to_end(seeded_settings, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD", "COACHBOT"))
    }
    environment.update(
        COACHBOT_DATA_DIR=str(seeded_settings.data_dir), COACHBOT_KNOWLEDGE_DIR=str(KNOWLEDGE)
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coachbot.cli",
            "report",
            "--since",
            "2026-10-25",
            "--until",
            "2026-11-23",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("section,group,topic,title,team,channel,week,metric,value")
    bad = subprocess.run(
        [sys.executable, "-m", "coachbot.cli", "report", "--since", "31/12/2026"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
