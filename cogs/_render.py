"""Core view models -> Discord embeds that always fit Discord's limits.

What a card says, in which order and how it is clipped is the core's (coachbot.views.card);
this module only draws it, and clips again at Discord's own limits as a last guard.
"""

from __future__ import annotations

import discord

from coachbot.browse import Tip, TopicPage
from coachbot.limits import clip
from coachbot.views.card import CardView, lines_within

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

__all__ = ["clip"]  # re-exported: the Discord renderers clip with the core's rule


def card_embed(card: CardView) -> discord.Embed:
    """The coaching card: summary, Steps, Say, Avoid, tip, footer (laid out by the core)."""
    embed = discord.Embed(
        title=clip(card.title, TITLE_LIMIT),
        description=clip(card.summary, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    for section in card.sections:
        value = clip(section.text, FIELD_VALUE_LIMIT) or "—"
        embed.add_field(name=section.name, value=value, inline=False)
    if card.tip:
        embed.add_field(name="Tip", value=clip(card.tip, FIELD_VALUE_LIMIT))
    embed.set_footer(text=clip(card.footer, FOOTER_LIMIT))
    return embed


def topics_embed(page: TopicPage) -> discord.Embed:
    heading = f"Topics tagged “{page.tag}”" if page.tag else "Every coaching card"
    lines = [f"**{clip(t.title, 120)}**\n{clip(t.summary, 160)}" for t in page.topics]
    embed = discord.Embed(
        title=clip(heading, TITLE_LIMIT),
        description="\n".join(lines_within(lines, 3500)) or "No topics have that tag.",
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
