"""`coachbot`: run, sync, chat, ask, topics, kb (lint, check, new), debrief (scrub, export),
report, doctor, backup."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from dotenv import load_dotenv

from coachbot import doctor, logs, suggestions_command
from coachbot.app import App
from coachbot.clock import system_clock
from coachbot.debrief import command as debrief_command
from coachbot.errors import CoachError, KnowledgeError
from coachbot.insights import command as insights_command
from coachbot.instance_lock import one_bot_per_data_folder
from coachbot.knowledge import lint as kb_lint
from coachbot.knowledge import scaffold
from coachbot.knowledge.check import check_topics
from coachbot.knowledge.live import LiveKnowledge
from coachbot.safetext import well_formed
from coachbot.settings import Settings
from coachbot.store import backup, migrate_to
from coachbot.terminal import ctrl_c
from coachbot.version import version

log = logging.getLogger("coachbot")

DISCORD_HINT = (
    "Running the local chat because DISCORD_TOKEN is not set. To connect to Discord, put "
    "DISCORD_TOKEN=... in .env (see .env.example) and run `make run` again."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coachbot", description=__doc__)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {version()}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="the bot: Discord with DISCORD_TOKEN, else the local chat")
    commands.add_parser("chat", help="a conversation in this terminal")
    commands.add_parser("sync", help="push the slash commands to Discord now (needs the token)")
    ask = commands.add_parser("ask", help="answer one question, or one per stdin line with --json")
    ask.add_argument("question", nargs="*", help="the question (omit with --json to read stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    commands.add_parser("topics", help="list every topic")
    kb = commands.add_parser("kb", help="knowledge-base tools for trainers")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    lint = kb_commands.add_parser("lint", help="validate the YAML, reporting every problem")
    lint.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="knowledge folder or one file of it (default: configured)",
    )
    check = kb_commands.add_parser("check", help="run each topic's questions through the matcher")
    check.add_argument("--threshold", type=float, default=0.6, help="minimum hit rate per topic")
    check.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    scaffold.add_parser(kb_commands)
    suggestions_command.add_parser(kb_commands)
    debrief_command.add_parser(commands)
    doctor.add_parser(commands)
    backup.add_parser(commands)
    migrate_to.add_parser(commands)
    insights_command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _forgiving_stdio()
    args = _parser().parse_args(argv)
    load_dotenv(Path.cwd() / ".env", override=False)  # the real environment wins
    settings = Settings.from_env()
    logs.configure(  # one event per line on stderr; the token never appears in it
        settings.log_level,
        log_format=settings.log_format,
        secrets=[
            settings.discord_token,
            settings.slack_bot_token,
            settings.slack_app_token,
            settings.slack_signing_secret,
        ],
    )
    command = args.command or "run"
    try:
        if command == "kb":
            return _kb(args, settings)
        if command == "db":
            return migrate_to.run(args, settings)
        if command in ("doctor", "backup"):
            return (doctor if command == "doctor" else backup).run(args, settings)
        if command == "debrief":
            return debrief_command.run(args, sys.stdin.buffer, sys.stdout.buffer, settings)
        if command == "report":
            return insights_command.run(args, settings)
        with asyncio.Runner(loop_factory=_loop_factory(command, settings)) as runner:
            return runner.run(_run_async(command, args, settings))
    except KnowledgeError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    except CoachError as exc:
        print(exc.user_message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _forgiving_stdio() -> None:
    """Text that the terminal's encoding cannot show comes out as `?`, not as a traceback
    (PYTHONIOENCODING=ascii, a Latin-1 locale); stdin is read as bytes where it matters."""
    if isinstance(sys.stdout, io.TextIOWrapper):  # stderr already uses backslashreplace
        sys.stdout.reconfigure(errors="replace")


async def _run_async(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "run" and settings.slack_bot_token:  # Slack, or Slack and Discord together
        with one_bot_per_data_folder(settings):
            return await _run_slack(settings)
    if command == "run" and settings.discord_token:
        with one_bot_per_data_folder(settings):  # a second bot would answer every click too
            return await _run_discord(settings, sync_only=False)
    if command == "sync":
        if not settings.discord_token:
            print(
                "Set DISCORD_TOKEN (in .env or the environment) to sync commands.", file=sys.stderr
            )
            return 1
        return await _run_discord(settings, sync_only=True)
    if command in ("run", "chat"):
        # ctrl_c: ends the chat, and cannot interrupt closing the database
        with one_bot_per_data_folder(settings), ctrl_c() as interrupted:
            code = await _chat(command, settings, interrupted)
        if interrupted.is_set():  # on the way out: another Ctrl+C must not raise in the shutdown
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        return code
    app = await App.create(settings, in_memory=command == "topics")  # see App.create
    try:
        if command == "ask":
            return await _ask(app, args)
        if command == "topics":
            from coachbot.console import render_topics

            print(render_topics(app.knowledge.kb))
            return 0
    finally:
        await app.close()
    return 2


async def _chat(command: str, settings: Settings, interrupted: asyncio.Event) -> int:
    from coachbot.console import Console, watch_locally

    if command == "run":
        print(DISCORD_HINT, file=sys.stderr)
    app = await App.create(settings)
    console = Console(app)
    try:  # edits to the knowledge reload it (COACHBOT_WATCH), said without breaking the prompt
        async with watch_locally(app, announce=console.notice):
            return await console.run(interrupted=interrupted)
    finally:
        await app.close()


def _loop_factory(command: str, settings: Settings):
    """The Discord bot's event loop (uvloop when installed); asyncio's for everything else."""
    if command != "run" or not settings.discord_token:
        return None
    try:
        from cogs._bot import event_loop_factory
    except ImportError:
        return None  # no Discord adapter: _run_discord says so
    return event_loop_factory()


async def _run_slack(settings: Settings) -> int:
    """Slack alone, or Slack and Discord in one process on one App (one store, one knowledge
    base: a reload from either serves both)."""
    from slack_adapter.runner import run_slack, serve_slack

    if not settings.discord_token:
        return await run_slack(settings)
    from cogs._bot import run_bot

    app = await App.create(settings)
    stop = asyncio.Event()
    slack = asyncio.create_task(serve_slack(app, settings, stop))
    try:  # Discord's runner owns the signals; when it ends, Slack stops too
        return await run_bot(settings, app=app)
    finally:
        stop.set()
        await asyncio.gather(slack, return_exceptions=True)
        await app.close()


async def _run_discord(settings: Settings, *, sync_only: bool) -> int:
    try:
        from cogs._bot import run_bot, sync_now
    except ImportError:
        print("The Discord adapter is not installed in this build.", file=sys.stderr)
        return 1
    return await (sync_now(settings) if sync_only else run_bot(settings))


ASK_JSON_BATCH = 500  # `ask --json` lines per ask-log write


async def _ask(app: App, args: argparse.Namespace) -> int:
    from coachbot.console import render_result

    if args.question:
        question = well_formed(" ".join(args.question))  # argv may hold bytes that are not UTF-8
        result = await app.asks.ask(question)
        if args.json:
            print(json.dumps(_ask_json(result)))
        else:
            print(render_result(result, one_shot=True))
        return 0
    if not args.json:
        print("Give a question, or use --json to read one question per line.", file=sys.stderr)
        return 2
    from coachbot.terminal import TerminalLines

    # the ask log in batches, as the bots write it: one write per ASK_JSON_BATCH lines or
    # second, not one per line; end of input and Ctrl+C end the loop and write the rest
    app.asks.batch_log(1.0, ASK_JSON_BATCH)
    with ctrl_c() as interrupted:
        lines = TerminalLines(sys.stdin, interrupted)  # bytes: any line gets a JSON line
        while (line := await lines.next()) is not None:
            result = await app.asks.ask(line)
            print(json.dumps(_ask_json(result, line)), flush=True)
        await app.asks.flush_log()  # a second Ctrl+C cannot interrupt it
    return 130 if interrupted.is_set() else 0


def _ask_json(result, question: str | None = None) -> dict:
    """The stable `ask --json` contract used by outside evaluation."""
    return {
        "question": result.question if question is None else question,
        "answered": result.answered,
        "topic": result.topic.id if result.topic else None,
        "confidence": round(float(result.confidence), 4),
        "alternatives": [t.id for t in result.alternatives],
        "clarify": result.clarify,  # "Which is closest?": `alternatives` are the choices
    }


def _kb(args: argparse.Namespace, settings: Settings) -> int:
    if args.kb_command == "new":
        return scaffold.run(args, settings.knowledge_dir, system_clock().date())
    if args.kb_command == "suggestions":  # needs the store: what agents picked
        return suggestions_command.run(args, settings)
    if args.kb_command == "lint":  # a folder or one file; drafts listed (see lint.py)
        return kb_lint.run(args.path, settings.knowledge_dir, system_clock().date())
    live = LiveKnowledge.load(settings.knowledge_dir)  # KnowledgeError -> every problem, exit 1
    results = check_topics(live.matcher)
    failing = [r for r in results if r.hit_rate < args.threshold]
    width = max(len(r.topic_id) for r in results)
    for r in sorted(results, key=lambda r: r.hit_rate):
        flag = "  <- below threshold" if r in failing else ""
        print(f"{r.topic_id.ljust(width)}  {r.hits:3d}/{r.total:<3d} {r.hit_rate:6.0%}{flag}")
        if args.verbose or r in failing:
            for miss in r.misses:
                print(f"    {miss.question!r} -> {miss.got or 'declined'}")
    total = sum(r.total for r in results)
    hits = sum(r.hits for r in results)
    firsts = sum(r.ranked_first for r in results)
    print(f"ranked first {firsts}/{total} = {firsts / total:.0%}")
    print(
        f"overall {hits}/{total} = {hits / total:.0%} (leave-one-out); "
        f"threshold {args.threshold:.0%}"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
