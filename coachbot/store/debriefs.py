"""Scrubbed, authorless debriefs; each team's digest channel; "this helped me" marks."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coachbot.store.database import Database
from coachbot.store.dialect import POSTGRESQL

log = logging.getLogger(__name__)


class DebriefStatus(StrEnum):
    """Where a debrief is on its way to the team; the values are what the database stores
    (migration 0004 checks them)."""

    REVIEW = "review"  # waits for a trainer's approval before it may be shared
    WAITING = "waiting"  # waits for the next digest with enough others to hide its author
    SHARED = "shared"  # posted in a digest


@dataclass(frozen=True)
class StoredDebrief:
    id: str
    guild_id: str
    day: date
    what_happened: str
    what_tried: str
    what_worked: str
    next_time: str
    topic_id: str | None
    status: DebriefStatus


@dataclass(frozen=True)
class DigestChannel:
    guild_id: str
    channel_id: str
    local_time: str
    timezone: str
    review: bool


@dataclass(frozen=True)
class ExportedDebrief:
    debrief: StoredDebrief
    helped: int


_COLUMNS = "id, guild_id, day, what_happened, what_tried, what_worked, next_time, topic_id, status"
_STORED = f"{_COLUMNS}, delete_hash, shared_on"  # every column: what a rewrite carries over


_INSERT = f"INSERT INTO debriefs ({_STORED}) VALUES ({', '.join(['?'] * 11)})"


def _debrief(row) -> StoredDebrief:
    return StoredDebrief(
        row[0], row[1], date.fromisoformat(row[2]), *row[3:8], DebriefStatus(row[8])
    )


class DebriefStore:
    def __init__(self, database: Database, rng: random.Random | None = None) -> None:
        self._db = database
        # the order of a day's rewrite on PostgreSQL (see `add`); the OS's randomness unless
        # a test passes a seeded one
        self._rng = rng or random.SystemRandom()

    async def _rows(self, sql: str, params: tuple | list = ()) -> list:
        return await self._db.fetch(sql, params)

    async def add(self, debrief: StoredDebrief, delete_hash: str) -> None:
        """Store a new debrief. On PostgreSQL the day's unshared debriefs are written again with
        it, in a shuffled order, in one transaction (see `_add_shuffled`)."""
        row = (
            debrief.id,
            debrief.guild_id,
            debrief.day.isoformat(),
            debrief.what_happened,
            debrief.what_tried,
            debrief.what_worked,
            debrief.next_time,
            debrief.topic_id,
            str(debrief.status),
            delete_hash,
            None,  # shared_on
        )
        if self._db.dialect == POSTGRESQL:
            await self._add_shuffled(row)
        else:  # SQLite keeps debriefs WITHOUT ROWID, in the order of their random ids
            await self._db.execute(_INSERT, row)

    async def _add_shuffled(self, row: tuple) -> None:
        """Why: a PostgreSQL row carries `xmin` (the number of the transaction that wrote it,
        which grows) and a physical position (`ctid`, in writing order), so a database
        administrator could read the order in which a day's debriefs came in. Deleting the
        day's unshared debriefs and inserting them again with the new one, shuffled, in one
        transaction gives them all one `xmin` and positions in a random order. Shared
        debriefs (and any with "this helped me" marks) are left alone. VACUUM then prunes
        the old row versions, which still carry the old `xmin`. What remains: docs (privacy).
        """
        guild_id, day = row[1], row[2]
        async with self._db.transaction() as tx:
            rows = await tx.fetch(
                "DELETE FROM debriefs WHERE guild_id = ? AND day = ? AND status <> ?"
                " AND NOT EXISTS (SELECT 1 FROM debrief_helped h WHERE h.debrief_id = debriefs.id)"
                f" RETURNING {_STORED}",
                (guild_id, day, str(DebriefStatus.SHARED)),
            )
            rows.append(row)
            self._rng.shuffle(rows)
            await tx.executemany(_INSERT, rows)
        try:
            await self._db.execute("VACUUM debriefs")
        except self._db.errors as exc:  # the rewrite stands; autovacuum prunes them later
            log.warning("could not vacuum debriefs after a rewrite: %s", type(exc).__name__)

    async def delete(self, delete_hash: str) -> bool:
        """Delete by the author's code; its text leaves the WAL too (`Database.erase_deleted`)."""
        return await self._delete("DELETE FROM debriefs WHERE delete_hash = ?", delete_hash)

    async def delete_by_id(self, debrief_id: str) -> bool:
        return await self._delete("DELETE FROM debriefs WHERE id = ?", debrief_id)

    async def _delete(self, sql: str, key: str) -> bool:
        if await self._db.execute(sql, (key,)) != 1:
            return False
        await self._db.erase_deleted()
        return True

    async def get(self, debrief_id: str) -> StoredDebrief | None:
        rows = await self._rows(f"SELECT {_COLUMNS} FROM debriefs WHERE id = ?", (debrief_id,))
        return _debrief(rows[0]) if rows else None

    async def with_status(self, guild_id: str, status: DebriefStatus) -> list[StoredDebrief]:
        """Ordered by id, which is random: the order says nothing about when they came."""
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM debriefs WHERE guild_id = ? AND status = ? ORDER BY id",
            (guild_id, status),
        )
        return [_debrief(r) for r in rows]

    async def set_status(
        self, debrief_id: str, status: DebriefStatus, shared_on: date | None = None
    ) -> bool:
        changed = await self._db.execute(
            "UPDATE debriefs SET status = ?, shared_on = ? WHERE id = ?",
            (str(status), shared_on.isoformat() if shared_on else None, debrief_id),
        )
        return changed == 1

    async def since(self, guild_id: str, start: date) -> list[StoredDebrief]:
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM debriefs WHERE guild_id = ? AND day >= ? ORDER BY day, id",
            (guild_id, start.isoformat()),
        )
        return [_debrief(r) for r in rows]

    async def save_channel(self, channel: DigestChannel) -> None:
        await self._db.execute(
            "INSERT INTO debrief_channels (guild_id, channel_id, local_time, timezone, review)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
            " channel_id = excluded.channel_id, local_time = excluded.local_time,"
            " timezone = excluded.timezone, review = excluded.review",
            (
                channel.guild_id,
                channel.channel_id,
                channel.local_time,
                channel.timezone,
                int(channel.review),
            ),
        )

    async def channels(self) -> list[DigestChannel]:
        rows = await self._rows(
            "SELECT guild_id, channel_id, local_time, timezone, review FROM debrief_channels"
        )
        return [DigestChannel(g, c, t, z, bool(r)) for g, c, t, z, r in rows]

    async def channel(self, guild_id: str) -> DigestChannel | None:
        return next((c for c in await self.channels() if c.guild_id == guild_id), None)

    async def claim_digest(self, guild_id: str, local_date: date) -> bool:
        inserted = await self._db.execute(
            "INSERT INTO debrief_digests (guild_id, local_date) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
            (guild_id, local_date.isoformat()),
        )
        return inserted == 1

    async def release_digest(self, guild_id: str, local_date: date) -> None:
        """Forget a claim whose digest could not be posted, so a later tick may try again."""
        await self._db.execute(
            "DELETE FROM debrief_digests WHERE guild_id = ? AND local_date = ?"
            " AND message_id IS NULL",
            (guild_id, local_date.isoformat()),
        )

    async def mark_shared(
        self, guild_id: str, local_date: date, debrief_ids: list[str], message_id: str
    ) -> int:
        """After Discord accepted the digest: its debriefs are shared; returns how many."""
        await self._db.execute(
            "UPDATE debrief_digests SET message_id = COALESCE(message_id, ?)"
            " WHERE guild_id = ? AND local_date = ?",
            (message_id, guild_id, local_date.isoformat()),
        )
        shared = 0
        for debrief_id in debrief_ids:  # a digest holds a handful: one statement each
            shared += await self._db.execute(
                "UPDATE debriefs SET status = ?, shared_on = ?"
                " WHERE id = ? AND guild_id = ? AND status = ?",
                (
                    str(DebriefStatus.SHARED),
                    local_date.isoformat(),
                    debrief_id,
                    guild_id,
                    str(DebriefStatus.WAITING),
                ),
            )
        return shared

    async def exported(self, start: date | None, guild_id: str | None) -> list[ExportedDebrief]:
        """Every debrief (from `start`, of one guild if given) with its helped count, ordered by
        guild, day and the random id: the order says nothing about who wrote first."""
        sql = (
            f"SELECT {', '.join('d.' + c for c in _COLUMNS.split(', '))},"
            " (SELECT COUNT(*) FROM debrief_helped h WHERE h.debrief_id = d.id)"
            " FROM debriefs d WHERE d.day >= ?"
        )
        params: list[object] = [(start or date.min).isoformat()]
        if guild_id is not None:
            sql += " AND d.guild_id = ?"
            params.append(guild_id)
        rows = await self._rows(sql + " ORDER BY d.guild_id, d.day, d.id", params)
        return [ExportedDebrief(_debrief(row), int(row[9])) for row in rows]

    async def mark_helped(self, debrief_id: str, voter_key: str) -> bool:
        inserted = await self._db.execute(
            "INSERT INTO debrief_helped (debrief_id, voter_key)"
            " SELECT CAST(? AS TEXT), CAST(? AS TEXT)"
            " WHERE EXISTS (SELECT 1 FROM debriefs WHERE id = ?)"
            " ON CONFLICT DO NOTHING",
            (debrief_id, voter_key, debrief_id),
        )
        return inserted == 1

    async def helped_counts(self, guild_id: str) -> dict[str, int]:
        rows = await self._rows(
            "SELECT h.debrief_id, COUNT(*) FROM debrief_helped h"
            " JOIN debriefs d ON d.id = h.debrief_id WHERE d.guild_id = ? GROUP BY h.debrief_id",
            (guild_id,),
        )
        return {d: int(n) for d, n in rows}
