"""Debrief drafts: the raw text an agent is previewing, in memory only and bounded.

A draft lives until it is submitted, discarded or DRAFT_SECONDS old. Each author keeps at most
DRAFTS_PER_AUTHOR (a new one replaces their oldest), and scrubbing a preview, which is CPU work,
is allowed PREVIEW_RATE times per PREVIEW_PER seconds per author: one person submitting the form
in a loop can neither fill the memory nor keep the bot busy. The clock is passed in.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from coachbot.clock import Clock
from coachbot.debrief.service import Draft
from coachbot.ratelimit import PREVIEW, Allowance, MemoryHits, RateLimiter

DRAFT_SECONDS = 30 * 60
DRAFTS_PER_AUTHOR = 3
PREVIEW_RATE, PREVIEW_PER = PREVIEW.rate, PREVIEW.per  # five previews a minute per author


@dataclass
class PendingDraft:
    """What the agent typed (raw, never stored) and, once scrubbed, the preview's Draft."""

    author: str
    raw: dict[str, str]
    topic_hint: str
    expires: datetime
    draft: Draft | None = None


class DraftStore:
    """Drafts by token, a few per author, and each author's recent previews for the rate."""

    def __init__(
        self,
        clock: Clock,
        *,
        seconds: float = DRAFT_SECONDS,
        per_author: int = DRAFTS_PER_AUTHOR,
        rate: int = PREVIEW_RATE,
        per: float = PREVIEW_PER,
    ) -> None:
        self._clock = clock
        self._lifetime = timedelta(seconds=seconds)
        self._per_author = per_author
        # in this process, like the drafts themselves (raw text never leaves it)
        self._preview_hits = MemoryHits()
        self._previews = RateLimiter(Allowance(rate, per), clock, self._preview_hits)
        self._drafts: dict[str, PendingDraft] = {}
        self._tokens: dict[str, OrderedDict[str, None]] = {}  # author -> tokens, oldest first

    def __len__(self) -> int:
        return len(self._drafts)

    def put(self, token: str, author: str, raw: dict[str, str], topic_hint: str) -> PendingDraft:
        """Keep (or replace) a draft; the author's oldest goes when they have too many."""
        self._drop(token)
        pending = PendingDraft(author, dict(raw), topic_hint, self._clock() + self._lifetime)
        self._drafts[token] = pending
        mine = self._tokens.setdefault(author, OrderedDict())
        mine[token] = None
        while len(mine) > self._per_author:
            self._drop(next(iter(mine)))
        return pending

    def take(self, token: str, author: str, *, keep: bool) -> PendingDraft | None:
        """The author's live draft under `token` (removed unless `keep`), else None."""
        pending = self._drafts.get(token)
        if pending is None or pending.author != author:
            return None
        if pending.expires < self._clock():
            self._drop(token)
            return None
        if not keep:
            self._drop(token)
        return pending

    async def slow_down(self, author: str) -> float:
        """Seconds the author must wait before the next preview; 0 counts this one as done."""
        return await self._previews.hit(author)

    def purge(self) -> int:
        """Forget expired drafts and stale rate records; return how many drafts went."""
        now = self._clock()
        expired = [token for token, pending in self._drafts.items() if pending.expires < now]
        for token in expired:
            self._drop(token)
        self._preview_hits.purge(now, self._previews.allowance)
        return len(expired)

    def _drop(self, token: str) -> None:
        pending = self._drafts.pop(token, None)
        if pending is None:
            return
        mine = self._tokens.get(pending.author)
        if mine is not None:
            mine.pop(token, None)
            if not mine:
                del self._tokens[pending.author]
