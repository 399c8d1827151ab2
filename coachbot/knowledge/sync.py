"""Live reload across processes: a reload in one process reaches every process.

Several processes serve one team from one database (PostgreSQL, or COACHBOT_MULTI_PROCESS=1)
and read the same knowledge folder. After a reload of its own (/kb reload, an edit seen by
its watcher, an accepted suggestion) a process publishes the hash of the folder it loaded
(coachbot.store.knowledge_version); every process reads that row every POLL_SECONDS and,
when the hash is not the one it has, reloads its own copy from the folder. A reload made to
follow another process publishes nothing, so two processes whose folders differ never make
each other reload in turn. Knowledge errors stay local: a process whose reload fails keeps
its live version, as a single process does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
from pathlib import Path

from coachbot.clock import Clock
from coachbot.knowledge.reload import KnowledgeReloader, ReloadResult
from coachbot.knowledge.watch import is_knowledge_file
from coachbot.store.knowledge_version import KnowledgeVersion, KnowledgeVersionStore

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0


def folder_hash(directory: Path) -> str:
    """A hash of every knowledge file under `directory`: relative names and bytes, in order
    (the same on every machine that has the same files, wherever the folder is)."""
    digest = hashlib.blake2b(digest_size=16)
    names = []
    for root, _, files in os.walk(directory):
        names += [os.path.join(root, name) for name in files if is_knowledge_file(name)]
    for name in sorted(names):
        relative = os.path.relpath(name, directory).replace(os.sep, "/")
        digest.update(relative.encode("utf-8", "surrogatepass") + b"\0")
        with contextlib.suppress(OSError):  # removed while we walked: as if absent
            digest.update(Path(name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class KnowledgeSync:
    """Publishes this process's reloads and follows the other processes' (see module doc)."""

    def __init__(
        self,
        reloader: KnowledgeReloader,
        versions: KnowledgeVersionStore,
        directory: Path,
        clock: Clock,
        *,
        interval: float = POLL_SECONDS,
    ) -> None:
        self._reloader = reloader
        self._versions = versions
        self._directory = Path(directory)
        self._clock = clock
        self.interval = interval
        self.local: str | None = None  # hash of the folder as this process last loaded it
        self._seen: KnowledgeVersion | None = None  # the row as last acted on
        self._following = False
        self._pending: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None
        reloader.subscribe(self._after_reload)

    async def start(self, *, poll: bool = True) -> None:
        """Note what is loaded and published now; then (`poll`) follow the row."""
        self.local = await asyncio.to_thread(folder_hash, self._directory)
        self._seen = await self._versions.get()
        if poll and self._poller is None:
            self._poller = asyncio.create_task(self._poll(), name="coachbot: knowledge sync")

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self.settled()

    async def settled(self) -> None:
        """Wait until every publish this process has started is written."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def poll_once(self) -> ReloadResult | None:
        """Reload when another process published a version this one does not have."""
        latest = await self._versions.get()
        if latest is None or latest == self._seen:
            return None
        self._seen = latest
        if latest.content == self.local:
            return None
        log.info("another process published knowledge %s; reloading", latest.content[:8])
        self._following = True
        try:
            return await self._reloader.reload()
        finally:
            self._following = False

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.poll_once()
            except Exception:  # the database is away for a moment: try again next time
                log.warning("could not read the shared knowledge version", exc_info=True)

    def _after_reload(self, result: ReloadResult) -> None:
        if not result.ok:
            return
        task = asyncio.ensure_future(self._publish(announce=not self._following))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _publish(self, *, announce: bool) -> None:
        self.local = await asyncio.to_thread(folder_hash, self._directory)
        if not announce:
            return
        version = KnowledgeVersion(self.local, self._clock().replace(microsecond=0))
        try:
            await self._versions.put(version)
        except Exception:
            log.warning("could not publish the knowledge version", exc_info=True)
            return
        self._seen = version
