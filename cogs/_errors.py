"""The one place where errors become replies: friendly for domain errors, generic otherwise.

Exception text never reaches a channel: a domain error shows its `user_message`, which was
written for users; anything else is logged with its traceback and the user sees GENERIC.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from coachbot.replies import GENERIC, NO_PERMISSION, NOT_HERE, known, slow_down

log = logging.getLogger("cogs.errors")

__all__ = ["GENERIC", "NOT_HERE", "NO_PERMISSION", "guarded", "message_for", "report"]


def message_for(error: BaseException) -> str:
    """The text a user sees for `error`, logging what users must not see."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or error
    text = known(error)
    if text is not None:
        return text
    if isinstance(error, app_commands.CommandOnCooldown):
        return slow_down(error.retry_after)
    if isinstance(error, app_commands.NoPrivateMessage):
        return NOT_HERE
    if isinstance(error, app_commands.CheckFailure):
        return NO_PERMISSION
    # private: the exception's message may quote what the user typed (a debrief); the log
    # keeps its type and where it happened (see coachbot.logs)
    log.error(
        "unhandled error",
        exc_info=(type(error), error, error.__traceback__),
        extra={"private": True},
    )
    return GENERIC


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """Answer ephemerally, whether or not the interaction was already answered."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException as exc:  # the interaction expired or Discord is down
        log.warning("could not deliver an error reply: %s %s", exc.status, exc.code)


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    await reply_privately(interaction, message_for(error))


async def guarded(
    interaction: discord.Interaction, handler: Callable[[discord.Interaction], Awaitable[None]]
) -> None:
    """Run a component handler; discord.py would only log its errors, users would see nothing."""
    try:
        await handler(interaction)
    except Exception as exc:  # the error boundary for components
        await report(interaction, exc)
