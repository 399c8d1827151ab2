"""`coachbot` in a child process against the fake Discord, with the few test knobs it needs.

    python -m tests.bot_process BASE_URL [--clock-start ISO] [--no-ask-cooldown]
                                [--no-debrief-limit] [--quick-ready] [--rusage FILE]
                                [--slack SLACK_URL] [coachbot args...]

It is ``python -m tests.discord_harness BASE_URL run`` (the real entry point,
``coachbot.cli.main``) plus a few knobs, all set here so that the product has no test hooks:

- ``--clock-start``: the bot's clock starts at this instant and then runs at the real pace, so
  a crash test or a load run can make "09:00 on a Monday" happen now. It replaces the default
  clock of ``App.create`` (the one composition root), as the harness itself replaces
  discord.py's defaults; everything that reads the time goes through that clock.
- ``--no-ask-cooldown``: lifts the five-questions-per-30-seconds limit of /ask, as
  benchmarks/discord_ask.py does, so a load run can ask more than 1,000 agents would.
- ``--no-debrief-limit``: lifts the five-previews-a-minute limit of the debrief form, so a
  crash test's writers can submit debriefs back to back at machine speed.
- ``--quick-ready``: discord.py waits ``guild_ready_timeout`` (2 s) after the last server
  arrives before it is ready; the fake sends its one server at once, so 0.1 s is enough (as
  the in-process tests use). It saves a crash test two seconds per start.
- ``--rusage FILE``: at exit, writes the process's peak resident memory (``ru_maxrss``, KiB
  on Linux) and CPU seconds there, as JSON.
- ``--slack SLACK_URL``: slack_sdk talks to the fake Slack there too (tests/slack_harness), so
  ``run`` with both platforms' tokens serves both fakes from one process.

The environment variable ``BOT_PROCESS_PROFILE=FILE`` runs the bot under cProfile and writes
the stats to FILE at exit (read them with ``pstats``): it reaches a child started by a
benchmark without any plumbing.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import resource
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.discord_harness import point_discord_at


def shifted_clock(start: datetime):
    """A clock that reads `start` now and moves on in real time (always aware, UTC)."""
    if start.tzinfo is None:
        raise ValueError("--clock-start needs a time zone, e.g. 2026-11-23T08:00:00+00:00")
    offset = start - datetime.now(UTC)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    return clock


def _use_clock(start: datetime) -> None:
    from coachbot.app import App

    defaults = App.create.__func__.__kwdefaults__  # type: ignore[attr-defined]
    if not defaults or "clock" not in defaults:
        raise SystemExit("App.create no longer takes a clock= keyword: update tests/bot_process")
    defaults["clock"] = shifted_clock(start)


def _adjust_bot(*, lift_cooldown: bool, quick_ready: bool, lift_debrief_limit: bool) -> None:
    import cogs._bot

    build = cogs._bot.create_bot

    def create_bot(app: Any, settings: Any, **options: Any) -> Any:
        if quick_ready:
            options.setdefault("guild_ready_timeout", 0.1)
        bot = build(app, settings, **options)
        if lift_cooldown:
            bot.tree.get_command("ask").checks.clear()
        if lift_debrief_limit:
            from coachbot.debrief.drafts import DraftStore

            bot.get_cog("DebriefCog").drafts = DraftStore(app.clock, rate=1_000_000)
        return bot

    cogs._bot.create_bot = create_bot  # serve looks the name up when it runs


def _report_rusage(path: Path) -> None:
    def write() -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        report = {"max_rss_kib": usage.ru_maxrss, "cpu_seconds": usage.ru_utime + usage.ru_stime}
        path.write_text(json.dumps(report), encoding="utf-8")

    atexit.register(write)


def _profile(path: Path) -> None:
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    atexit.register(lambda: (profiler.disable(), profiler.dump_stats(str(path))))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bot_process")
    parser.add_argument("base_url")
    parser.add_argument("--clock-start", type=datetime.fromisoformat)
    parser.add_argument("--no-ask-cooldown", action="store_true")
    parser.add_argument("--no-debrief-limit", action="store_true")
    parser.add_argument("--quick-ready", action="store_true")
    parser.add_argument("--rusage", type=Path)
    parser.add_argument("--slack", metavar="SLACK_URL")
    known, coachbot_args = parser.parse_known_args(argv)
    point_discord_at(known.base_url)
    if known.slack is not None:
        from tests.slack_harness import point_slack_at

        point_slack_at(known.slack)
    if known.clock_start is not None:
        _use_clock(known.clock_start)
    if known.no_ask_cooldown or known.quick_ready or known.no_debrief_limit:
        _adjust_bot(
            lift_cooldown=known.no_ask_cooldown,
            quick_ready=known.quick_ready,
            lift_debrief_limit=known.no_debrief_limit,
        )
    if known.rusage is not None:
        _report_rusage(known.rusage)
    if profile := os.environ.get("BOT_PROCESS_PROFILE"):
        _profile(Path(profile))
    from coachbot.cli import main as coachbot_main

    return coachbot_main(coachbot_args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
