"""The Slack error boundary: an error after the ack is logged and told privately.

Like cogs/_errors.py: a domain error shows its `user_message`; anything else is logged with
its traceback (marked private: the message may quote what the user typed) and the user sees
the core's GENERIC line. Slack never sees a failed request for it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from coachbot.replies import GENERIC, known
from slack_adapter.text import defuse, escape

log = logging.getLogger("slack_adapter.errors")


def message_for(error: BaseException) -> str:
    """The text a user sees for `error`, escaped (a domain error's message may quote what
    was typed, `<!channel>` and all), logging what users must not see."""
    text = known(error)
    if text is not None:
        return escape(text)
    log.error(
        "unhandled error",
        exc_info=(type(error), error, error.__traceback__),
        extra={"private": True},
    )
    return GENERIC


async def tell(body: dict[str, Any], respond: Any, client: Any, text: str) -> None:
    """Tell the person who is waiting, privately, through whatever the request offers:
    its response_url (commands, buttons) or an ephemeral / DM line (events). Never raises."""
    text = defuse(text)
    try:
        if respond is not None and (body.get("response_url") or _response_urls(body)):
            await respond(text=text, response_type="ephemeral", replace_original=False)
            return
        user = _user_of(body)
        if user is None or client is None:
            return
        channel = _channel_of(body)
        if channel and not channel.startswith("D"):
            await client.chat_postEphemeral(channel=channel, user=user, text=text)
        else:
            opened = await client.conversations_open(users=user)
            await client.chat_postMessage(channel=opened["channel"]["id"], text=text)
    except (SlackApiError, OSError, ValueError) as exc:  # Slack is down or the URL expired
        log.warning("could not deliver an error reply: %s", type(exc).__name__)


def _response_urls(body: dict[str, Any]) -> list[Any]:
    return list(body.get("response_urls") or [])


def _user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user_id") or body.get("user") or (body.get("event") or {}).get("user")
    if isinstance(user, dict):
        user = user.get("id")
    return str(user) if user else None


def _channel_of(body: dict[str, Any]) -> str | None:
    channel = (
        body.get("channel_id") or body.get("channel") or (body.get("event") or {}).get("channel")
    )
    if isinstance(channel, dict):
        channel = channel.get("id")
    return str(channel) if channel else None
