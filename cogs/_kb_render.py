"""Reload results, stale topics, the knowledge status and suggestions as Discord messages
within limits: the core's words (coachbot.views.kb.KbReplies) in Discord's markup."""

from __future__ import annotations

import discord

from coachbot.views import kb as kb_views
from cogs._render import CONTENT_LIMIT

KB = kb_views.KbReplies(
    bold=lambda text: f"**{text}**",
    escape=discord.utils.escape_markdown,
    plain=lambda text: text,  # the bot's own lines, shown as they are
    time=lambda moment: discord.utils.format_dt(moment, "f"),
    ago=lambda moment: discord.utils.format_dt(moment, "R"),
    reload_command="/kb reload",
    limit=CONTENT_LIMIT,
)
