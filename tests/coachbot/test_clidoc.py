"""docs/commands.md is generated from the CLI's parser and must match it."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from coachbot import clidoc
from coachbot.cli import _parser

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "commands.md"


def test_the_committed_reference_matches_the_parser() -> None:
    fresh = clidoc.render(_parser())
    committed = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    assert committed == fresh, (
        f"{REFERENCE.relative_to(REFERENCE.parents[1])} is stale. Regenerate it with "
        f"`make docs` or `.venv/bin/{clidoc.REGENERATE}`, then commit it."
    )


def test_every_command_of_the_cli_has_a_section() -> None:
    text = clidoc.render(_parser())
    for heading in ("`coachbot`", "`coachbot ask`", "`coachbot kb check`", "`coachbot backup`"):
        assert f"\n## {heading}\n" in text


def _toy() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tool", description="Does things.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    go = commands.add_parser("go", help="go somewhere")
    go.add_argument("where", nargs="+", help="places")
    go.add_argument("--speed", "-s", type=float, default=1.5, help="how fast")
    go.add_argument("--mode", choices=["walk", "run"], default="walk", help="%(choices)s")
    go.add_argument("--quiet", action="store_true", help="say nothing")
    go.add_argument("--secret", help=argparse.SUPPRESS)
    both = go.add_mutually_exclusive_group(required=True)
    both.add_argument("--left", action="store_true", help="turn left")
    both.add_argument("--right", action="store_true", help="turn right")
    deeper = go.add_subparsers(dest="how", metavar="HOW", required=True)
    deeper.add_parser("fast", help="hurry")
    return parser


def test_a_command_section_shows_usage_arguments_and_options() -> None:
    text = clidoc.render(_toy())
    go = text.split("## `tool go`\n", 1)[1].split("\n## ", 1)[0]
    usage = (
        "tool go [--speed SPEED] [--mode {walk,run}] [--quiet] (--left | --right) "
        "WHERE [WHERE ...] HOW ..."
    )
    assert f"```\n{usage}\n```" in go
    assert "- `WHERE`: places" in go
    assert "- `--speed`, `-s SPEED`: how fast (default: `1.5`)" in go
    assert "- `--mode {walk,run}`: walk, run (default: `walk`)" in go
    assert "- `--quiet`: say nothing\n" in go  # a flag has no default worth naming
    assert "--secret" not in go and "--help" not in go
    assert "- `fast`: hurry" in go


def test_the_top_section_lists_the_commands_and_an_optional_command() -> None:
    text = clidoc.render(_toy())
    top = text.split("## `tool`\n", 1)[1].split("\n## ", 1)[0]
    assert "Does things." in top
    assert "```\ntool [COMMAND ...]\n```" in top
    assert "- `go`: go somewhere" in top
    assert text.index("## `tool go`") < text.index("## `tool go fast`")


def test_the_module_prints_the_reference() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "coachbot.clidoc"], capture_output=True, check=True
    )
    assert done.stdout.decode("utf-8") == clidoc.render(_parser())
