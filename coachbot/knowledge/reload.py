"""Live reload: the whole new knowledge base is loaded and validated first, then swapped in.

The load runs in a worker thread, so agents keep getting answers from the old version while
it runs. Only a load with no problem at all is swapped in, in one assignment, so every ask
runs on one complete version (services read `App.knowledge` once per request). On any
problem the old version stays live and the caller gets every problem as `file:line:col`.

Reloads run one at a time. Requests that arrive while one runs share a single follow-up
reload, which starts after it and so sees every edit made before they asked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from coachbot.clock import Clock
from coachbot.errors import KnowledgeError
from coachbot.knowledge.diff import KnowledgeDiff, diff_knowledge
from coachbot.knowledge.live import LiveKnowledge

log = logging.getLogger(__name__)

UNEXPECTED = "the reload failed unexpectedly; the details are in the bot's log"


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    version: int  # the version live after this reload (unchanged when it failed)
    at: datetime
    changes: KnowledgeDiff | None = None  # on success
    problems: tuple[str, ...] = ()  # on failure: every problem, `file:line:col: message`


@dataclass(frozen=True)
class KnowledgeStatus:
    version: int  # 1 at start, +1 per successful reload
    loaded_at: datetime
    topics: int
    quiz_items: int
    synonym_groups: int
    out_of_scope: int
    last_failure: ReloadResult | None  # the latest reload, if it failed


class KnowledgeReloader:
    """Owned by App. `load` reads the files; `current` and `swap` get and set the live version."""

    def __init__(
        self,
        load: Callable[[], LiveKnowledge],
        current: Callable[[], LiveKnowledge],
        swap: Callable[[LiveKnowledge], None],
        clock: Clock,
    ) -> None:
        self._load = load
        self._current = current
        self._swap = swap
        self._clock = clock
        self.version = 1
        self.loaded_at = clock()
        self.last_failure: ReloadResult | None = None
        self._requested = 0  # reload requests so far, numbered from 1
        self._done_through = 0  # every request up to this one has its answer in _last
        self._running: asyncio.Future[ReloadResult] | None = None
        self._last: ReloadResult | None = None
        self._listeners: list[Callable[[ReloadResult], None]] = []

    @property
    def reloading(self) -> bool:
        return self._running is not None

    def subscribe(self, listener: Callable[[ReloadResult], None]) -> Callable[[], None]:
        """Call `listener` with every reload's result; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def status(self) -> KnowledgeStatus:
        kb = self._current().kb
        return KnowledgeStatus(
            version=self.version,
            loaded_at=self.loaded_at,
            topics=len(kb.topics),
            quiz_items=len(kb.quiz),
            synonym_groups=len(kb.synonyms),
            out_of_scope=len(kb.out_of_scope),
            last_failure=self.last_failure,
        )

    async def reload(self) -> ReloadResult:
        """Reload from the files; the result of a reload that started after this call."""
        self._requested += 1
        ticket = self._requested
        while self._done_through < ticket:
            if self._running is None:  # this reload answers every request made until now
                self._running = asyncio.ensure_future(self._run(through=self._requested))
            # shielded: a caller that gives up (a cancelled interaction) never stops a reload
            await asyncio.shield(self._running)
        assert self._last is not None
        return self._last

    async def _run(self, through: int) -> ReloadResult:
        try:
            old = self._current()
            try:
                new, changes = await asyncio.to_thread(self._load_and_compare, old)
            except KnowledgeError as exc:
                result = self._failed(tuple(exc.problems))
            except Exception:  # a bug or an OS failure: the old version stays, like any error
                log.exception("knowledge reload failed unexpectedly")
                result = self._failed((UNEXPECTED,))
            else:
                self._swap(new)  # the one assignment that makes the new version live
                self.version += 1
                self.loaded_at = self._clock()
                self.last_failure = None
                result = ReloadResult(True, self.version, self.loaded_at, changes=changes)
                log.info("knowledge version %d is live: %s", self.version, changes.summary())
            self._last, self._done_through = result, through
            for listener in list(self._listeners):
                try:
                    listener(result)
                except Exception:  # a listener's bug must not undo a reload
                    log.exception("a knowledge reload listener failed")
            return result
        finally:
            self._running = None

    def _load_and_compare(self, old: LiveKnowledge) -> tuple[LiveKnowledge, KnowledgeDiff]:
        """In the worker thread: the new version, complete, and what changed."""
        new = self._load()
        return new, diff_knowledge(old.kb, new.kb)

    def _failed(self, problems: tuple[str, ...]) -> ReloadResult:
        result = ReloadResult(False, self.version, self._clock(), problems=problems)
        self.last_failure = result
        return result
