"""`coachbot`: run, sync, chat, ask, topics, kb (lint, check, new, suggestions), debrief (scrub,
export), report, doctor, backup, db."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import io
import json
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from dotenv import load_dotenv

from coachbot import adapters, doctor, logs, suggestions_command
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


Handler = Callable[[argparse.Namespace, Settings], int | Awaitable[int]]


NOT_INSTALLED = "The {platform} adapter is not installed in this build."


def _parser() -> argparse.ArgumentParser:
    """Each command's parser carries its handler as `func` (a coroutine function runs in an
    event loop); no command given means `run`."""
    parser = argparse.ArgumentParser(prog="coachbot", description=__doc__)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {version()}", help="print the version"
    )
    parser.set_defaults(func=_run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _command(
        commands,
        "run",
        _run,
        "the bot: Discord and/or Slack from their tokens, else the local chat",
    )
    _command(commands, "chat", _chat, "a conversation in this terminal")
    _command(commands, "sync", _sync, "push the slash commands to Discord now (needs the token)")
    ask = _command(
        commands, "ask", _ask_command, "answer one question, or one per stdin line with --json"
    )
    ask.add_argument("question", nargs="*", help="the question (omit with --json to read stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    _command(commands, "topics", _topics, "list every topic")
    kb = commands.add_parser("kb", help="knowledge-base tools for trainers")
    kb_commands = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    lint = _command(kb_commands, "lint", _kb_lint, "validate the YAML, reporting every problem")
    lint.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="knowledge folder or one file of it (default: configured)",
    )
    check = _command(
        kb_commands, "check", _kb_check, "run each topic's questions through the matcher"
    )
    check.add_argument("--threshold", type=float, default=0.6, help="minimum hit rate per topic")
    check.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    # The modules below add their own parsers; their handlers are set here, in one place.
    scaffold.add_parser(kb_commands)
    kb_commands.choices["new"].set_defaults(func=_kb_new)
    suggestions_command.add_parser(kb_commands)
    kb_commands.choices["suggestions"].set_defaults(func=suggestions_command.run)
    debrief_command.add_parser(commands)
    commands.choices["debrief"].set_defaults(func=_debrief)
    for module in (doctor, backup, migrate_to, insights_command):
        before = set(commands.choices)
        module.add_parser(commands)
        for name in set(commands.choices) - before:
            commands.choices[name].set_defaults(func=module.run)
    return parser


def _command(
    commands: argparse._SubParsersAction, name: str, func: Handler, help: str
) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help)
    parser.set_defaults(func=func)
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
        if not inspect.iscoroutinefunction(args.func):
            return args.func(args, settings)
        with asyncio.Runner(loop_factory=_loop_factory(command, settings)) as runner:
            return runner.run(args.func(args, settings))
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


def _loop_factory(command: str, settings: Settings):
    """The event loop the served adapters ask for (uvloop for Discord); asyncio's otherwise."""
    if command != "run":
        return None
    served = [adapters.load(name) for name in adapters.wanted(settings)]
    return adapters.loop_factory([adapter for adapter in served if adapter is not None])


# ---- the commands ---------------------------------------------------------------------------


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Every adapter whose token is set (Discord, Slack, both on one App); else the chat."""
    names = adapters.wanted(settings)
    if not names:
        return await _chat_session(settings, hint=DISCORD_HINT)
    served = []
    for name in names:
        adapter = adapters.load(name)
        if adapter is None:
            print(NOT_INSTALLED.format(platform=name.capitalize()), file=sys.stderr)
            return 1
        served.append(adapter)
    with one_bot_per_data_folder(settings):  # a second bot would answer every click too
        return await adapters.serve(served, settings)


async def _chat(args: argparse.Namespace, settings: Settings) -> int:
    return await _chat_session(settings)


async def _chat_session(settings: Settings, hint: str = "") -> int:
    from coachbot.console import Console, watch_locally

    # ctrl_c: ends the chat, and cannot interrupt closing the database
    with one_bot_per_data_folder(settings), ctrl_c() as interrupted:
        if hint:
            print(hint, file=sys.stderr)
        app = await App.create(settings)
        console = Console(app)
        try:  # edits to the knowledge reload it (COACHBOT_WATCH), said without breaking the prompt
            async with watch_locally(app, announce=console.notice):
                code = await console.run(interrupted=interrupted)
        finally:
            await app.close()
    if interrupted.is_set():  # on the way out: another Ctrl+C must not raise in the shutdown
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code


async def _sync(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.discord_token:
        print("Set DISCORD_TOKEN (in .env or the environment) to sync commands.", file=sys.stderr)
        return 1
    adapter = adapters.load("discord")
    if adapter is None or adapter.sync is None:
        print(NOT_INSTALLED.format(platform="Discord"), file=sys.stderr)
        return 1
    return await adapter.sync(settings)


async def _ask_command(args: argparse.Namespace, settings: Settings) -> int:
    app = await App.create(settings)
    try:
        return await _ask(app, args)
    finally:
        await app.close()


async def _topics(args: argparse.Namespace, settings: Settings) -> int:
    from coachbot.console import render_topics

    app = await App.create(settings, in_memory=True)  # see App.create
    try:
        print(render_topics(app.knowledge.kb))
        return 0
    finally:
        await app.close()


def _debrief(args: argparse.Namespace, settings: Settings) -> int:
    return debrief_command.run(args, sys.stdin.buffer, sys.stdout.buffer, settings)


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


def _kb_new(args: argparse.Namespace, settings: Settings) -> int:
    return scaffold.run(args, settings.knowledge_dir, system_clock().date())


def _kb_lint(args: argparse.Namespace, settings: Settings) -> int:
    """A folder or one file; drafts listed (see lint.py)."""
    return kb_lint.run(args.path, settings.knowledge_dir, system_clock().date())


def _kb_check(args: argparse.Namespace, settings: Settings) -> int:
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
