"""Debriefs: /debrief opens a form; the agent previews the scrubbed text, then submits it
anonymously. Trainers pick the digest channel and time, review if they want, and see counts.

Raw text lives only in `DebriefCog.drafts` (memory) for the preview; it is never logged.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands, tasks
from discord.ui import Button, DynamicItem

from coachbot.debrief.service import FIELDS, LABELS, MIN_BATCH, DebriefService, Digest, Draft
from coachbot.errors import CoachError, InvalidInput
from cogs._checks import is_trainer, trainers_only
from cogs._errors import guarded, report
from cogs._render import COLOUR, clip
from cogs._views import NONE

if TYPE_CHECKING:
    from cogs._bot import CoachBot

log = logging.getLogger(__name__)

DRAFT_SECONDS = 30 * 60
TOKEN = r"[A-Za-z0-9_-]{8,16}"
EXPIRED = (
    "That draft has expired (drafts live only in memory, for 30 minutes). "
    "Start again with /debrief write."
)
MAX_INPUT = 4000  # Discord's own limit for a text input


@dataclass
class _Pending:
    author_id: int
    raw: dict[str, str]
    topic_hint: str
    draft: Draft | None
    expires: float


def _cog(interaction: discord.Interaction) -> DebriefCog:
    cog = interaction.client.get_cog("DebriefCog")  # type: ignore[attr-defined]
    assert isinstance(cog, DebriefCog)
    return cog


class DebriefModal(discord.ui.Modal, title="Debrief a tough call"):
    def __init__(self, cog: DebriefCog, token: str, raw: dict[str, str], topic: str) -> None:
        super().__init__(custom_id=f"cb:debrief-form:{token}", timeout=DRAFT_SECONDS)
        self.cog, self.token = cog, token
        self.inputs: dict[str, discord.ui.TextInput] = {}
        for key in FIELDS:
            field = discord.ui.TextInput(
                label=LABELS[key],
                style=discord.TextStyle.paragraph,
                required=key == "what_happened",
                max_length=MAX_INPUT,
                default=raw.get(key) or None,
                custom_id=key,
                placeholder="No names or numbers needed: they are removed anyway.",
            )
            self.inputs[key] = field
            self.add_item(field)
        self.topic = discord.ui.TextInput(
            label="Topic (optional)",
            required=False,
            max_length=100,
            default=topic or None,
            custom_id="topic",
            placeholder="e.g. abusive customer",
        )
        self.add_item(self.topic)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        raw = {key: field.value or "" for key, field in self.inputs.items()}
        await self.cog.preview(interaction, self.token, raw, self.topic.value or "")

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report(interaction, error)


class DraftButton(
    DynamicItem[Button], template=rf"cb:debrief:(?P<action>submit|edit|discard):(?P<token>{TOKEN})"
):
    LABELS: ClassVar[dict[str, str]] = {
        "submit": "Submit anonymously",
        "edit": "Edit",
        "discard": "Discard",
    }
    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "submit": discord.ButtonStyle.success,
        "edit": discord.ButtonStyle.secondary,
        "discard": discord.ButtonStyle.danger,
    }

    def __init__(self, action: str, token: str) -> None:
        super().__init__(
            Button(
                label=self.LABELS[action],
                style=self.STYLES[action],
                custom_id=f"cb:debrief:{action}:{token}",
            )
        )
        self.action, self.token = action, token

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> DraftButton:
        return cls(match["action"], match["token"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._act)

    async def _act(self, interaction: discord.Interaction) -> None:
        cog = _cog(interaction)
        pending = cog.take(self.token, interaction.user.id, keep=self.action == "edit")
        if pending is None:
            await interaction.response.edit_message(content=EXPIRED, embed=None, view=None)
            return
        if self.action == "edit":
            modal = DebriefModal(cog, self.token, pending.raw, pending.topic_hint)
            await interaction.response.send_modal(modal)
        elif self.action == "discard":
            await interaction.response.edit_message(
                content="Discarded. Nothing was stored.", embed=None, view=None
            )
        else:
            if pending.draft is None:
                raise CoachError("Fix the debrief first: press Edit.")
            code = await cog.service.submit(pending.draft)
            await interaction.response.edit_message(
                content=(
                    "Thank you. Your debrief is stored with no name on it and will reach the "
                    f"team in the next digest of {MIN_BATCH} or more.\n"
                    f"Deletion code: **{code}**. Keep it: it is shown only now, and "
                    "`/debrief delete` with it removes the debrief."
                ),
                embed=None,
                view=None,
            )


class HelpedButton(DynamicItem[Button], template=r"cb:debrief-helped:(?P<id>[0-9a-f]{24})"):
    def __init__(self, debrief_id: str, number: int = 0) -> None:
        super().__init__(
            Button(
                label=f"This helped me (#{number})" if number else "This helped me",
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:debrief-helped:{debrief_id}",
            )
        )
        self.debrief_id = debrief_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> HelpedButton:
        return cls(match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._helped)

    async def _helped(self, interaction: discord.Interaction) -> None:
        first = await _cog(interaction).service.helped(self.debrief_id, str(interaction.user.id))
        text = "Noted, thank you." if first else "You already said so; it counts once."
        await interaction.response.send_message(text, ephemeral=True)


class ReviewButton(
    DynamicItem[Button], template=r"cb:debrief-review:(?P<id>[0-9a-f]{24}):(?P<ok>[01])"
):
    def __init__(self, debrief_id: str, approve: bool) -> None:
        super().__init__(
            Button(
                label="Approve" if approve else "Reject",
                style=discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
                custom_id=f"cb:debrief-review:{debrief_id}:{int(approve)}",
            )
        )
        self.debrief_id, self.approve = debrief_id, approve

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ReviewButton:
        return cls(match["id"], match["ok"] == "1")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not is_trainer(interaction):
            await interaction.response.send_message(
                "Only trainers review debriefs.", ephemeral=True
            )
            return False
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._review)

    async def _review(self, interaction: discord.Interaction) -> None:
        done = await _cog(interaction).service.review(self.debrief_id, self.approve)
        text = (
            ("Approved for the next digest." if self.approve else "Rejected and deleted.")
            if done
            else "Already reviewed."
        )
        await interaction.response.edit_message(content=text, embed=None, view=None)


DEBRIEF_ITEMS = (DraftButton, HelpedButton, ReviewButton)


def debrief_embed(fields: dict[str, str], title: str) -> discord.Embed:
    embed = discord.Embed(title=title, colour=COLOUR)
    for key in FIELDS:
        if fields.get(key):
            embed.add_field(name=LABELS[key], value=clip(fields[key], 1000), inline=False)
    return embed


@app_commands.guild_only()
class DebriefCog(
    commands.GroupCog, group_name="debrief", group_description="Anonymous tough-call debriefs"
):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.drafts: dict[str, _Pending] = {}
        super().__init__()

    @property
    def service(self) -> DebriefService:
        if self.bot.app.debriefs is None:
            raise CoachError("Debriefs need the database, which is not open.")
        return self.bot.app.debriefs

    # ---- drafts (memory only) --------------------------------------------------------------

    def take(self, token: str, author_id: int, *, keep: bool) -> _Pending | None:
        now = time.monotonic()
        for stale in [t for t, p in self.drafts.items() if p.expires < now]:
            del self.drafts[stale]
        pending = self.drafts.get(token)
        if pending is None or pending.author_id != author_id:
            return None
        if not keep:
            del self.drafts[token]
        return pending

    async def preview(
        self, interaction: discord.Interaction, token: str, raw: dict[str, str], topic: str
    ) -> None:
        names = _member_names(interaction)
        pending = _Pending(interaction.user.id, raw, topic, None, time.monotonic() + DRAFT_SECONDS)
        self.drafts[token] = pending
        view = discord.ui.View(timeout=None)
        try:
            pending.draft = self.service.prepare(
                str(interaction.guild_id), raw, topic_hint=topic, known_names=names
            )
        except InvalidInput as problem:
            view.add_item(DraftButton("edit", token))
            view.add_item(DraftButton("discard", token))
            await interaction.response.send_message(
                f"{problem.user_message}\nYour text is kept for 30 minutes: press Edit.",
                view=view,
                ephemeral=True,
            )
            return
        removed = ", ".join(f"{n} {kind}" for kind, n in sorted(pending.draft.redactions.items()))
        embed = debrief_embed(pending.draft.fields, "Preview: this is what the team will see")
        embed.set_footer(
            text=(f"Removed: {removed}. " if removed else "")
            + "No name, no time of day. Nothing is stored until you submit."
        )
        for action in ("submit", "edit", "discard"):
            view.add_item(DraftButton(action, token))
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=NONE
        )

    # ---- commands ---------------------------------------------------------------------------

    @app_commands.command(name="write", description="Write an anonymous debrief of a tough call")
    async def write(self, interaction: discord.Interaction) -> None:
        token = secrets.token_urlsafe(9)
        await interaction.response.send_modal(DebriefModal(self, token, {}, ""))

    @app_commands.command(name="delete", description="Delete your debrief with its deletion code")
    @app_commands.describe(code="The code you were given, like ABCD-EFGH-JKMN")
    async def delete(self, interaction: discord.Interaction, code: str) -> None:
        deleted = await self.service.delete(code)
        text = "Deleted. It is gone for good." if deleted else "No debrief has that code."
        await interaction.response.send_message(text, ephemeral=True)

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
        await interaction.response.send_message(
            f"Debriefs will be shared here daily at {saved.local_time} {saved.timezone}, "
            f"in shuffled batches of {MIN_BATCH} or more"
            + (", after a trainer approves each." if review else "."),
            ephemeral=True,
        )

    @app_commands.command(name="review", description="Approve or reject the next debrief")
    @trainers_only
    async def review(self, interaction: discord.Interaction) -> None:
        pending = await self.service.pending_review(str(interaction.guild_id))
        if not pending:
            await interaction.response.send_message("Nothing waiting for review.", ephemeral=True)
            return
        first = pending[0]
        fields = {key: getattr(first, key) for key in FIELDS}
        view = discord.ui.View(timeout=None)
        view.add_item(ReviewButton(first.id, True))
        view.add_item(ReviewButton(first.id, False))
        embed = debrief_embed(fields, f"Review ({len(pending)} waiting)")
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(
        name="report", description="What tough calls are about, by topic and week"
    )
    @trainers_only
    async def report(self, interaction: discord.Interaction) -> None:
        result = await self.service.report(str(interaction.guild_id))
        kb = self.bot.app.knowledge.kb
        topics = "\n".join(
            f"{n} × {kb.by_id[t].title if t in kb.by_id else t}" for t, n in result.by_topic[:10]
        )
        weeks = "\n".join(f"week of {w:%d %b}: {n}" for w, n in result.by_week[-8:])
        embed = discord.Embed(title=f"Debriefs, last 90 days: {result.total}", colour=COLOUR)
        embed.add_field(name="By topic", value=clip(topics or "None yet.", 1000), inline=False)
        embed.add_field(name="By week", value=clip(weeks or "None yet.", 1000), inline=False)
        embed.set_footer(text=f"Marked helpful {result.helped} times")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # ---- digests ------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if not self.loop.is_running():
            self.loop.start()

    async def cog_unload(self) -> None:
        self.loop.cancel()

    @tasks.loop(seconds=60)
    async def loop(self) -> None:
        try:
            await self.tick()
        except Exception:  # one bad tick must not stop the digests
            log.exception("debrief tick failed")

    async def tick(self) -> None:
        for digest in await self.service.due_digests():
            await self._post(digest)

    async def _post(self, digest: Digest) -> None:
        channel = self.bot.get_channel(int(digest.channel.channel_id))
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("debrief channel of guild %s is gone", digest.channel.guild_id)
            return
        for start in range(0, len(digest.debriefs), 10):
            batch = digest.debriefs[start : start + 10]
            embeds, view = [], discord.ui.View(timeout=None)
            for n, debrief in enumerate(batch, start + 1):
                fields = {key: getattr(debrief, key) for key in FIELDS}
                embeds.append(debrief_embed(fields, f"Tough call #{n}"))
                view.add_item(HelpedButton(debrief.id, n))
            content = (
                f"**Team debriefs**: {len(digest.debriefs)} tough calls, shared anonymously."
                if start == 0
                else None
            )
            await channel.send(content=content, embeds=embeds, view=view, allowed_mentions=NONE)


def _member_names(interaction: discord.Interaction) -> list[str]:
    """Display names the scrubber should also remove: the server's members and the author."""
    names: list[str] = []
    guild = interaction.guild
    members: list[Any] = list(guild.members) if guild else []
    for member in [*members, interaction.user]:
        for name in {getattr(member, "display_name", ""), getattr(member, "name", "")}:
            if name and not getattr(member, "bot", False):
                names.append(name)
    return names


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(*DEBRIEF_ITEMS)
    await bot.add_cog(DebriefCog(bot))
