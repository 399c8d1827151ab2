"""`coachbot debrief export --csv|--json [--since DATE] [--guild ID]`: stored debriefs to stdout.

For trainers' own analysis in a spreadsheet or a script. Only what is stored goes out: the
scrubbed fields, the team (guild), the day and its ISO week, the linked topic, the status and how
many marked it helpful. No author identity exists to export. Rows are ordered by team, day and
random id, so their order says nothing about who wrote first.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from coachbot.settings import Settings
from coachbot.store.database import Database
from coachbot.store.debriefs import DebriefStore, ExportedDebrief

COLUMNS = (
    "id",
    "guild",
    "week",
    "day",
    "topic",
    "status",
    "helped",
    "what_happened",
    "what_tried",
    "what_worked",
    "next_time",
)
FORMATS_HINT = (
    "Choose a format: --csv (a spreadsheet: one row per debrief) or --json (one JSON object "
    "per line)."
)
# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)"):
# debriefs are free text from anyone, so such cells get a leading apostrophe (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31"
        ) from None


def add_parser(debrief_commands: argparse._SubParsersAction) -> None:
    parser = debrief_commands.add_parser(
        "export", help="write the stored (scrubbed) debriefs to stdout as CSV or JSON lines"
    )
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--csv", action="store_true", help="CSV with a header row")
    formats.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--since", type=_day, metavar="DATE", help="only from this day (ISO)")
    parser.add_argument("--guild", metavar="ID", help="only this team's (server's) debriefs")


def run(args: argparse.Namespace, stdout: BinaryIO, settings: Settings) -> int:
    if not (args.csv or args.json):
        print(FORMATS_HINT, file=sys.stderr)
        return 2
    path = settings.database_path
    if not path.is_file():
        print(
            f"No debriefs to export: there is no database at {path} yet "
            "(COACHBOT_DATA_DIR sets its folder).",
            file=sys.stderr,
        )
        return 1
    rows = asyncio.run(_rows(path, args.since, args.guild))
    lines = _csv(rows) if args.csv else _json_lines(rows)
    for line in lines:
        stdout.write(line.encode("utf-8"))
    stdout.flush()
    return 0


async def _rows(path, since: date | None, guild: str | None) -> list[ExportedDebrief]:
    database = await Database.open(path)
    try:
        return await DebriefStore(database).exported(since, guild)
    finally:
        await database.close()


def record(row: ExportedDebrief) -> dict[str, str | int]:
    """One debrief as the export's columns."""
    debrief = row.debrief
    year, week, _ = debrief.day.isocalendar()
    return {
        "id": debrief.id,
        "guild": debrief.guild_id,
        "week": f"{year}-W{week:02d}",
        "day": debrief.day.isoformat(),
        "topic": debrief.topic_id or "",
        "status": debrief.status,
        "helped": row.helped,
        "what_happened": debrief.what_happened,
        "what_tried": debrief.what_tried,
        "what_worked": debrief.what_worked,
        "next_time": debrief.next_time,
    }


def _cell(value: str | int) -> str | int:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[ExportedDebrief]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = record(row)
        writer.writerow([_cell(values[column]) for column in COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _json_lines(rows: list[ExportedDebrief]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(record(row), ensure_ascii=False) + "\n"
