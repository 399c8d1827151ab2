"""Reload results, stale topics, the knowledge status and suggestions as Discord messages
within limits."""

from __future__ import annotations

import os
from pathlib import Path

import discord

from coachbot.errors import CoachError, KnowledgeError
from coachbot.knowledge.freshness import StaleReport
from coachbot.knowledge.reload import KnowledgeStatus, ReloadResult
from coachbot.knowledge.yamlsource import display_path
from coachbot.suggestions import SHOWN, Decision, Suggestion
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


def suggestions_text(suggestions: list[Suggestion], *, head: str = "") -> str:
    """The first SHOWN open suggestions, numbered as their buttons are."""
    lines = [head] if head else []
    if not suggestions:
        lines.append(
            "No suggestions waiting. When agents pick a topic after a clarify or a decline, "
            "their questions (scrubbed) are proposed here."
        )
        return "\n".join(lines)
    count = len(suggestions)
    lines.append(
        f"**{count} suggestion{'' if count == 1 else 's'}**, most picked first. Accept adds "
        "the question to the topic's `questions` (linted, then live); Reject hides it for good."
    )
    shown = []
    for suggestion in suggestions[:SHOWN]:
        question = discord.utils.escape_markdown(clip(suggestion.question, LINE_LIMIT))
        topic = suggestion.topic.id
        shown.append(f"**{suggestion.id}.** `{topic}`: “{question}” · {suggestion.how_picked()}")
    text = fit("\n".join(lines), shown)
    if count > SHOWN:
        text += f"\n… and {count - SHOWN} more: decide these to see the next."
    return text


def decision_text(decision: Decision) -> str:
    suggestion = decision.suggestion
    if not decision.accepted:
        return f"Rejected {suggestion.id}: it will not be proposed again."
    reload = decision.reload
    if reload is not None and not reload.ok:
        return (
            f"Added {suggestion.id} to `{suggestion.topic.id}`, but the knowledge base has other "
            "problems, so the live version stays: `/kb reload` lists them."
        )
    version = f" Version {reload.version} is live." if reload is not None else ""
    return f"Accepted {suggestion.id}: added to `{suggestion.topic.id}`.{version}"


def refusal_text(error: CoachError, knowledge_dir: Path) -> str:
    """Why a suggestion was not added; a lint failure names its problems, shortened."""
    if isinstance(error, KnowledgeError):
        problems = [_short(p, knowledge_dir) for p in error.problems]
        return fit("**Not added:** the topic file would have these problems:", problems, code=True)
    return error.user_message
