"""The Discord side of the core scheduler: draw a post, send it, and say why it failed.

`coachbot.scheduler` decides what to post and when, and what a failure means; this only turns
Discord's answers into its two kinds: the channel is gone or closed to the bot (Unreachable),
or Discord or the network failed for now (Transient).

Posts go out through the REST API by channel id, never through the gateway cache: a sharded
bot's process only caches its own shards' servers, yet the store hands the schedule of any
server to whichever process claims it first. Discord itself answers whether the channel
exists and the bot may post there (404 / 403: Unreachable).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

import discord

from coachbot.scheduler import Transient, Unreachable
from coachbot.views.debrief import DigestPage
from coachbot.views.quiz import ClosedQuizPost, QuizPost
from cogs._debrief_views import digest_message
from cogs._quiz_render import closed_post, quiz_post
from cogs._views import NONE

if TYPE_CHECKING:
    from discord.ext.commands import Bot

T = TypeVar("T")

DIGEST_EMBEDS = 10  # Discord's limit of embeds in one message


class DiscordPoster:
    digest_page_size = DIGEST_EMBEDS

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def owns(self, guild_id: str) -> bool:
        """Discord's ids are numbers; other platforms' are namespaced (`slack:T…`)."""
        return guild_id.isdigit()

    def _channel(self, channel_id: str) -> discord.PartialMessageable:
        """A handle on the channel by id alone: it works for any shard's servers."""
        if not channel_id.isdigit():
            raise Unreachable(f"channel {channel_id!r} is not a Discord channel id")
        return self.bot.get_partial_messageable(int(channel_id))

    async def post_quiz(self, post: QuizPost) -> str:
        embeds, view = quiz_post(post)
        channel = self._channel(post.channel_id)
        message = await _sent(channel.send(embeds=embeds, view=view, allowed_mentions=NONE))
        return str(message.id)

    async def close_quiz(self, closed: ClosedQuizPost) -> None:
        if not closed.message_id.isdigit():
            raise Unreachable(f"message {closed.message_id!r} is not a Discord message id")
        message = self._channel(closed.channel_id).get_partial_message(int(closed.message_id))
        await _sent(message.edit(embeds=closed_post(closed), view=None))

    async def post_digest(self, page: DigestPage) -> str:
        channel = self._channel(page.channel_id)
        message = await _sent(channel.send(**digest_message(page), allowed_mentions=NONE))
        return str(message.id)


async def _sent(call: Awaitable[T]) -> T:
    """Await a Discord call, translating its failures for the scheduler (codes, no text)."""
    try:
        return await call
    except (discord.NotFound, discord.Forbidden) as problem:
        raise Unreachable(f"HTTP {problem.status}, code {problem.code}") from problem
    except discord.HTTPException as problem:
        raise Transient(f"HTTP {problem.status}, code {problem.code}") from problem
    except OSError as problem:  # network, time-outs
        raise Transient(type(problem).__name__) from problem
