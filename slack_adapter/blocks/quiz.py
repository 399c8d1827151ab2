"""Quiz posts, their closed form, feedback, practice, rankings and stats as Block Kit.

Everything shown comes from the core view models (coachbot.views.quiz); this only lays them
out with the shared primitives (slack_adapter.blocks.actions). Every text from the knowledge
base or Slack goes through `escape`, and agents are shown by name, never as `<@U…>` (that would
notify them). Each function returns a message's keyword arguments: `text` (the notification
fallback) and `blocks`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from coachbot import limits
from coachbot.views import quiz as views
from slack_adapter import ids
from slack_adapter.blocks.actions import Block, actions_blocks, context, mrkdwn, section
from slack_adapter.text import escape

Message = dict[str, Any]
FIELD = 2_000  # characters of one section field
PROMPT_WHEN_CLOSED = 1_200  # the prompt above the answer in a closed post


def _when(instant: datetime) -> str:
    """A time every reader sees in their own zone (Slack's date token), UTC as the fallback."""
    stamp = int(instant.timestamp())
    fallback = f"{instant:%a %d %b %H:%M} UTC"
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>"


def _fallback(title: str, text: str = "") -> str:
    """The plain notification text (Slack shows it where blocks cannot be drawn)."""
    return limits.clip(f"{title}: {text}" if text else title, limits.SLACK.section)


def quiz_post(post: views.QuizPost) -> Message:
    """The post in the team's channel: each question with its row of answer buttons."""
    blocks: list[Block] = []
    for question in post.questions:
        blocks.append(section(f"*{escape(question.title)}*\n{escape(question.prompt)}"))
        blocks.extend(actions_blocks(question.answers))
    blocks.append(context(f"{escape(post.closes_label)}: {_when(post.closes_at)}"))
    blocks.append(context(escape(post.footer)))
    first = post.questions[0]
    return {"text": _fallback(first.title, first.prompt), "blocks": blocks}


def closed_post(closed: views.ClosedQuizPost) -> Message:
    """The post once answers closed: the right answers and the tally, no names, no buttons."""
    blocks: list[Block] = []
    for question in closed.questions:
        if question.prompt is None:
            text = views.RETIRED_TEXT
        else:
            prompt = limits.clip(question.prompt, PROMPT_WHEN_CLOSED)
            text = (
                f"{escape(prompt)}\n\n*Answer:* {escape(question.answer)}\n"
                f"{escape(question.explain)}"
            )
        blocks.append(section(f"*{escape(question.title)}*\n{text}"))
        blocks.append(context(escape(question.tally)))
    title = closed.questions[0].title if closed.questions else "Quiz closed"
    return {"text": _fallback(title), "blocks": blocks}


def feedback(shown: views.Feedback | str) -> Message:
    """The private reply to a click: a refusal line, or right/wrong with the answer and why."""
    if isinstance(shown, str):
        return {"text": escape(shown)}
    text = f"*{escape(shown.title)}*\n*Answer:* {escape(shown.answer)}\n{escape(shown.explain)}"
    blocks = [section(text)]
    if shown.topic_title is not None and shown.open_card is not None:
        blocks.append(context(f"Read more: {escape(shown.topic_title)}"))
        blocks.extend(actions_blocks([shown.open_card]))
    return {"text": _fallback(shown.title, shown.answer), "blocks": blocks}


def practice(shown: views.Practice) -> Message:
    return {
        "text": _fallback(shown.title, shown.prompt),
        "blocks": [
            section(f"*{escape(shown.title)}*\n{escape(shown.prompt)}"),
            *actions_blocks(shown.answers),
            context(escape(shown.footer)),
        ],
    }


def ranking(shown: views.Ranking, name: Callable[[str], str]) -> Message:
    """A leaderboard (agents by `name`, plain text) or teams (channels as `<#C…>`, which
    Slack shows as the channel's name and which notifies nobody)."""
    lines = []
    for line in shown.lines:
        if shown.kind == "channel":
            who = f"<#{ids.channel_id(line.who)}>"
        else:
            who = escape(name(line.who))
        lines.append(f"*{line.rank}.* {who}: {escape(line.score)} ({escape(line.detail)})")
    body = "\n".join(lines) or escape(shown.empty)
    return {"text": _fallback(shown.title), "blocks": [section(f"*{escape(shown.title)}*\n{body}")]}


def stats(shown: views.StatsView) -> Message:
    fields = [
        mrkdwn(limits.clip(f"*{escape(name)}*\n{escape(value)}", FIELD))
        for name, value in shown.fields
    ]
    practise = "\n".join(
        f"{escape(limits.clip(title, 90))} ({escape(score)})" for title, score in shown.practise
    )
    heading = {**section(f"*{escape(shown.title)}*"), "fields": fields}
    return {
        "text": _fallback(shown.title),
        "blocks": [
            heading,
            section(
                f"*{escape(shown.practise_label)}*\n{practise or escape(shown.practise_empty)}"
            ),
            context(escape(shown.footer)),
        ],
    }
