"""Answers, topic pages and tips as Block Kit: the core decides (coachbot.views.card and
.topics), this only draws, escaping every text and clipping at Slack's own limits."""

from __future__ import annotations

from typing import Any

from coachbot import actions, limits
from coachbot.browse import Tip, TopicPage
from coachbot.views.card import AskView, CardView, ChoicesView
from coachbot.views.topics import page_actions, tip_action
from slack_adapter.blocks.actions import Block, actions_blocks, context, plain, section
from slack_adapter.text import escape

Message = dict[str, Any]  # keyword arguments of a message: text (the fallback) and blocks


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, limits.SLACK.title)}


def card_blocks(card: CardView) -> list[Block]:
    """Title, short answer, Steps, Say, Avoid, tip, footer, then the buttons."""
    blocks = [header(card.title), section(escape(card.summary))]
    for part in card.sections:
        body = "\n".join(escape(line) for line in part.lines) or "—"
        blocks.append(section(f"*{part.name}*\n{body}"))
    if card.tip:
        blocks.append(section(f"*Tip*\n{escape(card.tip)}"))
    blocks.append(context(escape(card.footer)))
    return blocks + actions_blocks(card.actions)


def message(view: AskView) -> Message:
    """Any answer as a message: a card, choices under their line, or one escaped line."""
    if isinstance(view, CardView):
        return {"text": view.title, "blocks": card_blocks(view)}
    if isinstance(view, ChoicesView):
        text = escape(view.text)
        return {"text": text, "blocks": [section(text), *actions_blocks(view.actions)]}
    return {"text": escape(view.text)}


def topics_message(page: TopicPage) -> Message:
    """One page of cards, each with an Open button, and Previous / Next when there are more."""
    heading = f"Topics tagged “{escape(page.tag)}”" if page.tag else "Every coaching card"
    blocks: list[Block] = [header(heading)]
    if not page.topics:
        blocks.append(section("No topics have that tag. Try `/coach topics` for every card."))
    for topic in page.topics:
        title, summary = limits.clip(topic.title, 120), limits.clip(topic.summary, 160)
        opener = {
            "type": "button",
            "text": plain("Open", limits.SLACK.button_label),
            "action_id": actions.open_topic(topic.id),
        }
        blocks.append({**section(f"*{escape(title)}*\n{escape(summary)}"), "accessory": opener})
    blocks.append(context(f"Page {page.page + 1} of {page.pages}"))
    return {
        "text": f"{heading}, page {page.page + 1}",
        "blocks": blocks + actions_blocks(page_actions(page)),
    }


def tip_message(tip: Tip, heading: str) -> Message:
    return {
        "text": f"{heading}: {escape(tip.text)}",
        "blocks": [
            section(f"*{escape(heading)}*\n{escape(limits.clip(tip.text, 1000))}"),
            context(escape(f"From the card: {tip.topic.title}")),
            *actions_blocks([tip_action(tip)]),
        ],
    }
