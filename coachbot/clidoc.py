"""The command reference, docs/commands.md, generated from the CLI's own argparse parser.

`python -m coachbot.clidoc > docs/commands.md` (or `make docs`) writes it. A test compares the
committed file with a fresh rendering, so the reference cannot drift from the code. The text
is built from the parser's actions, not from `format_help()`, whose wrapping depends on the
terminal's width and whose layout changes between Python versions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

REGENERATE = "python -m coachbot.clidoc > docs/commands.md"

HEADER = f"""\
# Command reference

<!-- Generated from the parser in coachbot/cli.py by `{REGENERATE}`
     (or `make docs`). Do not edit by hand: a test fails when this file is stale. -->

`make run` and `make test` install the `coachbot` command in `.venv/bin/`. Every command
below also takes `-h` / `--help`.
"""


def render(parser: argparse.ArgumentParser) -> str:
    """The whole reference: one section per command, parents before their subcommands."""
    sections = [HEADER]
    for path, summary, sub in _commands(parser, (parser.prog,), None):
        sections.append(_section(path, summary, sub))
    return "\n".join(sections)


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...], summary: str | None
) -> Iterator[tuple[tuple[str, ...], str | None, argparse.ArgumentParser]]:
    yield path, summary, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name), helps.get(name))


def _section(path: tuple[str, ...], summary: str | None, parser: argparse.ArgumentParser) -> str:
    lines = [f"## `{' '.join(path)}`", ""]
    for text in (summary, parser.description):
        if text:
            lines += [text.strip(), ""]
    lines += ["```", _usage(path, parser), "```", ""]
    arguments = [a for a in parser._actions if not _hidden(a)]
    commands = [a for a in arguments if isinstance(a, argparse._SubParsersAction)]
    positional = [a for a in arguments if not a.option_strings and a not in commands]
    optional = [a for a in arguments if a.option_strings]
    for action in commands:
        lines += ["Commands:", ""]
        lines += [
            f"- `{c.dest}`: {c.help}" if c.help else f"- `{c.dest}`"
            for c in action._choices_actions
        ]
        lines.append("")
    if positional:
        lines += ["Arguments:", ""]
        lines += [_item(a) for a in positional]
        lines.append("")
    if optional:
        lines += ["Options:", ""]
        lines += [_item(a) for a in optional]
        lines.append("")
    return "\n".join(lines)


def _hidden(action: argparse.Action) -> bool:
    return isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS


def _usage(path: tuple[str, ...], parser: argparse.ArgumentParser) -> str:
    """One line, never wrapped: the command path, then each argument as argparse shows it."""
    groups = {
        id(a): group for group in parser._mutually_exclusive_groups for a in group._group_actions
    }
    parts = list(path)
    done: set[int] = set()
    # argparse's order: options first, then positionals
    ordered = sorted(parser._actions, key=lambda a: not a.option_strings)
    for action in ordered:
        if _hidden(action) or id(action) in done:
            continue
        group = groups.get(id(action))
        if group is None:
            parts.append(_usage_part(action))
            continue
        members = [a for a in group._group_actions if not _hidden(a)]
        done.update(id(a) for a in members)
        inner = " | ".join(_invocation(a) for a in members)
        parts.append(f"({inner})" if group.required else f"[{inner}]")
    return " ".join(parts)


def _usage_part(action: argparse.Action) -> str:
    text = _invocation(action)
    optional = bool(action.option_strings) or isinstance(action, argparse._SubParsersAction)
    return f"[{text}]" if optional and not action.required else text


def _invocation(action: argparse.Action) -> str:
    """`--threshold THRESHOLD`, `--verbose`, `QUESTION ...`: the option and what follows it."""
    values = _values(action)
    if not action.option_strings:
        return values
    option = action.option_strings[0]
    return f"{option} {values}" if values else option


def _values(action: argparse.Action) -> str:
    if isinstance(action, argparse._SubParsersAction):
        return f"{_metavar(action)} ..."
    nargs = action.nargs
    if nargs == 0:
        return ""
    name = _metavar(action)
    if nargs is None:
        return name
    if nargs == argparse.OPTIONAL:
        return f"[{name}]"
    if nargs == argparse.ZERO_OR_MORE:
        return f"[{name} ...]"
    if nargs == argparse.ONE_OR_MORE:
        return f"{name} [{name} ...]"
    if nargs == argparse.REMAINDER:
        return "..."
    return " ".join([name] * int(nargs))


def _metavar(action: argparse.Action) -> str:
    if isinstance(action.metavar, str):
        return action.metavar
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "{" + ",".join(str(c) for c in action.choices) + "}"
    return action.dest.upper()


def _item(action: argparse.Action) -> str:
    values = _values(action)
    if action.option_strings:  # the values after the last spelling: `-v`, `--verbose`
        spellings = [*action.option_strings[:-1], f"{action.option_strings[-1]} {values}"]
        names = ", ".join(f"`{n.strip()}`" for n in spellings)
    else:
        names = f"`{_metavar(action)}`"
    text = _help(action)
    if _shows_default(action, text):
        text = f"{text} (default: `{action.default}`)" if text else f"default: `{action.default}`"
    return f"- {names}: {text}" if text else f"- {names}"


def _help(action: argparse.Action) -> str:
    """The help text with argparse's %(default)s-style fields filled in, as --help shows it."""
    text = action.help or ""
    if "%" not in text:
        return text
    params = {k: v for k, v in vars(action).items() if v is not argparse.SUPPRESS}
    params["prog"] = "coachbot"
    if params.get("choices") is not None:
        params["choices"] = ", ".join(str(c) for c in params["choices"])
    return text % params


def _shows_default(action: argparse.Action, text: str) -> bool:
    """Name a default --help would not: a real value the help text does not mention already."""
    return (
        bool(action.option_strings)
        and action.nargs != 0
        and action.default not in (None, argparse.SUPPRESS)
        and "default" not in text
    )


def main() -> int:
    from coachbot.cli import _parser

    sys.stdout.buffer.write(render(_parser()).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
