"""Text for Slack: escaped so it never pings or links, and private lines to one person.

Slack reads `&`, `<` and `>` as markup: `<!channel>` pings, `<@U1>` mentions. Every text that
came from a user or the knowledge base goes through `escape`, and nothing is ever sent with
`link_names`, so `@here` / `@channel` typed in a question stay text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]

# What notifies someone: a user or bot mention, @channel / @here / @everyone, a user group.
# `<!date^…>` and `<#C…>` channel links notify nobody and stay.
_PING = re.compile(r"<(?=@|!(?:channel|here|everyone|subteam\^))", re.IGNORECASE)


def escape(text: str) -> str:
    """Slack's three escapes (and nothing else: Slack shows other entities as typed)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defuse(text: str) -> str:
    """The last guard before Slack: whatever would ping is shown as typed. Already escaped
    text has no `<` left to change, so this never escapes twice."""
    return _PING.sub("&lt;", text)


def defuse_blocks(value: Any) -> Any:
    """`defuse` every text object's text in Block Kit (ids and values are left alone)."""
    if isinstance(value, list):
        return [defuse_blocks(item) for item in value]
    if isinstance(value, dict):
        return {
            key: defuse(item) if key == "text" and isinstance(item, str) else defuse_blocks(item)
            for key, item in value.items()
        }
    return value


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


async def private(
    target: Respond | AsyncWebClient,
    text: str,
    *,
    channel: str | None = None,
    user: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Send one private line: through Bolt's `respond` (a slash command or a button), or with
    the client as an ephemeral message to `user` in `channel` (a DM when there is no channel).

    Escape user text before calling; as a last guard, nothing sent here can ping
    (`defuse`), whichever caller forgot."""
    text = defuse(text)
    extra: dict[str, Any] = {"blocks": defuse_blocks(blocks)} if blocks else {}
    if isinstance(target, AsyncWebClient):
        if user is None:
            raise ValueError("a private line through the client needs the user")
        if channel is None or channel.startswith("D"):
            opened = await target.conversations_open(users=user)
            dm = opened["channel"]["id"]
            await target.chat_postMessage(channel=dm, text=text, **extra)
        else:
            await target.chat_postEphemeral(channel=channel, user=user, text=text, **extra)
        return
    await target(text=text, response_type="ephemeral", replace_original=False, **extra)
