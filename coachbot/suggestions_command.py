"""`coachbot kb suggestions`: the questions agents' picks propose, to accept or reject.

Listing changes nothing. `--accept N` appends suggestion N's question to its topic file
(linted first, written atomically); a running bot with automatic reload picks the edit up,
otherwise `/kb reload` does. `--reject N` keeps it from being proposed again.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from coachbot.errors import CoachError
from coachbot.settings import Settings
from coachbot.suggestions import Decision, Suggestion

LIST_LIMIT = 50  # per run; the rest are counted


def add_parser(kb_commands: argparse._SubParsersAction) -> None:
    parser = kb_commands.add_parser(
        "suggestions",
        help="example questions proposed by what agents picked: list, accept or reject",
    )
    parser.add_argument("--topic", metavar="ID", help="only this topic's suggestions")
    parser.add_argument(
        "--accept",
        metavar="N",
        type=_number,
        nargs="+",
        help="add suggestion N's question to its topic file (several: --accept 3 5)",
    )
    parser.add_argument(
        "--reject",
        metavar="N",
        type=_number,
        nargs="+",
        help="never propose suggestion N again",
    )


def _number(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 9):
        raise argparse.ArgumentTypeError(f"'{text}' is not a suggestion number (see the list)")
    return int(text)


def run(args: argparse.Namespace, settings: Settings, *, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    args.accept, args.reject = args.accept or [], args.reject or []
    both = sorted(set(args.accept) & set(args.reject))
    if both:
        print(f"Suggestion {both[0]} is both accepted and rejected; choose one.", file=sys.stderr)
        return 2
    return asyncio.run(_run(args, settings, out))


async def _run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from coachbot.app import App  # the app imports every service: only when the command runs

    app = await App.create(settings)
    try:
        service = app.suggestions
        if args.topic is not None and app.knowledge.kb.topic(args.topic) is None:
            print(
                f"There is no topic '{args.topic}' (`coachbot topics` lists them).", file=sys.stderr
            )
            return 1
        if not args.accept and not args.reject:
            print(render_list(await service.open(args.topic)), file=out)
            return 0
        failed = False
        for number, accept in [(n, True) for n in args.accept] + [(n, False) for n in args.reject]:
            try:
                decision = await (service.accept if accept else service.reject)(number)
            except CoachError as exc:
                print(exc.user_message, file=sys.stderr)
                failed = True
                continue
            print(render_decision(decision), file=out)
        return 1 if failed else 0
    finally:
        await app.close()


HOW_TO_DECIDE = "Accept with `coachbot kb suggestions --accept N`, reject with `--reject N`."


def render_list(suggestions: list[Suggestion], how: str = HOW_TO_DECIDE) -> str:
    """The list as text; `how` says how to accept or reject where it is shown."""
    if not suggestions:
        return (
            "No suggestions. When agents pick a topic after a clarify or a decline, their "
            "questions (scrubbed) are proposed here."
        )
    count = len(suggestions)
    lines = [f"{count} suggestion{'' if count == 1 else 's'}, most picked first. {how}"]
    topic = None
    for suggestion in suggestions[:LIST_LIMIT]:
        if suggestion.topic.id != topic:
            topic = suggestion.topic.id
            lines += ["", f"{topic}: {suggestion.topic.title}"]
        lines.append(f"  {suggestion.id:>4}  {suggestion.question}")
        lines.append(f"        {suggestion.how_picked()}")
    if count > LIST_LIMIT:
        lines += ["", f"… and {count - LIST_LIMIT} more (use --topic to see one topic's)."]
    return "\n".join(lines)


def render_decision(decision: Decision) -> str:
    suggestion = decision.suggestion
    if not decision.accepted:
        return f"Rejected {suggestion.id}: it will not be proposed again."
    text = f"Accepted {suggestion.id}: added to {decision.file}."
    reload = decision.reload
    if reload is not None and not reload.ok:
        text += " The knowledge base has other problems; `coachbot kb lint` lists them."
    else:
        text += " A running bot reloads it on its own (or run /kb reload)."
    return text
