"""The Slack side of the core scheduler: draw a post, send it, and say why it failed.

`coachbot.scheduler` decides what to post and when, and what a failure means; this only turns
Slack's answers into its two kinds: the channel is gone or closed to the app (Unreachable), or
Slack or the network failed for now (Transient). Rate limits (429) are retried by slack_sdk's
retry handler first; one that outlasts the retries is Transient.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from coachbot.scheduler import Transient, Unreachable
from coachbot.views.debrief import DigestPage
from coachbot.views.quiz import ClosedQuizPost, QuizPost
from slack_adapter import ids
from slack_adapter.blocks import quiz as blocks
from slack_adapter.blocks.debrief import DIGEST_PAGE_SIZE, digest_message

# Slack's answers meaning "this channel or message is not one the app can post to"; retrying
# soon will not help (a trainer has to invite the app, unarchive, or grant the scope).
UNREACHABLE = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "missing_scope",
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
        "team_access_not_granted",
    }
)


class SlackPoster:
    """Posts quizzes and digests for the teams of one Slack client (`slack:` keys)."""

    digest_page_size = DIGEST_PAGE_SIZE  # as many debriefs as fit Slack's 50 blocks

    def __init__(self, client: AsyncWebClient) -> None:
        if not any(isinstance(h, AsyncRateLimitErrorRetryHandler) for h in client.retry_handlers):
            client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        self.client = client

    def owns(self, guild_id: str) -> bool:
        """Slack's team keys are namespaced (`slack:T…`); Discord's are plain digits."""
        return ids.is_slack(guild_id)

    async def post_quiz(self, post: QuizPost) -> str:
        channel = _channel(post.channel_id)
        sent = await _sent(self.client.chat_postMessage(channel=channel, **blocks.quiz_post(post)))
        return str(sent["ts"])

    async def close_quiz(self, closed: ClosedQuizPost) -> None:
        channel = _channel(closed.channel_id)
        drawn = blocks.closed_post(closed)
        await _sent(self.client.chat_update(channel=channel, ts=closed.message_id, **drawn))

    async def post_digest(self, page: DigestPage) -> str:
        channel = _channel(page.channel_id)
        sent = await _sent(self.client.chat_postMessage(channel=channel, **digest_message(page)))
        return str(sent["ts"])


def _channel(key: str) -> str:
    if not ids.is_slack(key):
        raise Unreachable("not a Slack channel")
    return ids.channel_id(key)


async def _sent(call: Awaitable[AsyncSlackResponse]) -> Any:
    """Await a Web API call, translating its failures for the scheduler (codes, no text)."""
    try:
        return await call
    except SlackApiError as problem:
        status = problem.response.status_code
        error = str(problem.response.get("error") or "")
        if error in UNREACHABLE:
            raise Unreachable(f"HTTP {status}, {error}") from problem
        if error == "ratelimited" or status == 429 or status >= 500:
            raise Transient(f"HTTP {status}, {error or 'server error'}") from problem
        raise  # anything else is a bug of ours (invalid_blocks ...): logged by the scheduler
    except (aiohttp.ClientError, TimeoutError, OSError) as problem:
        raise Transient(type(problem).__name__) from problem
