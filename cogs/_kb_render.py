"""Reload results, stale topics, the knowledge status and suggestions as Discord messages
within limits."""

from __future__ import annotations

from pathlib import Path

import discord

from coachbot.errors import CoachError, KnowledgeError
from coachbot.knowledge.freshness import StaleReport
from coachbot.knowledge.reload import KnowledgeStatus, ReloadResult
from coachbot.suggestions import SHOWN, Decision, Suggestion
from coachbot.views import kb as kb_views
from coachbot.views.kb import LINE_LIMIT, short_problem
from cogs._render import CONTENT_LIMIT, clip


def fit(head: str, lines: list[str], *, limit: int = CONTENT_LIMIT, code: bool = False) -> str:
    """The core's rule (coachbot.views.kb.fit) at Discord's message limit."""
    return kb_views.fit(head, lines, limit=limit, code=code)


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
    return fit(head, [short_problem(p, knowledge_dir) for p in result.problems], code=True)


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
    return kb_views.decision_text(decision, reload_command="/kb reload")


def refusal_text(error: CoachError, knowledge_dir: Path) -> str:
    """Why a suggestion was not added; a lint failure names its problems, shortened."""
    if isinstance(error, KnowledgeError):
        problems = [short_problem(p, knowledge_dir) for p in error.problems]
        return fit("**Not added:** the topic file would have these problems:", problems, code=True)
    return error.user_message
