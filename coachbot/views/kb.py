"""Trainers' knowledge replies cut to fit a platform's message: the rules both adapters share
(how many whole lines fit, how a problem's path is shortened); each draws its own markup."""

from __future__ import annotations

import os
from pathlib import Path

from coachbot.knowledge.yamlsource import display_path
from coachbot.limits import clip
from coachbot.suggestions import Decision

LINE_LIMIT = 300  # one problem or one stale topic; longer ones are clipped


def fit(head: str, lines: list[str], *, limit: int, code: bool = False) -> str:
    """`head`, then as many whole lines as fit, then "… and N more" for the rest."""
    room = limit - len(head) - len("\n```\n\n```\n… and 1000000 more")
    shown: list[str] = []
    for line in lines:
        room -= len(line) + 1
        if room < 0:
            break
        shown.append(line)
    text = head
    if shown:
        body = "\n".join(shown)
        text += f"\n```\n{body}\n```" if code else f"\n{body}"
    if len(shown) < len(lines):
        text += f"\n… and {len(lines) - len(shown)} more"
    return text


def short_problem(problem: str, knowledge_dir: Path) -> str:
    """`topics/x.yaml:3:1: ...` rather than the server's full path; no code fences inside."""
    prefix = display_path(Path(knowledge_dir)) + os.sep
    text = problem.removeprefix(prefix) if problem.startswith(prefix) else problem
    return clip(text.replace("`", "'"), LINE_LIMIT)


def decision_text(decision: Decision, *, reload_command: str) -> str:
    """What a trainer's Accept or Reject did (code spans in backticks read alike everywhere)."""
    suggestion = decision.suggestion
    if not decision.accepted:
        return f"Rejected {suggestion.id}: it will not be proposed again."
    reload = decision.reload
    if reload is not None and not reload.ok:
        return (
            f"Added {suggestion.id} to `{suggestion.topic.id}`, but the knowledge base has other "
            f"problems, so the live version stays: `{reload_command}` lists them."
        )
    version = f" Version {reload.version} is live." if reload is not None else ""
    return f"Accepted {suggestion.id}: added to `{suggestion.topic.id}`.{version}"
