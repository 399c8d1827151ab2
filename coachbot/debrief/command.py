"""`coachbot debrief scrub` and `coachbot debrief export`: trainers' tools on the command line.

`scrub` runs the scrubber on stdin, for trainers and outside evaluation. Its output contract is
stable: plain text, or with `--json` one object `{"text": str, "redactions": {kind: count}}` —
never the removed values. With `--each-line` every input line is a separate text and there is
exactly one output line (or object) per input line, an empty line for an empty one.

`export` (in `export.py`) writes the stored debriefs as CSV or JSON lines for trainers' own
analysis.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import BinaryIO

from coachbot.debrief import export
from coachbot.debrief.scrubber import Scrubbed, scrub
from coachbot.safetext import decode_line
from coachbot.settings import Settings

# Characters that `str.splitlines()` treats as line breaks: kept out of a plain output line so
# that a reader splitting the output finds one line per input line.
_LINE_BREAKS = re.compile(r"[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register `debrief` and its `scrub` subcommand on the top-level subparsers."""
    debrief = commands.add_parser(
        "debrief", help="debrief tools (scrub personal data, export stored debriefs)"
    )
    debrief_commands = debrief.add_subparsers(
        dest="debrief_command", metavar="DEBRIEF_COMMAND", required=True
    )
    scrub_parser = debrief_commands.add_parser(
        "scrub", help="print the text on stdin with personal data replaced by placeholders"
    )
    scrub_parser.add_argument(
        "--json", action="store_true", help='print {"text": ..., "redactions": {kind: count}}'
    )
    scrub_parser.add_argument(
        "--each-line", action="store_true", help="scrub every input line as a separate text"
    )
    export.add_parser(debrief_commands)


def run(
    args: argparse.Namespace,
    stdin: BinaryIO,
    stdout: BinaryIO,
    settings: Settings | None = None,
) -> int:
    """Scrub stdin to stdout; bytes in and out so that any locale reads and writes UTF-8."""
    if getattr(args, "debrief_command", "scrub") == "export":
        return export.run(args, stdout, settings or Settings.from_env())
    if args.each_line:
        for raw in stdin:
            _write(stdout, scrub(decode_line(raw)), as_json=args.json, one_line=True)
        return 0
    text = stdin.read().decode("utf-8", errors="replace")
    if text.endswith("\n"):
        text = text[:-1].removesuffix("\r")
    _write(stdout, scrub(text), as_json=args.json, one_line=False)
    return 0


def _write(stdout: BinaryIO, result: Scrubbed, *, as_json: bool, one_line: bool) -> None:
    if as_json:
        line = json.dumps(
            {"text": result.text, "redactions": dict(sorted(result.redactions.items()))}
        )
    else:
        line = _LINE_BREAKS.sub(" ", result.text) if one_line else result.text
    stdout.write(line.encode("utf-8") + b"\n")
    stdout.flush()
