"""The Slack composition root: one Bolt app around the one core App.

`create_slack_app(app, settings, client=...)` is what `coachbot run` and the tests build.
Every module registers its listeners on the Bolt app through `register(bolt, ctx)`; this file
only wires them, adds the rate-limit retry and installs the error boundary.
"""

from __future__ import annotations

import logging
from typing import Any

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

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3


def with_rate_limit_retry(client: AsyncWebClient) -> AsyncWebClient:
    """Honour 429 Retry-After on every Web API call (slack_sdk waits and retries); once."""
    if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
        )
    return client


def create_slack_app(
    app: App, settings: Settings, *, client: AsyncWebClient | None = None
) -> AsyncApp:
    """A Bolt app serving `/coach`, mentions, DMs, the App Home and the buttons, on `app`.

    `client` (tests point it at a loopback Slack) defaults to one built from
    SLACK_BOT_TOKEN. HTTP requests are checked against SLACK_SIGNING_SECRET (Bolt refuses
    bad signatures and stale timestamps with 401); Socket Mode needs no secret."""
    if client is None:
        client = AsyncWebClient(token=settings.slack_bot_token)
    bolt = AsyncApp(
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
