"""Who may run trainer commands: the configured trainer role, or Manage Server."""

from __future__ import annotations

import discord
from discord import app_commands

from coachbot import access


def is_trainer(interaction: discord.Interaction) -> bool:
    """The core rule (coachbot.access) on Discord's facts; never in a DM."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    return access.is_trainer(
        is_admin=member.guild_permissions.manage_guild,
        groups=(role.name for role in member.roles),
        trainer_group=interaction.client.settings.trainer_role,  # type: ignore[attr-defined]
    )


trainers_only = app_commands.check(is_trainer)
