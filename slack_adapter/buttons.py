"""Button clicks: matched by the core codec's patterns, acked at once, handled after.

`@on_button(bolt, ctx, actions.VOTE)` registers a handler for every action_id that fully
matches the pattern; the handler gets a `Click` with the match's named groups (state from the
id, looked up again before use: never trusted). Errors go to the app's error boundary.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from slack_adapter import ids
from slack_adapter.context import SlackContext
from slack_adapter.text import Respond, private


@dataclass
class Click(ids.Keys):
    ctx: SlackContext
    client: AsyncWebClient
    respond: Respond
    body: dict[str, Any]
    match: re.Match[str]

    @property
    def team_id(self) -> str:
        team = self.body.get("team") or {}
        return str(team.get("id") or (self.body.get("user") or {}).get("team_id") or "")

    @property
    def user_id(self) -> str:
        return str((self.body.get("user") or {}).get("id") or "")

    @property
    def channel_id(self) -> str:
        channel = self.body.get("channel") or {}
        return str(channel.get("id") or (self.body.get("container") or {}).get("channel_id") or "")

    @property
    def message_ts(self) -> str:
        """The clicked message's ts (ephemeral messages have one too, in the container)."""
        container = self.body.get("container") or {}
        message = self.body.get("message") or {}
        return str(container.get("message_ts") or message.get("ts") or "")

    async def reply(self, text: str, **extra: Any) -> None:
        """A new private message to the clicker; the clicked message stays as it is. A click
        in the App Home has no response URL: the reply goes to the app's DM with them."""
        if self.body.get("response_url"):
            await private(self.respond, text, **extra)
        else:
            await private(self.client, text, user=self.user_id, **extra)

    async def is_trainer(self) -> bool:
        return await self.ctx.is_trainer(self.client, self.team_id, self.user_id)


ClickHandler = Callable[[Click], Awaitable[None]]


def whole(pattern: str) -> re.Pattern[str]:
    """Bolt searches action ids with `re.search`: anchor the codec's pattern at both ends."""
    return re.compile(rf"\A(?:{pattern})\Z")


def on_button(bolt: AsyncApp, ctx: SlackContext, pattern: str) -> Callable[[ClickHandler], None]:
    regex = whole(pattern)

    def register(handler: ClickHandler) -> None:
        @bolt.action(regex)
        async def listener(
            ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any
        ) -> None:
            await ack()
            match = regex.match(str(action.get("action_id", "")))
            if match is not None:
                await handler(Click(ctx, client, respond, body, match))

    return register
