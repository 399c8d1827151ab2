"""Who may run trainer commands: the configured trainer role, or Manage Server."""

from __future__ import annotations

import discord
from discord import app_commands


def is_trainer(interaction: discord.Interaction) -> bool:
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    role = interaction.client.settings.trainer_role.casefold()  # type: ignore[attr-defined]
    return any(r.name.casefold() == role for r in member.roles)


trainers_only = app_commands.check(is_trainer)
