"""`coachbot report`: the insights report in the terminal, as text, JSON or CSV, with a chart.

Arguments are checked before the database is opened: a bad date exits 2 with one line that
says what to write instead, and nothing is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from coachbot.clock import system_clock
from coachbot.errors import InvalidInput
from coachbot.insights.models import DEFAULT_DAYS, Period, parse_day
from coachbot.settings import Settings

FORMATS = ("text", "json", "csv")


def add_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="what to train next: gaps, votes, quiz accuracy, debriefs for a period"
    )
    report.add_argument(
        "--since",
        metavar="DATE",
        help=f"first day, YYYY-MM-DD (default: the {DEFAULT_DAYS} days up to --until)",
    )
    report.add_argument("--until", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
    report.add_argument("--format", choices=FORMATS, default="text", help="output (default text)")
    report.add_argument(
        "--chart",
        metavar="FILE",
        type=Path,
        help="also write the chart (.png, .svg, .pdf or .jpg, by the ending)",
    )
    report.add_argument(
        "--guild",
        metavar="ID",
        help="this server (team) only: its asks, votes, quiz answers and debriefs",
    )


def period_from(args: argparse.Namespace, today: date) -> Period:
    until = parse_day(args.until, what="--until date") if args.until else today
    if args.since:
        return Period(parse_day(args.since, what="--since date"), until)
    return Period(until - timedelta(days=DEFAULT_DAYS - 1), until)


def run(
    args: argparse.Namespace,
    settings: Settings,
    *,
    today: date | None = None,
    stdout: TextIO | None = None,
) -> int:
    out = stdout or sys.stdout
    try:
        period = period_from(args, today or system_clock().date())
        guild = _guild(args.guild)
        if args.chart is not None:
            from coachbot.insights.chart import chart_format

            chart_format(args.chart)  # refuse an unknown ending before any work
    except InvalidInput as problem:
        print(problem.user_message, file=sys.stderr)
        return 2
    return asyncio.run(_report(settings, period, guild, args.format, args.chart, out))


def _guild(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 20):
        raise InvalidInput(f"--guild takes a server id (digits only), not {cleaned[:40]!r}.")
    return cleaned


async def _report(
    settings: Settings,
    period: Period,
    guild: str | None,
    output: str,
    chart: Path | None,
    out: TextIO,
) -> int:
    from coachbot.app import App
    from coachbot.insights import render

    app = await App.create(settings)
    try:
        report = await app.insights.report(period, guild)
    finally:
        await app.close()
    if chart is not None:
        from coachbot.insights.chart import chart_format, render_chart

        try:
            chart.write_bytes(render_chart(report, chart_format(chart)))
        except OSError as exc:
            print(f"Could not write the chart to {chart}: {exc.strerror}.", file=sys.stderr)
            return 1
    text = {"text": render.render_text, "json": render.render_json, "csv": render.render_csv}
    out.write(text[output](report))
    out.flush()
    if chart is not None:
        print(f"Chart written to {chart}.", file=sys.stderr)
    return 0
