"""Asking: /ask with autocomplete, /topics, /tip, /help, and questions by mention or DM."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from coachbot.ask import AskResult
from coachbot.browse import complete_titles, random_tip, tip_of_the_day, topic_page
from coachbot.replies import slow_down
from coachbot.views import card as cards
from coachbot.views.topics import tip_action
from cogs._actions import ActionView
from cogs._errors import message_for
from cogs._render import card_embed, clip, tip_embed, topics_embed
from cogs._views import (
    DYNAMIC_ITEMS,
    NONE,
    card_buttons,
    choices_buttons,
    in_guild,
    topics_view,
)

if TYPE_CHECKING:
    from cogs._bot import CoachBot

log = logging.getLogger(__name__)


def _team(guild_id: int | None) -> str | None:
    """The server an ask came from: its team's report counts it. A DM belongs to no team."""
    return str(guild_id) if guild_id else None


async def ask_cooldown(interaction: discord.Interaction) -> bool:
    """The core's ask allowance (coachbot.ratelimit.ASK) on the app's clock; refused as a
    cooldown, which the error boundary answers with the slow-down line."""
    limits = interaction.client.app.ask_limits  # type: ignore[attr-defined]
    wait = await limits.hit(f"discord:ask:{interaction.user.id}")
    if wait:
        cooldown = app_commands.Cooldown(limits.allowance.rate, limits.allowance.per)
        raise app_commands.CommandOnCooldown(cooldown, wait)
    return True


class AskCog(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @property
    def kb(self):
        return self.bot.app.knowledge.kb

    @app_commands.command(name="ask", description="Ask how to handle a difficult customer")
    @app_commands.describe(question="What is happening? In your own words.")
    @app_commands.check(ask_cooldown)
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        result = await self.bot.app.asks.ask(question, guild_id=_team(interaction.guild_id))
        private = in_guild(interaction)
        embed, view, text = self._render(result, shareable=private, token=await self._token(result))
        await interaction.response.send_message(
            content=text, embed=embed, view=view, ephemeral=private, allowed_mentions=NONE
        )

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        topics = complete_titles(self.bot.app.knowledge, current)
        return [app_commands.Choice(name=clip(t.title, 100), value=t.title[:100]) for t in topics]

    @app_commands.command(name="topics", description="Browse every coaching card")
    @app_commands.describe(tag="Only cards with this tag")
    async def topics(self, interaction: discord.Interaction, tag: str | None = None) -> None:
        tag = tag.strip().lower() if tag else None
        page = topic_page(self.kb, tag, 0)
        view = topics_view(page)
        await interaction.response.send_message(
            embed=topics_embed(page), view=view, ephemeral=in_guild(interaction)
        )

    @topics.autocomplete("tag")
    async def tag_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        tags = [t for t in self.kb.tags if typed in t][:25]
        return [app_commands.Choice(name=t[:100], value=t[:100]) for t in tags]

    @app_commands.command(name="tip", description="The tip of the day, or a random tip")
    @app_commands.describe(random="Show a random tip instead of today's")
    async def tip(self, interaction: discord.Interaction, random: bool = False) -> None:
        app = self.bot.app
        if random:
            tip, heading = random_tip(self.kb, app.rng), "A tip"
        else:
            tip, heading = tip_of_the_day(self.kb, app.clock().date()), "Tip of the day"
        if tip is None:
            await interaction.response.send_message(cards.NO_TIPS, ephemeral=True)
            return
        view = ActionView([tip_action(tip)])
        await interaction.response.send_message(
            embed=tip_embed(tip, heading), view=view, ephemeral=in_guild(interaction)
        )

    @app_commands.command(name="help", description="What CoachBot can do")
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(cards.help_text(), ephemeral=True)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A DM, or a message that mentions the bot, is a question."""
        me = self.bot.user
        if message.author.bot or me is None:
            return
        is_dm = message.guild is None
        if not is_dm and me not in message.mentions:
            return
        question = message.content  # the ask service strips mentions and other markup
        retry_after = await self.bot.app.ask_limits.hit(f"discord:message:{message.author.id}")
        try:
            if retry_after:
                await message.reply(slow_down(retry_after), allowed_mentions=NONE)
                return
            guild_id = _team(message.guild.id if message.guild else None)
            result = await self.bot.app.asks.ask(question, guild_id=guild_id)
            token = await self._token(result)
            embed, view, text = self._render(result, shareable=False, token=token)
            await message.reply(
                content=text or None,
                embed=embed,
                view=view,
                allowed_mentions=NONE,
                mention_author=False,
            )
        except discord.HTTPException as exc:
            log.warning("could not answer a message: %s %s", exc.status, exc.code)
        except Exception as exc:  # the error boundary for questions in messages
            await message.reply(message_for(exc), allowed_mentions=NONE)

    async def _token(self, result: AskResult) -> str:
        """The token the reply's buttons carry (see coachbot.views.card.needs_token), under
        which the suggestions keep the scrubbed question until a pick (empty: none recorded)."""
        if not cards.needs_token(result):
            return ""
        return await self.bot.app.suggestions.remember(result.question) or ""

    def _render(
        self, result: AskResult, *, shareable: bool, token: str = ""
    ) -> tuple[discord.Embed | None, discord.ui.View | discord.utils.MISSING, str | None]:
        """The core's view of the answer, drawn: an embed and buttons, or a line (with choices)."""
        view = cards.ask_view(result, shareable=shareable, token=token)
        if isinstance(view, cards.CardView):
            return card_embed(view), card_buttons(view), None
        if isinstance(view, cards.ChoicesView):
            return None, choices_buttons(view), view.text
        return None, discord.utils.MISSING, view.text


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(AskCog(bot))
