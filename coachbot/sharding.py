"""Which Discord shards one process runs, from COACHBOT_SHARD_COUNT and COACHBOT_SHARD_IDS.

Discord requires sharding past 2,500 servers: each gateway connection (shard) carries the
servers whose `(guild_id >> 22) % count` is its number. Several processes split the shards
between them; all of them must agree on the count.
"""

from __future__ import annotations

from dataclasses import dataclass

from coachbot.errors import CoachError


@dataclass(frozen=True)
class Sharding:
    """The Discord shards one process runs. `count` None: ask Discord how many (all of them
    run here); `ids` None: every shard of `count` runs here."""

    count: int | None
    ids: tuple[int, ...] | None

    @classmethod
    def parse(cls, count_text: str, ids_text: str) -> Sharding | None:
        """COACHBOT_SHARD_COUNT and COACHBOT_SHARD_IDS as set (both empty: not sharded).
        Raises CoachError naming the setting and the fix."""
        count_text, ids_text = count_text.strip(), ids_text.strip()
        if not count_text and not ids_text:
            return None
        if count_text.lower() == "auto":
            if ids_text:
                raise CoachError(
                    "COACHBOT_SHARD_IDS needs a number in COACHBOT_SHARD_COUNT (the shards of "
                    "all processes together), not auto."
                )
            return cls(None, None)
        if not count_text:
            raise CoachError(
                "COACHBOT_SHARD_IDS needs COACHBOT_SHARD_COUNT: the number of shards of all "
                "processes together, e.g. COACHBOT_SHARD_COUNT=2."
            )
        if not count_text.isdigit() or int(count_text) < 1:
            raise CoachError(
                f"COACHBOT_SHARD_COUNT must be a whole number of 1 or more, or auto; "
                f"it is {count_text[:20]!r}."
            )
        count = int(count_text)
        if not ids_text:
            return cls(count, None)
        parts = [part.strip() for part in ids_text.split(",")]
        if not all(part.isdigit() for part in parts):
            raise CoachError(
                f"COACHBOT_SHARD_IDS must be shard numbers separated by commas, e.g. 0,1; "
                f"it is {ids_text[:40]!r}."
            )
        ids = tuple(int(part) for part in parts)
        outside = [i for i in ids if i >= count]
        if outside:
            raise CoachError(
                f"COACHBOT_SHARD_IDS has shard {outside[0]}, but with COACHBOT_SHARD_COUNT="
                f"{count} the shards are numbered 0 to {count - 1}."
            )
        if len(set(ids)) != len(ids):
            raise CoachError(f"COACHBOT_SHARD_IDS names a shard twice: {ids_text[:40]!r}.")
        return cls(count, tuple(sorted(ids)))

    def describe(self) -> str:
        if self.count is None:
            return "every shard Discord recommends, in this process"
        if self.ids is None:
            return f"all {self.count} shards in this process"
        shards = ", ".join(map(str, self.ids))
        return f"shard{'s' if len(self.ids) > 1 else ''} {shards} of {self.count}"
