"""The chat platforms as the core sees them, found at run time instead of imported by name.

Each adapter package registers one `Adapter` under the `coachbot.adapters` entry-point group
(`[project.entry-points."coachbot.adapters"]` in pyproject.toml), named after its platform.
`coachbot run` loads and serves those whose token is set, all on one App (one store, one
knowledge base: a reload from any of them serves all); the others are never imported. The
core never imports `cogs` or `slack_adapter` by name, so a build may leave one out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, distributions

from coachbot.app import App
from coachbot.settings import Settings

log = logging.getLogger(__name__)

GROUP = "coachbot.adapters"
LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def _asyncio_loop() -> LoopFactory | None:
    return None


@dataclass(frozen=True)
class Adapter:
    """What a platform gives the core: when it runs, how it serves, what else it offers."""

    name: str  # as registered: "discord", "slack"
    serve: Callable[[App, Settings, asyncio.Event], Awaitable[None]]  # until the event is set
    loop_factory: Callable[[], LoopFactory | None] = _asyncio_loop  # its preferred event loop
    sync: Callable[[Settings], Awaitable[int]] | None = None  # `coachbot sync` (Discord)


def wanted(settings: Settings) -> list[str]:
    """The platforms `coachbot run` serves: those whose token is set."""
    tokens = {"discord": settings.discord_token, "slack": settings.slack_bot_token}
    return [name for name, token in tokens.items() if token]


def load(name: str) -> Adapter | None:
    """The installed adapter of that name; None when this build has none."""
    for point in _entry_points(name):
        try:
            return point.load()
        except ImportError as exc:  # its platform's library is missing from this build
            log.warning("the %s adapter cannot be loaded: %s", name, exc)
    return None


def _entry_points(name: str) -> Iterator[EntryPoint]:
    """The `name` entry points of GROUP in every installed distribution. Why not
    `entry_points(group=...)`: it reads one distribution per name, the first on the path, and
    in a checkout that may be a stale `coachbot.egg-info` left by a build, without the group."""
    for distribution in distributions():
        for point in distribution.entry_points:
            if point.group == GROUP and point.name == name:
                yield point


def loop_factory(adapters: Sequence[Adapter]) -> LoopFactory | None:
    """The first event loop an adapter asks for (uvloop for Discord); None: asyncio's own."""
    return next((f for a in adapters if (f := a.loop_factory()) is not None), None)


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM (docker stop) and SIGINT (Ctrl+C) end the serving cleanly."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises
            loop.add_signal_handler(sig, stop.set)


async def serve(adapters: Sequence[Adapter], settings: Settings) -> int:
    """Serve every adapter on one App until a signal, or until one of them ends (Discord
    closed the connection): then the others stop too. A failure (a refused token) is raised
    once all have stopped and the store is closed."""
    app = await App.create(settings)
    try:
        app.asks.batch_log(1.0)  # one write a second; the store flushes it when it closes
        stop = asyncio.Event()
        stop_on_signals(stop)
        tasks = [asyncio.create_task(a.serve(app, settings, stop)) for a in adapters]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.set()
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
    finally:
        await app.close()
    return 0
