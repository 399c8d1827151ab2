"""`coachbot run` on Slack: Socket Mode by default, HTTP when only a signing secret is set.

One process, one App: the core (coachbot.adapters) builds it and serves every configured
adapter on it, so when Discord runs too a reload from either serves both. The quiz and
digest ticks for Slack teams run here.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from coachbot.adapters import Adapter
from coachbot.app import App
from coachbot.errors import CoachError
from coachbot.knowledge.watch import KnowledgeWatcher, reload_logged, shared_watcher
from coachbot.settings import Settings
from slack_adapter.app import create_slack_app, verify_token
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
    await verify_token(bolt)  # once, not once per request of the first burst
    from slack_adapter.quiz import start_ticks  # the Scheduler's ticks for Slack teams

    ticks = start_ticks(SlackContext(core=app, settings=settings), bolt.client)
    watcher = start_watching(app, settings)
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
        await bolt.close()  # its response-URL session
        if watcher is not None:
            await watcher.stop()


def start_watching(app: App, settings: Settings) -> KnowledgeWatcher | None:
    """Automatic reload (COACHBOT_WATCH): the App's one watcher, shared with Discord when it
    runs in this process too, so a saved edit reloads once."""
    if not settings.watch_knowledge:
        return None
    on_change = reload_logged(app.reloader.reload, log)
    return shared_watcher(app, settings.knowledge_dir, on_change)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# The core finds Slack through this (pyproject.toml: the `coachbot.adapters` entry points).
ADAPTER = Adapter(
    name="slack",
    serve=serve_slack,
)
