"""The Slack composition root: one Bolt app around the one core App.

`create_slack_app(app, settings, client=...)` is what `coachbot run` and the tests build.
Every module registers its listeners on the Bolt app through `register(bolt, ctx)`; this file
only wires them, adds the rate-limit retry and installs the error boundary.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from coachbot.app import App
from coachbot.settings import Settings
from slack_adapter import ask, commands, debrief, home, me, quiz, trainer
from slack_adapter.context import SlackContext
from slack_adapter.errors import message_for, tell
from slack_adapter.responses import ResponseSession, share_respond

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3


def with_rate_limit_retry(client: AsyncWebClient) -> AsyncWebClient:
    """Honour 429 Retry-After on every Web API call (slack_sdk waits and retries); once."""
    if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
        )
    return client


class CoachBolt(AsyncApp):
    """Bolt's AsyncApp, owning the one session its replies to response URLs go through
    (slack_adapter.responses): closed when its HTTP server is cleaned up, or by `close()`
    (Socket Mode: the runner calls it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.responses = ResponseSession()
        share_respond(self, self.responses)

    def web_app(self, path: str = "/slack/events", port: int = 3000) -> web.Application:
        served = super().web_app(path=path, port=port)
        if self._close_on_cleanup not in served.on_cleanup:  # Bolt may hand out the same one
            served.on_cleanup.append(self._close_on_cleanup)
        return served

    async def _close_on_cleanup(self, _served: web.Application) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the response-URL session (the next reply, if any, opens a new one)."""
        await self.responses.close()


def create_slack_app(
    app: App, settings: Settings, *, client: AsyncWebClient | None = None
) -> CoachBolt:
    """A Bolt app serving `/coach`, mentions, DMs, the App Home and the buttons, on `app`.

    `client` (tests point it at a loopback Slack) defaults to one built from
    SLACK_BOT_TOKEN. HTTP requests are checked against SLACK_SIGNING_SECRET (Bolt refuses
    bad signatures and stale timestamps with 401); Socket Mode needs no secret."""
    if client is None:
        client = AsyncWebClient(token=settings.slack_bot_token)
    bolt = CoachBolt(
        client=with_rate_limit_retry(client),
        signing_secret=settings.slack_signing_secret or "",  # "" : never read os.environ
        name="coachbot",
    )
    ctx = SlackContext(core=app, settings=settings)

    @bolt.error
    async def on_error(error: Exception, body: dict[str, Any], respond: Any, client: Any) -> None:
        """An error after the ack: logged, told privately, never a failed request."""
        await tell(body or {}, respond, client, message_for(error))

    commands.register(bolt, ctx)
    for module in (ask, home, quiz, debrief, me, trainer):  # each adds its listeners
        module.register(bolt, ctx)
    return bolt


async def verify_token(bolt: AsyncApp) -> None:
    """Call auth.test once, at start-up, and give Bolt the answer: otherwise every request of
    the first burst (before the first answer arrives) calls auth.test itself. A refused
    token raises SlackApiError here, before anyone is waiting."""
    result = await bolt.client.auth_test()
    for middleware in bolt._async_middleware_list:  # Bolt keeps the answer on this one
        if isinstance(middleware, AsyncSingleTeamAuthorization):
            middleware.auth_test_result = result
