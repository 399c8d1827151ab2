"""Bolt's `respond`, posting to response URLs over one HTTP session per app.

Bolt's own `respond` opens and closes an aiohttp session for every reply: a new connection,
and its set-up, each time. In the quiz burst (1,000 clicks, each answered privately at its
response URL) that was the largest cost. Here the app keeps one session, opened on the running
loop at the first reply and closed when the app stops serving; the next reply after a close
opens a fresh one. What is posted is exactly what Bolt's `respond` posts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.respond.internals import _build_message  # what Bolt's respond posts
from slack_sdk.webhook.async_client import AsyncWebhookClient, WebhookResponse


class ResponseSession:
    """One aiohttp session for an app's response-URL posts, opened when first needed."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> aiohttp.ClientSession:
        """The open session on the running loop (a new one after a close, or on a new loop)."""
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or self._loop is not loop:
            session, self._loop = aiohttp.ClientSession(), loop
            self._session = session
        return session

    async def close(self) -> None:
        """Close the session, if one is open; safe to call more than once."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


class SharedRespond(AsyncRespond):
    """Bolt's `respond` (same arguments, same message), posting through a shared session."""

    def __init__(self, *, sessions: ResponseSession, **respond: Any) -> None:
        super().__init__(**respond)
        self._sessions = sessions

    async def __call__(self, text: str | dict[str, Any] = "", **fields: Any) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        if isinstance(text, dict):  # a whole response, as Bolt allows
            message = _build_message(**text)
        elif isinstance(text, str):
            message = _build_message(text=text, **fields)
        else:
            raise ValueError(f"The arg is unexpected type ({type(text)})")
        webhook = AsyncWebhookClient(  # a response URL, not the Web API: no scope
            url=self.response_url, proxy=self.proxy, ssl=self.ssl, session=self._sessions.get()
        )
        return await webhook.send_dict(message)


def share_respond(bolt: AsyncApp, sessions: ResponseSession) -> None:
    """Give every request with a response URL a `respond` that posts through `sessions`."""

    async def shared_respond(context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
        if context.response_url:
            context["respond"] = SharedRespond(
                sessions=sessions,
                response_url=context.response_url,
                proxy=context.client.proxy,
                ssl=context.client.ssl,
            )
        return await next()

    bolt.middleware(shared_respond)
