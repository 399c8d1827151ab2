"""`coachbot run` on Slack: Socket Mode by default, HTTP when only a signing secret is set.

One process, one App: when Discord runs too, both adapters share the App the CLI built, so a
reload from either serves both. The quiz and digest ticks for Slack teams run here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from coachbot.app import App
from coachbot.errors import CoachError
from coachbot.settings import Settings
from slack_adapter.app import create_slack_app
from slack_adapter.context import SlackContext

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
NO_MODE = (
    "Slack needs SLACK_APP_TOKEN (xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) "
    "besides SLACK_BOT_TOKEN. Run `coachbot doctor` to check."
)


async def serve_slack(app: App, settings: Settings, stop: asyncio.Event) -> None:
    """Serve Slack on `app` until `stop` is set."""
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise CoachError(NO_MODE)
    bolt = create_slack_app(app, settings)
    from slack_adapter.quiz import start_ticks  # the Scheduler's ticks for Slack teams

    ticks = start_ticks(SlackContext(core=app, settings=settings), bolt.client)
    try:
        if settings.slack_app_token:
            handler = AsyncSocketModeHandler(bolt, app_token=settings.slack_app_token)
            await handler.connect_async()
            _say("Connected to Slack (Socket Mode). Stop with Ctrl+C.")
            try:
                await stop.wait()
            finally:
                await handler.close_async()
        else:
            runner = web.AppRunner(bolt.web_app(path=EVENTS_PATH), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, port=settings.slack_port).start()
            _say(
                f"Serving Slack over HTTP on port {settings.slack_port} at {EVENTS_PATH}. "
                "Stop with Ctrl+C."
            )
            try:
                await stop.wait()
            finally:
                await runner.cleanup()
    finally:
        ticks.cancel()


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM (docker stop) and SIGINT (Ctrl+C) end the serving cleanly."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises
            loop.add_signal_handler(sig, stop.set)


async def run_slack(settings: Settings) -> int:
    """Slack alone: build the App, serve until a signal, close the store."""
    app = await App.create(settings)
    try:
        app.asks.batch_log(1.0)
        stop = asyncio.Event()
        stop_on_signals(stop)
        await serve_slack(app, settings, stop)
    finally:
        await app.close()
    return 0
