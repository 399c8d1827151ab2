"""Trainers' knowledge replies (reload, stale, status, suggestions) cut to fit a platform's
message: the words and rules both adapters share (how many whole lines fit, how a problem's path
is shortened); each holds a KbReplies in its own markup (bold, escaping, times, command)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coachbot.errors import CoachError, KnowledgeError
from coachbot.knowledge.freshness import StaleReport
from coachbot.knowledge.reload import KnowledgeStatus, ReloadResult
from coachbot.knowledge.yamlsource import display_path
from coachbot.limits import clip
from coachbot.suggestions import SHOWN, Decision, Suggestion

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


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class KbReplies:
    """The kb replies in one platform's markup: bold, its escaping of knowledge and agents'
    words (`escape`) and of the bot's own lines (`plain`), times, its reload command and message
    limit. The words and what is shown are the same on every platform (the methods)."""

    bold: Callable[[str], str]
    escape: Callable[[str], str]
    plain: Callable[[str], str]
    time: Callable[[datetime], str]  # when something happened, in full
    ago: Callable[[datetime], str]  # when something happened, relative where the platform can
    reload_command: str
    limit: int

    def reload_text(self, result: ReloadResult, knowledge_dir: Path) -> str:
        """A reload's outcome: what changed, or the problems that kept the live version."""
        if result.ok and result.changes is not None:
            head = (
                f"{self.bold('Knowledge reloaded.')} Version {result.version} is live: "
                f"{self.plain(result.changes.summary())}."
            )
            details = [self.plain(clip(line, LINE_LIMIT)) for line in result.changes.details()]
            return fit(head, details, limit=self.limit)
        head = (
            f"{self.bold('Not reloaded:')} the files have {_n(len(result.problems), 'problem')}. "
            f"Version {result.version} stays live, so agents see no change. Fix these and run "
            f"`{self.reload_command}` again (`coachbot kb lint` lists them too):"
        )
        problems = [self.plain(short_problem(p, knowledge_dir)) for p in result.problems]
        return fit(head, problems, limit=self.limit, code=True)

    def stale_text(self, report: StaleReport) -> str:
        """Stale topics, most used first, with their owners; or how many have a schedule."""
        if not report.topics:
            text = (
                f"No stale topics. {report.tracked} of {report.total} topics have a review "
                "schedule."
            )
            if report.total > report.tracked:
                text += " Add `reviewed` and `review_every` to a topic to track it."
            return text
        head = (
            f"{self.bold(_n(len(report.topics), 'stale topic'))}, most used first "
            f"(asks answered in the last {report.usage_days} days):"
        )
        lines = []
        for stale in report.topics:
            topic = stale.topic
            owner = self.escape(topic.owner) if topic.owner else "no owner"
            title = self.bold(self.escape(clip(topic.title, 100)))
            why = stale.reason(report.today)
            line = f"• {title} (`{topic.id}`): {owner} · {why} · {_n(stale.uses, 'ask')}"
            lines.append(clip(line, LINE_LIMIT))
        return fit(head, lines, limit=self.limit)

    def status_text(self, status: KnowledgeStatus, *, watching: bool) -> str:
        """The live knowledge version, whether edits reload by themselves, the last failure."""
        auto = (
            "on: saved edits go live after a second."
            if watching
            else f"off: use `{self.reload_command}`."
        )
        lines = [
            f"{self.bold(f'Knowledge version {status.version}')}, loaded "
            f"{self.time(status.loaded_at)}: {status.topics} topics, {status.quiz_items} quiz "
            f"items, {status.synonym_groups} synonym groups, {status.out_of_scope} out-of-scope "
            "examples.",
            f"Automatic reload: {auto}",
        ]
        failure = status.last_failure
        if failure is not None:
            lines.append(
                f"The last reload, {self.ago(failure.at)}, failed with "
                f"{_n(len(failure.problems), 'problem')}. `{self.reload_command}` shows them."
            )
        return "\n".join(lines)

    def suggestions_text(self, suggestions: list[Suggestion], *, head: str = "") -> str:
        """The first SHOWN open suggestions, numbered as their buttons are."""
        first = [head] if head else []
        if not suggestions:
            first.append(
                "No suggestions waiting. When agents pick a topic after a clarify or a decline, "
                "their questions (scrubbed) are proposed here."
            )
            return "\n".join(first)
        first.append(
            f"{self.bold(_n(len(suggestions), 'suggestion'))}, most picked first. Accept adds the "
            "question to the topic's `questions` (linted, then live); Reject hides it for good."
        )
        shown = [
            f"{self.bold(f'{s.id}.')} `{s.topic.id}`: "
            f"“{self.escape(clip(s.question, LINE_LIMIT))}” · {s.how_picked()}"
            for s in suggestions[:SHOWN]
        ]
        text = fit("\n".join(first), shown, limit=self.limit)
        if len(suggestions) > SHOWN:
            text += f"\n… and {len(suggestions) - SHOWN} more: decide these to see the next."
        return text

    def refusal_text(self, error: CoachError, knowledge_dir: Path) -> str:
        """Why a suggestion was not added; a lint failure names its problems, shortened."""
        if isinstance(error, KnowledgeError):
            problems = [self.plain(short_problem(p, knowledge_dir)) for p in error.problems]
            head = f"{self.bold('Not added:')} the topic file would have these problems:"
            return fit(head, problems, limit=self.limit, code=True)
        return self.plain(error.user_message)

    def decision_text(self, decision: Decision) -> str:
        return decision_text(decision, reload_command=self.reload_command)
