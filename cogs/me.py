"""`/me data` shows an agent what CoachBot stores about them; `/me forget` deletes it after a
confirmation that only they can give. Both replies are private."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.ui import Button, DynamicItem

from coachbot import actions
from coachbot.insights.personal import MyData, PersonalData
from coachbot.views.me import (
    CANCELLED,
    confirm_text,
    forget_actions,
    forgotten_text,
    my_data_view,
    not_yours,
    nothing_to_forget,
)
from cogs._actions import ActionView
from cogs._errors import guarded
from cogs._render import COLOUR, clip

if TYPE_CHECKING:
    from cogs._bot import CoachBot

NOT_YOURS = not_yours("/me forget")


def _personal(interaction: discord.Interaction) -> PersonalData:
    return interaction.client.app.personal  # type: ignore[attr-defined]


def data_embed(mine: MyData, today: date) -> discord.Embed:
    shown = my_data_view(mine, today, forget_command="/me forget")
    embed = discord.Embed(title=shown.title, colour=COLOUR, description=shown.empty)
    for heading, text in shown.sections:
        inline = heading.startswith("Streak in")
        embed.add_field(name=heading, value=clip(text, 1000), inline=inline)
    embed.set_footer(text=shown.footer)
    return embed


class ForgetButton(DynamicItem[Button], template=actions.FORGET):
    """Drawn from `coachbot.views.me.forget_actions`; this class answers the clicks, and only
    the person the buttons were drawn for may press them."""

    def __init__(self, action: str, user_id: str) -> None:
        super().__init__(Button(custom_id=actions.forget(action, user_id)))
        self.action, self.user_id = action, user_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ForgetButton:
        return cls(match["action"], match["user"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._act)

    async def _act(self, interaction: discord.Interaction) -> None:
        if str(interaction.user.id) != self.user_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content=CANCELLED, embed=None, view=None)
            return
        gone = await _personal(interaction).forget(self.user_id)
        await interaction.response.edit_message(content=forgotten_text(gone), embed=None, view=None)


class MeCog(commands.GroupCog, group_name="me", group_description="Your data: see it or delete it"):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="data", description="See what CoachBot stores about you")
    async def data(self, interaction: discord.Interaction) -> None:
        guild = str(interaction.guild_id) if interaction.guild_id else None
        mine = await _personal(interaction).show(str(interaction.user.id), guild)
        today = self.bot.app.clock().date()
        await interaction.response.send_message(embed=data_embed(mine, today), ephemeral=True)

    @app_commands.command(name="forget", description="Delete your quiz answers and practice data")
    async def forget(self, interaction: discord.Interaction) -> None:
        mine = await _personal(interaction).show(str(interaction.user.id))
        if mine.empty:
            await interaction.response.send_message(nothing_to_forget(), ephemeral=True)
            return
        view = ActionView(forget_actions(str(interaction.user.id)))
        await interaction.response.send_message(confirm_text(mine), view=view, ephemeral=True)


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(ForgetButton)
    await bot.add_cog(MeCog(bot))
