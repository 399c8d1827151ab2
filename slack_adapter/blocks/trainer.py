"""Trainers' replies in Slack mrkdwn: reload results, stale topics, the knowledge status,
suggestions and the "what to train next" report. The kb replies' words are the core's
(coachbot.views.kb.KbReplies) in Slack's markup at Slack's section limit, everything escaped."""

from __future__ import annotations

from datetime import datetime

from coachbot import limits
from coachbot.insights.models import OTHER, AskGroup, Report
from coachbot.views import kb as kb_views
from slack_adapter import ids
from slack_adapter.blocks.actions import Block, context, section
from slack_adapter.text import escape

SECTION = limits.SLACK.section
SHOWN_GROUPS = 5


def fit(head: str, lines: list[str], *, code: bool = False) -> str:
    return kb_views.fit(head, lines, limit=SECTION, code=code)


def when(moment: datetime, fallback_format: str = "%d %b %Y %H:%M UTC") -> str:
    """A time every reader sees in their own zone (Slack's date formatting)."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{moment:{fallback_format}}>"


KB = kb_views.KbReplies(
    bold=lambda text: f"*{text}*",
    escape=escape,
    plain=escape,  # the bot's own lines may quote knowledge files: &, < and > too
    time=when,
    ago=when,
    reload_command="/coach kb reload",
    limit=SECTION,
)


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
