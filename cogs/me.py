"""`/me data` shows an agent what CoachBot stores about them; `/me forget` deletes it after a
confirmation that only they can give. Both replies are private."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, ClassVar

import discord
from discord import app_commands
from discord.ext import commands
from discord.ui import Button, DynamicItem

from coachbot.errors import CoachError
from coachbot.insights.personal import NOT_LINKED, Forgotten, MyData, PersonalData, due_text
from cogs._errors import guarded
from cogs._render import COLOUR, clip

if TYPE_CHECKING:
    from cogs._bot import CoachBot

NOT_YOURS = "Only the person who asked can confirm this. Use `/me forget` for your own data."
CANCELLED = "Cancelled. Nothing was deleted."
SHOWN = 10


def _personal(interaction: discord.Interaction) -> PersonalData:
    personal = interaction.client.app.personal  # type: ignore[attr-defined]
    if personal is None:
        raise CoachError("Your data lives in the database, which is not open.")
    return personal


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def data_embed(mine: MyData, today: date) -> discord.Embed:
    embed = discord.Embed(title="What CoachBot stores about you", colour=COLOUR)
    if mine.empty:
        embed.description = "No quiz answers, practice cards or pauses: nothing is linked to you."
    answers = [f"{mine.title(a.topic_id)}: {a.correct} of {a.answered} right" for a in mine.answers]
    if answers:
        embed.add_field(
            name=f"Quiz answers ({mine.answered}, {mine.correct} right)",
            value=clip("\n".join(answers[:SHOWN]) + _more(len(answers)), 1000),
            inline=False,
        )
    if mine.streak is not None:
        embed.add_field(name="Streak in this server", value=_plural(mine.streak, "day"))
    cards = [
        f"{mine.title(c.topic_id)} · box {c.box} · {due_text(c.due_day, today)}" for c in mine.cards
    ]
    if cards:
        embed.add_field(
            name=f"Practice cards ({len(cards)})",
            value=clip("\n".join(cards[:SHOWN]) + _more(len(cards)), 1000),
            inline=False,
        )
    if mine.pauses:
        pauses = [f"{p.first_day} to {p.last_day}" for p in mine.pauses]
        embed.add_field(
            name="Streak pauses", value=clip("\n".join(pauses[:SHOWN]), 1000), inline=False
        )
    embed.add_field(name="Not linked to you", value=NOT_LINKED, inline=False)
    embed.set_footer(text="/me forget deletes all of the above.")
    return embed


def _more(count: int) -> str:
    return f"\n… and {count - SHOWN} more" if count > SHOWN else ""


def forgotten_text(gone: Forgotten) -> str:
    if not gone.total:
        return "Nothing left to delete: CoachBot holds no quiz data of yours."
    return (
        f"Deleted {_plural(gone.answers, 'quiz answer')}, {_plural(gone.cards, 'practice card')} "
        f"and {_plural(gone.pauses, 'streak pause')}. Leaderboards and streaks no longer count "
        "them. Answering a new quiz starts a fresh record."
    )


class ForgetButton(
    DynamicItem[Button], template=r"cb:me-forget:(?P<action>yes|no):(?P<user>[0-9]{1,20})"
):
    LABELS: ClassVar[dict[str, str]] = {"yes": "Delete my data", "no": "Cancel"}

    def __init__(self, action: str, user_id: int) -> None:
        style = discord.ButtonStyle.danger if action == "yes" else discord.ButtonStyle.secondary
        super().__init__(
            Button(
                label=self.LABELS[action], style=style, custom_id=f"cb:me-forget:{action}:{user_id}"
            )
        )
        self.action, self.user_id = action, user_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ForgetButton:
        return cls(match["action"], int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._act)

    async def _act(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content=CANCELLED, embed=None, view=None)
            return
        gone = await _personal(interaction).forget(str(self.user_id))
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
            await interaction.response.send_message(
                "CoachBot holds no quiz data of yours, so there is nothing to delete.\n"
                + NOT_LINKED,
                ephemeral=True,
            )
            return
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton("yes", interaction.user.id))
        view.add_item(ForgetButton("no", interaction.user.id))
        await interaction.response.send_message(
            f"This deletes, for good, your {_plural(mine.answered, 'quiz answer')}, "
            f"{_plural(len(mine.cards), 'practice card')} and "
            f"{_plural(len(mine.pauses), 'streak pause')} in every server: your points, "
            "streaks and places on leaderboards go with them.\n"
            "Asks, votes and debriefs are not linked to you, so they stay. Delete?",
            view=view,
            ephemeral=True,
        )


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(ForgetButton)
    await bot.add_cog(MeCog(bot))
