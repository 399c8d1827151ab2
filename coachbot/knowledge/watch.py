"""Automatic reload: watch the knowledge folder and reload once an edit has settled.

`watchfiles` reports file events from the operating system. Only knowledge files count
(`*.yaml`, `*.yml`, `*.json`), never an editor's temporary files (`.swp`, `~`, `.#name`).
A save usually arrives as a burst of events (temporary file, rename, several files at once),
so the reload waits until the folder has been quiet for `quiet` seconds (1 s), and at most
`max_wait` seconds while edits keep coming. Edits made during a reload cause one more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from watchfiles import Change, awatch

if TYPE_CHECKING:
    from coachbot.knowledge.reload import ReloadResult

log = logging.getLogger(__name__)

KNOWLEDGE_SUFFIXES = (".yaml", ".yml", ".json")
TEMPORARY_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig")
QUIET_SECONDS = 1.0
MAX_WAIT_SECONDS = 10.0


def is_knowledge_file(path: str) -> bool:
    """A file whose change can change the knowledge base (not an editor's scratch file)."""
    name = os.path.basename(path)
    if name.startswith((".", "#")) or name.endswith(TEMPORARY_SUFFIXES):
        return False  # .#name (Emacs lock), .name.swp (Vim), #name# (Emacs autosave)
    return name.endswith(KNOWLEDGE_SUFFIXES)


class KnowledgeWatcher:
    """Calls `on_change(changed paths)` once per settled burst of edits under `directory`."""

    def __init__(
        self,
        directory: Path,
        on_change: Callable[[frozenset[str]], Awaitable[object]],
        *,
        quiet: float = QUIET_SECONDS,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self.directory = Path(directory)
        self._on_change = on_change
        self.quiet = quiet
        self.max_wait = max_wait
        self._changed: set[str] = set()
        self._last_change = 0.0
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._ready = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        return any(not task.done() for task in self._tasks)

    @property
    def stopped(self) -> bool:
        """`stop` was called: this watcher never starts again."""
        return self._stop.is_set()

    def start(self) -> None:
        if self._tasks:
            return
        self._tasks = [
            asyncio.create_task(self._watch(), name="coachbot: knowledge watcher"),
            asyncio.create_task(self._settle(), name="coachbot: knowledge reload"),
        ]

    async def started(self) -> None:
        """Wait until the operating system watch is in place (edits from now on are seen)."""
        await self._ready.wait()

    async def stop(self) -> None:
        """Stop watching; returns once both tasks have ended (about 50 ms)."""
        self._stop.set()  # the watch thread sees it within one step
        for task in self._tasks[1:]:
            task.cancel()  # a reload in progress finishes on its own (it is shielded)
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            async for changes in self._events():
                self._changed.update(path for _, path in changes)
                self._last_change = loop.time()
                self._wake.set()
        except Exception as exc:  # a vanished folder, too many watches: reloads stay manual
            log.warning(
                "stopped watching %s for edits (%s: %s); use /kb reload after editing",
                self.directory,
                type(exc).__name__,
                exc,
            )
        finally:
            self._ready.set()  # nobody waits forever on a watcher that could not start

    async def _events(self) -> AsyncIterator[set[tuple[Change, str]]]:
        watching = awatch(
            self.directory,
            watch_filter=lambda _change, path: is_knowledge_file(path),
            stop_event=self._stop,
            debounce=int(self.max_wait * 1000),
            step=50,
            rust_timeout=250,
            yield_on_timeout=True,
        )
        async for changes in watching:
            self._ready.set()  # after the first round (maybe a timeout) the watch is in place
            if changes:
                yield changes

    async def _settle(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            first = loop.time()
            while (quiet_for := loop.time() - self._last_change) < self.quiet:
                if loop.time() - first >= self.max_wait:
                    break
                await asyncio.sleep(self.quiet - quiet_for)
            self._wake.clear()
            changed, self._changed = frozenset(self._changed), set()
            try:
                await self._on_change(changed)
            except Exception:  # one failed reload must not end automatic reloading
                log.exception("automatic knowledge reload failed")


@contextlib.asynccontextmanager
async def watching(
    directory: Path, on_change: Callable[[frozenset[str]], Awaitable[object]], *, enabled: bool
) -> AsyncIterator[KnowledgeWatcher | None]:
    """Watch `directory` for the duration of the block when `enabled` (COACHBOT_WATCH)."""
    if not enabled:
        yield None
        return
    watcher = KnowledgeWatcher(directory, on_change)
    watcher.start()
    try:
        yield watcher
    finally:
        await watcher.stop()


# One watcher per App, however many adapters serve it (Discord and Slack in one process): the
# first to ask starts it, the others share it, so a saved edit reloads once.
_shared: WeakKeyDictionary[object, KnowledgeWatcher] = WeakKeyDictionary()


def shared_watcher(
    owner: object, directory: Path, on_change: Callable[[frozenset[str]], Awaitable[object]]
) -> KnowledgeWatcher:
    """`owner`'s (the App's) one watcher, started; a stopped one is replaced."""
    watcher = _shared.get(owner)
    if watcher is None or watcher.stopped:
        watcher = _shared[owner] = KnowledgeWatcher(directory, on_change)
    watcher.start()
    return watcher


def is_watching(owner: object) -> bool:
    """Whether `owner`'s watcher runs (what `kb status` says of automatic reload)."""
    watcher = _shared.get(owner)
    return watcher is not None and watcher.running


def reload_logged(
    reload: Callable[[], Awaitable[ReloadResult]], logger: logging.Logger
) -> Callable[[frozenset[str]], Awaitable[None]]:
    """An `on_change` that reloads and logs the outcome: what changed, or every problem."""

    async def reload_after_edit(_changed: frozenset[str]) -> None:
        result = await reload()
        if result.ok and result.changes is not None:
            logger.info(
                "knowledge files changed; version %d is live: %s",
                result.version,
                result.changes.summary(),
            )
            return
        logger.warning(
            "knowledge files changed but have %d problem(s); version %d stays live:\n%s",
            len(result.problems),
            result.version,
            "\n".join(result.problems),
        )

    return reload_after_edit
