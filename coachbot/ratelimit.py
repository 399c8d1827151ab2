"""Rate limits: at most `rate` actions per `per` seconds for each key, on a clock passed in.

One limiter for every limit CoachBot sets (questions per agent, debrief previews per author)
and every platform (a key names the platform's person, e.g. "discord:123" or "slack:T1:U2").
The counting sits behind `HitStore`: `MemoryHits` keeps each key's latest hits in this
process, bounded and purged; when several processes serve one team (PostgreSQL, or
COACHBOT_MULTI_PROCESS=1) App counts asks in the database instead
(coachbot.store.ratelimits.DatabaseHits), so N processes give one allowance, not N.

    limiter = RateLimiter(ASK, clock)
    wait = await limiter.hit(key)  # 0.0: counted, go ahead; else seconds to wait (nothing counted)
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from coachbot.clock import Clock


@dataclass(frozen=True)
class Allowance:
    """`rate` actions per `per` seconds (a sliding window: the oldest of the last `rate`)."""

    rate: int
    per: float

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.per)


ASK = Allowance(5, 30.0)  # questions per agent, by slash command or by message, each
PREVIEW = Allowance(5, 60.0)  # debrief previews per author (scrubbing is CPU work)
PURGE_AT = 1024  # MemoryHits looks for quiet keys once it holds this many (then twice as many)


class HitStore(Protocol):
    """Where hits are counted (MemoryHits, or DatabaseHits in the store), which keeps itself
    bounded (expiring old hits) as it sees fit."""

    async def hit(self, key: str, now: datetime, allowance: Allowance) -> float:
        """Count a hit for `key` at `now` if the allowance has room and return 0.0; else count
        nothing and return the seconds until it has room."""
        ...


class MemoryHits:
    """Each key's latest `rate` hit times, in this process (lost on a restart: harmless).
    Keys quiet for a whole window are dropped now and then, so memory stays bounded."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[datetime]] = {}
        self._purge_at = PURGE_AT

    def __len__(self) -> int:
        return len(self._hits)

    async def hit(self, key: str, now: datetime, allowance: Allowance) -> float:
        recent = self._hits.get(key)
        if recent is None:
            if len(self._hits) >= self._purge_at:
                self.purge(now, allowance)
                self._purge_at = max(PURGE_AT, 2 * len(self._hits))
            recent = self._hits[key] = deque(maxlen=allowance.rate)
        if len(recent) == allowance.rate and now - recent[0] < allowance.window:
            return (recent[0] + allowance.window - now).total_seconds()
        recent.append(now)
        return 0.0

    def purge(self, now: datetime, allowance: Allowance) -> None:
        """Forget keys whose latest hit is a whole window old."""
        stale = [k for k, times in self._hits.items() if now - times[-1] >= allowance.window]
        for key in stale:
            del self._hits[key]


class RateLimiter:
    """One allowance over many keys, on the clock it is given."""

    def __init__(self, allowance: Allowance, clock: Clock, store: HitStore | None = None) -> None:
        self.allowance = allowance
        self._clock = clock
        self._store: HitStore = store if store is not None else MemoryHits()

    async def hit(self, key: str) -> float:
        """0.0 if `key` may act now (and this counts), else the seconds it must wait (> 0)."""
        return await self._store.hit(key, self._clock(), self.allowance)
