"""The debrief cog's form, buttons and embeds (underscore: not an extension).

Every button is a DynamicItem whose custom_id carries its state, so digests and previews keep
working after a restart; ids coming back from clients are parsed against strict patterns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ui import Button, DynamicItem

from coachbot import actions
from coachbot.debrief.drafts import DRAFT_SECONDS
from coachbot.debrief.service import FIELDS, LABELS
from coachbot.errors import CoachError
from coachbot.replies import TRAINERS_REVIEW
from coachbot.views.debrief import (
    DISCARDED,
    DebriefView,
    DigestPage,
    debrief_view,
    helped_text,
    reviewed_text,
    thanks_text,
)
from coachbot.views.debrief_report import SECTION_CHARS, ReportLine, ReportView
from cogs._actions import ActionView
from cogs._checks import is_trainer
from cogs._errors import guarded, report
from cogs._render import COLOUR, clip

if TYPE_CHECKING:
    from cogs.debrief import DebriefCog

EXPIRED = (
    "That draft has expired (drafts live only in memory, for 30 minutes). "
    "Start again with /debrief write."
)
MAX_INPUT = 4000  # Discord's own limit for a text input


def _cog(interaction: discord.Interaction) -> DebriefCog:
    cog = interaction.client.get_cog("DebriefCog")  # type: ignore[attr-defined]
    assert cog is not None
    return cog  # type: ignore[return-value]


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


class DraftButton(DynamicItem[Button], template=actions.DRAFT):
    """Drawn from `coachbot.debrief.preview.draft_action`; this class answers the clicks."""

    def __init__(self, action: str, token: str) -> None:
        super().__init__(Button(custom_id=actions.draft(action, token)))
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
            await interaction.response.edit_message(content=DISCARDED, embed=None, view=None)
        else:
            if pending.draft is None:
                raise CoachError("Fix the debrief first: press Edit.")
            code = await cog.service.submit(pending.draft)
            await interaction.response.edit_message(
                content=thanks_text(f"**{code}**", delete_hint="`/debrief delete` with it"),
                embed=None,
                view=None,
            )


class HelpedButton(DynamicItem[Button], template=actions.HELPED):
    """Drawn from `coachbot.views.debrief.helped_action`; this class answers the clicks."""

    def __init__(self, debrief_id: str) -> None:
        super().__init__(Button(custom_id=actions.helped(debrief_id)))
        self.debrief_id = debrief_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> HelpedButton:
        return cls(match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._helped)

    async def _helped(self, interaction: discord.Interaction) -> None:
        first = await _cog(interaction).service.helped(self.debrief_id, str(interaction.user.id))
        await interaction.response.send_message(helped_text(first), ephemeral=True)


class ReviewButton(DynamicItem[Button], template=actions.REVIEW):
    """Drawn from `coachbot.views.debrief.review_actions`; this class answers the clicks."""

    def __init__(self, debrief_id: str, approve: bool) -> None:
        super().__init__(Button(custom_id=actions.review(debrief_id, approve)))
        self.debrief_id, self.approve = debrief_id, approve

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ReviewButton:
        return cls(match["id"], match["ok"] == "1")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not is_trainer(interaction):
            await interaction.response.send_message(TRAINERS_REVIEW, ephemeral=True)
            return False
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._review)

    async def _review(self, interaction: discord.Interaction) -> None:
        done = await _cog(interaction).service.review(self.debrief_id, self.approve)
        text = reviewed_text(self.approve, done)
        await interaction.response.edit_message(content=text, embed=None, view=None)


DEBRIEF_ITEMS = (DraftButton, HelpedButton, ReviewButton)


def debrief_embed(fields: dict[str, str], title: str) -> discord.Embed:
    return shown_embed(debrief_view(fields, title))


def shown_embed(shown: DebriefView) -> discord.Embed:
    embed = discord.Embed(title=shown.title, colour=COLOUR)
    for label, text in shown.sections:
        embed.add_field(name=label, value=clip(text, 1000), inline=False)
    return embed


def digest_message(page: DigestPage) -> dict[str, Any]:
    """One page of a digest as the keyword arguments of `channel.send`."""
    content = f"**{page.heading}**: {page.text}" if page.heading else None
    return {
        "content": content,
        "embeds": [shown_embed(entry.debrief) for entry in page.entries],
        "view": ActionView(entry.helped for entry in page.entries),
    }


def _line(line: ReportLine) -> str:
    text = f"**{line.count} ×** {line.text}" if line.count is not None else line.text
    return text + (f" *({line.note})*" if line.note else "")


def report_embed(shown: ReportView) -> discord.Embed:
    """The core's report view (coachbot.views.debrief_report) as an embed."""
    embed = discord.Embed(title=shown.title, colour=COLOUR)
    for part in shown.sections:
        text = "\n".join(_line(line) for line in part.lines) or part.empty
        embed.add_field(name=part.heading, value=clip(text, SECTION_CHARS), inline=False)
    embed.set_footer(text=shown.footer)
    return embed
