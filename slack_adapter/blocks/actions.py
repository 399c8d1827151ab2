"""Core `Action`s (buttons as data) drawn as Block Kit buttons and actions blocks."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from coachbot import limits
from coachbot.actions import Action, Style
from slack_adapter.text import escape

Block = dict[str, Any]
STYLES = {Style.PRIMARY: "primary", Style.SUCCESS: "primary", Style.DANGER: "danger"}
PER_BLOCK = 25  # Slack's limit of elements in one actions block


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object (Slack shows it as typed: no escaping, no mentions)."""
    return {"type": "plain_text", "text": limits.clip(text, limit) or "…", "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn object; `text` must already be escaped."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> Block:
    """A section of escaped mrkdwn, clipped to Slack's limit."""
    return {"type": "section", "text": mrkdwn(limits.clip(text, limits.SLACK.section))}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(limits.clip(text, limits.SLACK.section))]}


def button(action: Action) -> dict[str, Any]:
    label = f"{action.emoji} {action.label}" if action.emoji else action.label
    drawn: dict[str, Any] = {
        "type": "button",
        "text": plain(label, limits.SLACK.button_label),
        "action_id": action.id,
    }
    style = STYLES.get(action.style)
    if style:
        drawn["style"] = style
    return drawn


def actions_blocks(buttons: Iterable[Action]) -> list[Block]:
    """One actions block per row (Slack has no disabled buttons: those are left out)."""
    shown = sorted((a for a in buttons if not a.disabled), key=lambda a: a.row)
    blocks = []
    for _, row in groupby(shown, key=lambda a: a.row):
        elements = [button(a) for a in row][:PER_BLOCK]
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def escaped_lines(lines: Iterable[str]) -> str:
    return "\n".join(escape(line) for line in lines)
