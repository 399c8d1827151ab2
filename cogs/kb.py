"""Trainers' knowledge tools: /kb reload, /kb stale, /kb status, /kb suggestions, and
automatic reload.

While the bot runs, a watcher reloads the knowledge base once saved edits settle. A failed
automatic reload keeps the live version and is logged as a WARNING with every problem
(knowledge errors are not secrets); the trainer sees them in Discord with /kb reload.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from coachbot.errors import CoachError
from coachbot.knowledge.watch import KnowledgeWatcher, reload_logged, shared_watcher
from cogs._checks import trainers_only
from cogs._kb_render import KB
from cogs._suggestion_views import SUGGESTION_ITEMS, suggestions_view

if TYPE_CHECKING:
    from cogs._bot import CoachBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
class KnowledgeCog(
    commands.GroupCog, group_name="kb", group_description="Knowledge base tools for trainers"
):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.watcher: KnowledgeWatcher | None = None
        super().__init__()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Start watching once (READY comes again after a reconnect)."""
        if self.bot.settings.watch_knowledge and self.watcher is None:
            app = self.bot.app  # one watcher per App: Slack in this process shares it
            on_change = reload_logged(app.reloader.reload, log)
            self.watcher = shared_watcher(app, app.settings.knowledge_dir, on_change)

    async def cog_unload(self) -> None:  # also on bot.close()
        if self.watcher is not None:
            await self.watcher.stop()

    @app_commands.command(name="reload", description="Reload the knowledge files now (trainers)")
    @trainers_only
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.app.reloader.reload()
        text = KB.reload_text(result, self.bot.app.settings.knowledge_dir)
        await interaction.followup.send(text, ephemeral=True)

    @app_commands.command(name="stale", description="Topics overdue for a review (trainers)")
    @trainers_only
    async def stale(self, interaction: discord.Interaction) -> None:
        report = await self.bot.app.freshness.stale()
        await interaction.response.send_message(KB.stale_text(report), ephemeral=True)

    @app_commands.command(name="status", description="Which knowledge version is live (trainers)")
    @trainers_only
    async def status(self, interaction: discord.Interaction) -> None:
        watching = self.watcher is not None and self.watcher.running
        text = KB.status_text(self.bot.app.reloader.status(), watching=watching)
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(
        name="suggestions",
        description="Example questions proposed by what agents picked (trainers)",
    )
    @app_commands.describe(topic="Only this topic's suggestions (its id, as in /topics)")
    @trainers_only
    async def suggestions(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        service = self.bot.app.suggestions
        topic = (topic or "").strip().casefold() or None
        if topic is not None and self.bot.app.knowledge.kb.topic(topic) is None:
            shown = topic[:60].replace("`", "'")
            raise CoachError(f"There is no topic `{shown}`. `/topics` lists them.")
        found = await service.open(topic)
        await interaction.response.send_message(
            KB.suggestions_text(found), view=suggestions_view(found, topic), ephemeral=True
        )


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(KnowledgeCog(bot))
    bot.add_dynamic_items(*SUGGESTION_ITEMS)
