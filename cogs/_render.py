"""Core results -> Discord embeds and texts that always fit Discord's limits."""

from __future__ import annotations

import discord

from coachbot.ask import AskKind, AskResult
from coachbot.browse import Tip, TopicPage
from coachbot.knowledge.models import Topic

# Discord's documented limits: https://discord.com/developers/docs/resources/message#embed-object
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 80

COLOUR = discord.Colour.from_rgb(46, 134, 193)
DECLINED_COLOUR = discord.Colour.from_rgb(149, 165, 166)

HELP_TEXT = (
    "Ask me how to handle a difficult customer, in your own words, for example "
    "*customer keeps screaming at me* or *caller wants a refund we can't give*.\n"
    "• `/ask` (only you see the answer), or mention me, or send me a DM\n"
    "• `/topics` to browse every card, `/tip` for the tip of the day"
)
EMPTY_TEXT = "Type a question, for example: *customer keeps interrupting me*."
TOO_LONG_TEXT = (
    "That is longer than I can read in one go. Ask in a sentence or two, "
    "for example: *customer threatens to cancel*."
)
DECLINED_TEXT = "I don't have a card for that yet. These are the closest topics I have:"
CLARIFY_TEXT = "Which is closest? Pick one to open its card."
DECLINED_NOTHING_TEXT = "I don't have a card for that yet. Try `/topics` to browse every card."
NOT_A_QUESTION_TEXT = (
    "That doesn't look like a question. Tell me what the customer is doing, in a few words, "
    "for example: *customer keeps yelling at me*."
)
COMMAND_TEXT = (
    "`{command}` is not a command I can run from a message. Use the slash commands: `/ask` "
    "with your question, `/topics` to browse every card, `/tip`, `/help`."
)


def clip(text: str, limit: int) -> str:
    """Trim to `limit` characters at a word boundary, marking the cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def _lines_within(lines: list[str], limit: int) -> str:
    """Join whole lines while they fit; a first line that is too long is clipped."""
    kept: list[str] = []
    used = 0
    for line in lines:
        extra = len(line) + (1 if kept else 0)
        if used + extra > limit:
            if not kept:
                kept.append(clip(line, limit))
            elif used + 2 <= limit:
                kept.append("…")
            break
        kept.append(line)
        used += extra
    return "\n".join(kept)


def card_embed(topic: Topic) -> discord.Embed:
    """The coaching card: summary, steps, what to say, what to avoid, sources."""
    embed = discord.Embed(
        title=clip(topic.title, TITLE_LIMIT),
        description=clip(topic.summary, DESCRIPTION_LIMIT // 2),
        colour=COLOUR,
    )
    sections = [
        ("Steps", [f"{n}. {step}" for n, step in enumerate(topic.steps, 1)]),
        ("Say", [f"✅ “{phrase}”" for phrase in topic.say]),
        ("Avoid", [f"❌ “{a.phrase}”: {a.why}" for a in topic.avoid]),
    ]
    budget = EMBED_TOTAL_LIMIT - len(embed.title or "") - len(embed.description or "") - 300
    for name, lines in sections:
        value = _lines_within(lines, min(FIELD_VALUE_LIMIT, max(budget // 2, 40)))
        budget -= len(value) + len(name)
        embed.add_field(name=name, value=value or "—", inline=False)
    if topic.tip:
        embed.add_field(name="Tip", value=clip(topic.tip, min(FIELD_VALUE_LIMIT, 300)))
    footer = f"Card: {topic.id}"
    if topic.sources:
        footer += " · Sources: " + ", ".join(topic.sources)
    embed.set_footer(text=clip(footer, 400))
    return embed


def declined_text(result: AskResult) -> str:
    return DECLINED_TEXT if result.alternatives else DECLINED_NOTHING_TEXT


def reply_text(result: AskResult) -> str | None:
    """The plain text for results that are not cards."""
    match result.kind:
        case AskKind.HELP:
            return HELP_TEXT
        case AskKind.EMPTY:
            return EMPTY_TEXT
        case AskKind.TOO_LONG:
            return TOO_LONG_TEXT
        case AskKind.DECLINED:
            return declined_text(result)
        case AskKind.CLARIFY:
            return CLARIFY_TEXT
        case AskKind.NOT_A_QUESTION:
            return NOT_A_QUESTION_TEXT
        case AskKind.COMMAND:
            return COMMAND_TEXT.format(command=clip(result.question, 40).replace("`", "'"))
    return None


def topics_embed(page: TopicPage) -> discord.Embed:
    heading = f"Topics tagged “{page.tag}”" if page.tag else "Every coaching card"
    lines = [f"**{clip(t.title, 120)}**\n{clip(t.summary, 160)}" for t in page.topics]
    embed = discord.Embed(
        title=clip(heading, TITLE_LIMIT),
        description=_lines_within(lines, 3500) or "No topics have that tag.",
        colour=COLOUR,
    )
    embed.set_footer(text=f"Page {page.page + 1} of {page.pages} · pick one below to open it")
    return embed


def tip_embed(tip: Tip, heading: str) -> discord.Embed:
    embed = discord.Embed(title=heading, description=clip(tip.text, 1000), colour=COLOUR)
    embed.set_footer(text=clip(f"From the card: {tip.topic.title}", 300))
    return embed


def button_label(text: str) -> str:
    return clip(text, BUTTON_LABEL_LIMIT)
