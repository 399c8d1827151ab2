"""Rate limits shared through the database, so N processes do not give N times the allowance.

`DatabaseHits` is the database side of `coachbot.ratelimit.HitStore`, the same sliding window
as `MemoryHits`: a key may act when it has fewer than `rate` hits, or when the oldest of its
last `rate` hits is a whole window old. Each key has `rate` slots (rows); a hit fills a free
slot (INSERT ... ON CONFLICT DO NOTHING) or moves the oldest slot's time forward only if no
other process moved it first (UPDATE ... WHERE at_us = the time read), so each of these single
statements settles a race between processes on SQLite and PostgreSQL alike; the loser reads
again. Keys are stored as a keyed hash (the install salt), never a platform's person id, and
rows a whole window old are deleted (once a window, per process).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from coachbot.ratelimit import Allowance
from coachbot.store.database import Database
from coachbot.store.meta import MetaStore

ATTEMPTS = 8  # reads after losing a race for the same key (one person, several processes)
_US = 1_000_000


# Fill the lowest free slot of a key in one statement (no row: none free, or another process
# filled it first). No WITH: Python's sqlite3 counts changes only for a statement that starts
# INSERT; VALUES names its column column1 in SQLite and PostgreSQL alike.
_FILL_FREE = (
    "INSERT INTO rate_hits (scope, key, slot, at_us)"
    " SELECT ?, ?, column1, ? FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9),"
    " (10), (11), (12), (13), (14), (15)) AS slots"
    " WHERE column1 < ?"
    " AND column1 NOT IN (SELECT slot FROM rate_hits WHERE scope = ? AND key = ?)"
    " ORDER BY column1 LIMIT 1 ON CONFLICT DO NOTHING"
)
_FILL_FREE_SLOTS = 16  # an allowance of more per window takes the longer way


class DatabaseHits:
    """A `HitStore` in the `rate_hits` table; `scope` names the limit (e.g. "ask")."""

    def __init__(self, database: Database, scope: str) -> None:
        self._db = database
        self._scope = scope
        self._salt: str | None = None
        self._purged_us = 0

    async def hit(self, key: str, now: datetime, allowance: Allowance) -> float:
        stored = await self._key(key)
        now_us = round(now.timestamp() * _US)
        window_us = round(allowance.per * _US)
        await self._purge(now_us, window_us)
        if allowance.rate <= _FILL_FREE_SLOTS and await self._db.execute(
            _FILL_FREE, (self._scope, stored, now_us, allowance.rate, self._scope, stored)
        ):
            return 0.0  # the usual case: a free slot, one round trip
        for _ in range(ATTEMPTS):
            rows = await self._db.fetch(
                "SELECT slot, at_us FROM rate_hits WHERE scope = ? AND key = ?",
                (self._scope, stored),
            )
            used = {int(slot): int(at) for slot, at in rows if int(slot) < allowance.rate}
            free = next((s for s in range(allowance.rate) if s not in used), None)
            if free is not None:
                if await self._db.execute(
                    "INSERT INTO rate_hits (scope, key, slot, at_us) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (self._scope, stored, free, now_us),
                ):
                    return 0.0
                continue  # another process filled that slot first
            slot, oldest = min(used.items(), key=lambda item: item[1])
            if now_us - oldest < window_us:
                return (oldest + window_us - now_us) / _US
            if await self._db.execute(
                "UPDATE rate_hits SET at_us = ? WHERE scope = ? AND key = ? AND slot = ?"
                " AND at_us = ?",
                (now_us, self._scope, stored, slot, oldest),
            ):
                return 0.0
        # lost every race: another process keeps hitting for this key; count nothing
        return allowance.per / allowance.rate

    async def _key(self, key: str) -> str:
        if self._salt is None:
            self._salt = await MetaStore(self._db).install_salt()
        digest = hashlib.blake2b(key.encode(), key=self._salt.encode()[:64], digest_size=16)
        return digest.hexdigest()

    async def _purge(self, now_us: int, window_us: int) -> None:
        """Delete hits a whole window old (they no longer count), once a window."""
        if now_us - self._purged_us < window_us:
            return
        self._purged_us = now_us
        await self._db.execute(
            "DELETE FROM rate_hits WHERE scope = ? AND at_us <= ?",
            (self._scope, now_us - window_us),
        )
