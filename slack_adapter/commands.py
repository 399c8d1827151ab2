"""The one slash command, `/coach`: ack at once, then dispatch on the first word.

`/coach quiz subscribe 09:00 Europe/Berlin` runs the handler registered for "quiz" with
`["subscribe", "09:00", "Europe/Berlin"]`. A first word nobody registered is a question:
the handler registered under `QUESTION` gets it (the whole text is in `request.text`).
Feature modules register with `@subcommand("quiz")` at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from slack_adapter import ids
from slack_adapter.context import SlackContext
from slack_adapter.errors import message_for
from slack_adapter.text import Respond, private

log = logging.getLogger(__name__)

COMMAND = "/coach"
QUESTION = ""  # the registry key of the handler for "anything else is a question"


@dataclass
class CoachRequest(ids.Keys):
    """One `/coach` invocation, with the keys the core stores (see slack_adapter.ids)."""

    ctx: SlackContext
    client: AsyncWebClient
    respond: Respond
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    text: str = ""  # everything after `/coach`, as typed
    response_url: str = ""

    async def reply(self, text: str, **extra: Any) -> None:
        """A private line to the person who typed the command (`text` already escaped)."""
        await private(self.respond, text, **extra)

    async def usage(self, problem: str, usage: str) -> None:
        """A bad or missing argument: name it and show the usage; nothing changes."""
        await self.reply(f"{problem}\nUsage: `{COMMAND} {usage}`")

    async def is_trainer(self) -> bool:
        return await self.ctx.is_trainer(self.client, self.team_id, self.user_id)


Handler = Callable[[CoachRequest, list[str]], Awaitable[None]]
SUBCOMMANDS: dict[str, Handler] = {}


def subcommand(word: str) -> Callable[[Handler], Handler]:
    """Register `handler` for `/coach <word> …` (lower case; QUESTION for questions)."""

    def register(handler: Handler) -> Handler:
        SUBCOMMANDS[word.lower()] = handler
        return handler

    return register


def split(text: str) -> tuple[str, list[str]]:
    """`"Quiz  subscribe 09:00"` → `("quiz", ["subscribe", "09:00"])`; a question's words
    go to QUESTION with every word as an argument."""
    words = text.split()
    if words and words[0].lower() in SUBCOMMANDS and words[0].lower() != QUESTION:
        return words[0].lower(), words[1:]
    return QUESTION, words


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    """Listen for `/coach` on `bolt`; called once by create_slack_app."""

    @bolt.command(COMMAND)
    async def coach(ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any) -> None:
        await ack()  # first, within Slack's 3 s: the work below may take longer
        request = CoachRequest(
            ctx=ctx,
            client=client,
            respond=respond,
            team_id=str(body.get("team_id") or ""),
            user_id=str(body.get("user_id") or ""),
            channel_id=str(body.get("channel_id") or ""),
            trigger_id=str(body.get("trigger_id") or ""),
            text=str(body.get("text") or ""),
            response_url=str(body.get("response_url") or ""),
        )
        await dispatch(request)


async def dispatch(request: CoachRequest) -> None:
    """Run the handler for the request's first word; errors become a private line."""
    word, args = split(request.text)
    handler = SUBCOMMANDS.get(word)
    try:
        if handler is None:
            await request.reply("Sorry, I can't answer questions here yet.")
            return
        await handler(request, args)
    except Exception as exc:  # the error boundary: after the ack, told privately
        await request.reply(message_for(exc))
