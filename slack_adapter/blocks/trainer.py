"""Trainers' replies in Slack mrkdwn: reload results, stale topics, the knowledge status,
suggestions and the "what to train next" report. Knowledge and agents' words are escaped;
how many lines fit is the core's rule (coachbot.views.kb.fit) at Slack's section limit."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from coachbot import limits
from coachbot.errors import CoachError, KnowledgeError
from coachbot.insights.models import OTHER, AskGroup, Report
from coachbot.knowledge.freshness import StaleReport
from coachbot.knowledge.reload import KnowledgeStatus, ReloadResult
from coachbot.suggestions import SHOWN, Decision, Suggestion
from coachbot.views import kb as kb_views
from coachbot.views.kb import LINE_LIMIT, short_problem
from slack_adapter import ids
from slack_adapter.blocks.actions import Block, context, section
from slack_adapter.text import escape

SECTION = limits.SLACK.section
SHOWN_GROUPS = 5


def fit(head: str, lines: list[str], *, code: bool = False) -> str:
    return kb_views.fit(head, lines, limit=SECTION, code=code)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def when(moment: datetime, fallback_format: str = "%d %b %Y %H:%M UTC") -> str:
    """A time every reader sees in their own zone (Slack's date formatting)."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{moment:{fallback_format}}>"


def reload_text(result: ReloadResult, knowledge_dir: Path) -> str:
    if result.ok and result.changes is not None:
        head = (
            f"*Knowledge reloaded.* Version {result.version} is live: "
            f"{escape(result.changes.summary())}."
        )
        details = result.changes.details()
        return fit(head, [escape(limits.clip(d, LINE_LIMIT)) for d in details])
    head = (
        f"*Not reloaded:* the files have {_n(len(result.problems), 'problem')}. Version "
        f"{result.version} stays live, so agents see no change. Fix these and run "
        "`/coach kb reload` again (`coachbot kb lint` lists them too):"
    )
    problems = [escape(short_problem(p, knowledge_dir)) for p in result.problems]
    return fit(head, problems, code=True)


def stale_text(report: StaleReport) -> str:
    if not report.topics:
        text = f"No stale topics. {report.tracked} of {report.total} topics have a review schedule."
        if report.total > report.tracked:
            text += " Add `reviewed` and `review_every` to a topic to track it."
        return text
    head = (
        f"*{_n(len(report.topics), 'stale topic')}*, most used first "
        f"(asks answered in the last {report.usage_days} days):"
    )
    lines = []
    for stale in report.topics:
        topic = stale.topic
        owner = escape(topic.owner) if topic.owner else "no owner"
        title = escape(limits.clip(topic.title, 100))
        uses = _n(stale.uses, "ask")
        line = f"• *{title}* (`{topic.id}`): {owner} · {stale.reason(report.today)} · {uses}"
        lines.append(limits.clip(line, LINE_LIMIT))
    return fit(head, lines)


def status_text(status: KnowledgeStatus, *, watching: bool) -> str:
    auto = "on: saved edits go live after a second." if watching else "off: use `/coach kb reload`."
    lines = [
        f"*Knowledge version {status.version}*, loaded {when(status.loaded_at)}: "
        f"{status.topics} topics, {status.quiz_items} quiz items, {status.synonym_groups} "
        f"synonym groups, {status.out_of_scope} out-of-scope examples.",
        f"Automatic reload: {auto}",
    ]
    failure = status.last_failure
    if failure is not None:
        lines.append(
            f"The last reload, {when(failure.at)}, failed with "
            f"{_n(len(failure.problems), 'problem')}. `/coach kb reload` shows them."
        )
    return "\n".join(lines)


def suggestions_text(suggestions: list[Suggestion], *, head: str = "") -> str:
    """The first SHOWN open suggestions, numbered as their buttons are."""
    first = [head] if head else []
    if not suggestions:
        first.append(
            "No suggestions waiting. When agents pick a topic after a clarify or a decline, "
            "their questions (scrubbed) are proposed here."
        )
        return "\n".join(first)
    first.append(
        f"*{_n(len(suggestions), 'suggestion')}*, most picked first. Accept adds the question "
        "to the topic's `questions` (linted, then live); Reject hides it for good."
    )
    shown = [
        f"*{s.id}.* `{s.topic.id}`: “{escape(limits.clip(s.question, LINE_LIMIT))}” · "
        f"{s.how_picked()}"
        for s in suggestions[:SHOWN]
    ]
    text = fit("\n".join(first), shown)
    if len(suggestions) > SHOWN:
        text += f"\n… and {len(suggestions) - SHOWN} more: decide these to see the next."
    return text


def decision_text(decision: Decision) -> str:
    return kb_views.decision_text(decision, reload_command="/coach kb reload")


def refusal_text(error: CoachError, knowledge_dir: Path) -> str:
    """Why a suggestion was not added; a lint failure names its problems, shortened."""
    if isinstance(error, KnowledgeError):
        problems = [escape(short_problem(p, knowledge_dir)) for p in error.problems]
        return fit("*Not added:* the topic file would have these problems:", problems, code=True)
    return escape(error.user_message)


# ---- /coach report -----------------------------------------------------------------------------


def _plain(text: str) -> str:
    return escape(" ".join(text.split()))


def _group(group: AskGroup) -> str:
    topic = f" → {_plain(group.topic_title)}" if group.topic_title else ""
    return f"*{group.count}* × “{_plain(limits.clip(group.label, 120))}”{topic}"


def _channel(key: str) -> str:
    channel = key.partition("/")[2]
    return f"<#{ids.channel_id(channel)}>" if ids.is_slack(channel) else escape(channel)


def report_blocks(report: Report) -> list[Block]:
    """The report's figures as sections; the chart and the CSV are uploaded beside it."""
    train = [
        f"*{n}. {_plain(s.title)}* (score {s.score:.2f})\n{escape(s.evidence)}"
        for n, s in enumerate(report.train_next, 1)
    ]
    groups = [_group(g) for g in report.ask_groups[:SHOWN_GROUPS]]
    if len(report.ask_groups) > SHOWN_GROUPS:
        groups.append(f"… and {len(report.ask_groups) - SHOWN_GROUPS} more groups in the CSV")
    unsure = sum(g.low_confidence for g in report.ask_groups)
    votes = [
        f"{v.not_helpful} of {v.total} not helpful · {_plain(v.title)}"
        for v in report.votes
        if v.not_helpful
    ][:5]
    channels = [
        f"{r.accuracy:.0%} of {r.answered} · "
        + (escape(r.label) if r.key == OTHER else _channel(r.key))
        for r in report.quiz_channels.rows
    ]
    top = ", ".join(f"{_plain(title)} ({n})" for _, title, n in report.debriefs.by_topic[:4])
    parts = [
        ("Train next", train, "No topic shows a weakness."),
        (
            f"Asks not answered well ({report.asks_declined} declined, {unsure} unsure)",
            groups,
            "None.",
        ),
        ("Card votes", votes, "No unhelpful votes."),
        ("Quiz accuracy by channel", channels, "Not enough people answered."),
        (f"Debriefs ({report.debriefs.total})", [top] if top else [], "None."),
    ]
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": _title(report)}},
        context(
            "Every figure is this workspace's; none names a person. No quiz figure covers "
            f"fewer than {report.min_people} people."
        ),
    ]
    for heading, lines, none in parts:
        blocks.append(section(fit(f"*{escape(heading)}*", lines or [none])))
    blocks.append(context("Chart: every topic by weakness. CSV: every figure, one per row."))
    return blocks


def _title(report: Report) -> str:
    return limits.clip(f"What to train next · {report.period}", limits.SLACK.title)
