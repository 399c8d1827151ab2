"""Reload results, stale topics and the knowledge status as Discord messages within limits."""

from __future__ import annotations

import os
from pathlib import Path

import discord

from coachbot.knowledge.freshness import StaleReport
from coachbot.knowledge.reload import KnowledgeStatus, ReloadResult
from coachbot.knowledge.yamlsource import display_path
from cogs._render import CONTENT_LIMIT, clip

LINE_LIMIT = 300  # one problem or one stale topic; longer ones are clipped


def fit(head: str, lines: list[str], *, limit: int = CONTENT_LIMIT, code: bool = False) -> str:
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


def _short(problem: str, knowledge_dir: Path) -> str:
    """`topics/x.yaml:3:1: ...` rather than the server's full path; no code fences inside."""
    prefix = display_path(Path(knowledge_dir)) + os.sep
    text = problem.removeprefix(prefix) if problem.startswith(prefix) else problem
    return clip(text.replace("`", "'"), LINE_LIMIT)


def reload_text(result: ReloadResult, knowledge_dir: Path) -> str:
    if result.ok and result.changes is not None:
        head = (
            f"**Knowledge reloaded.** Version {result.version} is live: {result.changes.summary()}."
        )
        lines = [clip(line, LINE_LIMIT) for line in result.changes.details()]
        return fit(head, lines)
    count = len(result.problems)
    head = (
        f"**Not reloaded:** the files have {count} problem{'' if count == 1 else 's'}. "
        f"Version {result.version} stays live, so agents see no change. Fix these and "
        "run `/kb reload` again (`coachbot kb lint` lists them too):"
    )
    return fit(head, [_short(p, knowledge_dir) for p in result.problems], code=True)


def stale_text(report: StaleReport) -> str:
    if not report.topics:
        untracked = report.total - report.tracked
        text = f"No stale topics. {report.tracked} of {report.total} topics have a review schedule."
        if untracked:
            text += " Add `reviewed` and `review_every` to a topic to track it."
        return text
    count = len(report.topics)
    head = (
        f"**{count} stale topic{'' if count == 1 else 's'}**, most used first "
        f"(asks answered in the last {report.usage_days} days):"
    )
    lines = []
    for stale in report.topics:
        topic = stale.topic
        owner = discord.utils.escape_markdown(topic.owner) if topic.owner else "no owner"
        title = discord.utils.escape_markdown(clip(topic.title, 100))
        uses = "1 ask" if stale.uses == 1 else f"{stale.uses} asks"
        line = f"• **{title}** (`{topic.id}`): {owner} · {stale.reason(report.today)} · {uses}"
        lines.append(clip(line, LINE_LIMIT))
    return fit(head, lines)


def status_text(status: KnowledgeStatus, *, watching: bool) -> str:
    loaded = discord.utils.format_dt(status.loaded_at, "f")
    lines = [
        f"**Knowledge version {status.version}**, loaded {loaded}: {status.topics} topics, "
        f"{status.quiz_items} quiz items, {status.synonym_groups} synonym groups, "
        f"{status.out_of_scope} out-of-scope examples.",
        "Automatic reload: "
        + ("on: saved edits go live after a second." if watching else "off: use `/kb reload`."),
    ]
    failure = status.last_failure
    if failure is not None:
        count = len(failure.problems)
        lines.append(
            f"The last reload, {discord.utils.format_dt(failure.at, 'R')}, failed with {count} "
            f"problem{'' if count == 1 else 's'}. `/kb reload` shows them."
        )
    return "\n".join(lines)
