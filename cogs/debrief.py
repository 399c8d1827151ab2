"""Debriefs: /debrief opens a form; the agent previews the scrubbed text, then submits it
anonymously. Trainers pick the digest channel and time, review if they want, and read a report.

Raw text lives only in `DebriefCog.drafts` (memory, bounded, see coachbot.debrief.drafts) for
the preview; it is never logged. The form, the buttons and the embeds are in `_debrief_views.py`.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from coachbot.debrief.drafts import DraftStore, PendingDraft
from coachbot.debrief.preview import preview
from coachbot.debrief.service import FIELDS, DebriefService
from coachbot.debrief.teammates import Teammates
from coachbot.errors import CoachError
from coachbot.scheduler import Scheduler
from coachbot.views.debrief import NOTHING_TO_REVIEW, channel_text, deleted_text, review_actions
from coachbot.views.debrief_report import report_view
from cogs._actions import ActionView
from cogs._checks import trainers_only
from cogs._debrief_views import (
    DEBRIEF_ITEMS,
    DebriefModal,
    debrief_embed,
    report_embed,
    shown_embed,
)
from cogs._poster import DiscordPoster
from cogs._views import NONE

if TYPE_CHECKING:
    from cogs._bot import CoachBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
class DebriefCog(
    commands.GroupCog, group_name="debrief", group_description="Anonymous tough-call debriefs"
):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.drafts = DraftStore(bot.app.clock)
        self.teammates = Teammates()  # names seen in this process (memory only)
        self.scheduler = Scheduler(DiscordPoster(bot), bot.app.quiz, bot.app.debriefs)
        super().__init__()

    @property
    def service(self) -> DebriefService:
        return self.bot.app.debriefs

    # ---- drafts (memory only) --------------------------------------------------------------

    def take(self, token: str, author_id: int, *, keep: bool) -> PendingDraft | None:
        return self.drafts.take(token, str(author_id), keep=keep)

    async def preview(
        self, interaction: discord.Interaction, token: str, raw: dict[str, str], topic: str
    ) -> None:
        shown = await preview(
            self.service,
            self.drafts,
            token=token,
            author=str(interaction.user.id),
            guild_id=str(interaction.guild_id),
            raw=raw,
            topic=topic,
            known_names=self.known_names(interaction),
        )
        view = ActionView(shown.actions)
        if shown.debrief is None:
            await interaction.response.send_message(shown.text, view=view, ephemeral=True)
            return
        embed = shown_embed(shown.debrief)
        embed.set_footer(text=shown.footer)
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=NONE
        )

    # ---- names the scrubber removes ------------------------------------------------------

    def known_names(self, interaction: discord.Interaction) -> list[str]:
        """The server's cached members (all of them only with COACHBOT_MEMBERS_INTENT=1) and
        everyone this process saw act or be mentioned in the server, the author included."""
        self._saw(interaction.guild_id, interaction.user)
        guild = interaction.guild
        cached = [name for member in (guild.members if guild else []) for name in _names(member)]
        return cached + self.teammates.names(str(interaction.guild_id))

    def _saw(self, guild_id: int | None, person: discord.abc.User) -> None:
        if guild_id is not None:
            self.teammates.saw(str(guild_id), str(person.id), _names(person))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self._saw(interaction.guild_id, interaction.user)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None:
            for person in (message.author, *message.mentions):
                self._saw(message.guild.id, person)

    # ---- commands ---------------------------------------------------------------------------

    @app_commands.command(name="write", description="Write an anonymous debrief of a tough call")
    async def write(self, interaction: discord.Interaction) -> None:
        token = secrets.token_urlsafe(9)
        await interaction.response.send_modal(DebriefModal(self, token, {}, ""))

    @app_commands.command(name="delete", description="Delete your debrief with its deletion code")
    @app_commands.describe(code="The code you were given, like ABCD-EFGH-JKMN")
    async def delete(self, interaction: discord.Interaction, code: str) -> None:
        deleted = await self.service.delete(code)
        await interaction.response.send_message(deleted_text(deleted), ephemeral=True)

    @app_commands.command(name="channel", description="Share this team's debriefs in this channel")
    @app_commands.describe(
        time="Local time of the daily digest, HH:MM",
        timezone="IANA time zone, e.g. Europe/Berlin",
        review="Approve each debrief before it is shared (default: no)",
    )
    @trainers_only
    async def channel(
        self, interaction: discord.Interaction, time: str, timezone: str, review: bool = False
    ) -> None:
        if not isinstance(interaction.channel, discord.TextChannel):
            raise CoachError("Run this in the text channel where the team should read debriefs.")
        saved = await self.service.set_channel(
            str(interaction.guild_id), str(interaction.channel_id), time, timezone, review
        )
        text = channel_text(saved.local_time, saved.timezone, review)
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="review", description="Approve or reject the next debrief")
    @trainers_only
    async def review(self, interaction: discord.Interaction) -> None:
        pending = await self.service.pending_review(str(interaction.guild_id))
        if not pending:
            await interaction.response.send_message(NOTHING_TO_REVIEW, ephemeral=True)
            return
        first = pending[0]
        fields = {key: getattr(first, key) for key in FIELDS}
        view = ActionView(review_actions(first.id))
        embed = debrief_embed(fields, f"Review ({len(pending)} waiting)")
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(
        name="report", description="Tough calls by topic and week, common situations, what worked"
    )
    @trainers_only
    async def report(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # grouping takes a moment
        result = await self.service.report(str(interaction.guild_id))
        embed = report_embed(report_view(result, self.bot.app.knowledge.kb))
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NONE)

    # ---- digests ------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if not self.loop.is_running():
            self.loop.start()

    async def cog_unload(self) -> None:
        self.loop.cancel()

    @tasks.loop(seconds=60)
    async def loop(self) -> None:
        self.drafts.purge()  # expired drafts leave memory within a minute, busy or not
        try:
            await self.tick()
        except Exception:  # one bad tick must not stop the digests
            log.exception("debrief tick failed")

    async def tick(self) -> None:
        """Post the digests that are due (coachbot.scheduler decides what a failure means)."""
        await self.scheduler.tick_digests()


def _names(person: discord.abc.User) -> list[str]:
    """Every name a person shows under: server nickname, global display name, username."""
    if person.bot:
        return []
    return [person.display_name, person.global_name or "", person.name]


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(*DEBRIEF_ITEMS)
    await bot.add_cog(DebriefCog(bot))
