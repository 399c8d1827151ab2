"""Debriefs: scrub a draft, store it with no author, share it in shuffled digests of k or more.

The raw text exists only in the `Draft` the adapter keeps in memory for the preview; only
the scrubbed fields ever reach the store, and no log line here carries any text.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from coachbot.clock import Clock
from coachbot.debrief.scrub.placeholders import without_placeholders
from coachbot.debrief.scrubber import scrub
from coachbot.debrief.themes import Theme, analyse, group
from coachbot.errors import InvalidInput
from coachbot.knowledge.live import LiveKnowledge
from coachbot.store.debriefs import DebriefStatus, DebriefStore, DigestChannel, StoredDebrief
from coachbot.store.meta import MetaStore
from coachbot.timetable import due_posts, parse_daily

MIN_BATCH = 3  # fewer than three in a digest would let a team guess the author
MAX_FIELD_CHARS = 1500
FIELDS = ("what_happened", "what_tried", "what_worked", "next_time")
LABELS = {
    "what_happened": "What happened",
    "what_tried": "What I tried",
    "what_worked": "What worked, or did not",
    "next_time": "What I would do differently",
}
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


@dataclass(frozen=True)
class Draft:
    """A debrief being previewed: the scrubbed fields and what was removed (counts only)."""

    guild_id: str
    fields: dict[str, str]
    redactions: dict[str, int]
    topic_id: str | None


@dataclass(frozen=True)
class Digest:
    channel: DigestChannel
    local_date: date
    debriefs: tuple[StoredDebrief, ...]


def _normal(text: str) -> str:
    return (text or "").replace("\r", "").strip()


class DebriefService:
    def __init__(
        self,
        knowledge: Callable[[], LiveKnowledge],
        store: DebriefStore,
        meta: MetaStore,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self._knowledge = knowledge
        self.store = store
        self._meta = meta
        self._clock = clock
        self._rng = rng

    def prepare(
        self,
        guild_id: str,
        raw: dict[str, str],
        *,
        topic_hint: str = "",
        known_names: Iterable[str] = (),
    ) -> Draft:
        """Scrub every field; refuse an empty or oversized debrief with a clear message."""
        names = tuple(known_names)
        fields: dict[str, str] = {}
        redactions: Counter[str] = Counter()
        for key in FIELDS:
            text = _normal(raw.get(key, ""))
            if len(text) > MAX_FIELD_CHARS:
                raise InvalidInput(
                    f"'{LABELS[key]}' is {len(text):,} characters; keep each answer under "
                    f"{MAX_FIELD_CHARS:,} so the team reads it."
                )
            cleaned = scrub(text, known_names=names)
            fields[key] = cleaned.text
            redactions.update(cleaned.redactions)
        if not any(fields.values()):
            raise InvalidInput("The debrief is empty: tell the team at least what happened.")
        if not any(_has_words(v) for v in fields.values()):
            raise InvalidInput(
                "After removing personal details nothing is left to share. Describe the "
                "situation and what you tried, without names or numbers."
            )
        return Draft(guild_id, fields, dict(redactions), self._topic(fields, topic_hint))

    def _topic(self, fields: dict[str, str], hint: str) -> str | None:
        live = self._knowledge()
        hint = hint.strip().lower()
        if hint in live.kb.by_id:
            return hint
        text = " ".join([hint, fields["what_happened"], fields["what_tried"]])[:1000]
        result = live.matcher.match(text)
        if result.topic_id:
            return result.topic_id
        return result.ranked[0].topic_id if result.ranked else None

    async def submit(self, draft: Draft) -> str:
        """Store the scrubbed debrief; return the deletion code, which is never stored."""
        channel = await self.store.channel(draft.guild_id)
        status = DebriefStatus.REVIEW if channel and channel.review else DebriefStatus.WAITING
        code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
        debrief = StoredDebrief(
            id=secrets.token_hex(12),
            guild_id=draft.guild_id,
            day=self._clock().date(),
            topic_id=draft.topic_id,
            status=status,
            **draft.fields,
        )
        await self.store.add(debrief, await self._hash(code))
        return code

    async def delete(self, code: str) -> bool:
        cleaned = "".join(ch for ch in code.upper() if ch.isalnum())[:24]
        if len(cleaned) != 12:
            raise InvalidInput("A deletion code looks like ABCD-EFGH-JKMN.")
        formatted = "-".join(cleaned[n : n + 4] for n in range(0, 12, 4))
        return await self.store.delete(await self._hash(formatted))

    async def _hash(self, code: str) -> str:
        salt = await self._meta.install_salt()
        return hashlib.sha256(f"debrief\x1f{salt}\x1f{code}".encode()).hexdigest()

    async def set_channel(
        self, guild_id: str, channel_id: str, time_text: str, timezone_text: str, review: bool
    ) -> DigestChannel:
        schedule = parse_daily(
            guild_id=guild_id,
            channel_id=channel_id,
            time_text=time_text,
            timezone_text=timezone_text,
        )
        channel = DigestChannel(
            guild_id, channel_id, f"{schedule.local_time:%H:%M}", schedule.timezone, review
        )
        await self.store.save_channel(channel)
        return channel

    async def due_digests(self, owns: Callable[[str], bool] | None = None) -> list[Digest]:
        """Digests due now with at least MIN_BATCH debriefs waiting, shuffled, claimed once;
        only for the teams (guild ids) `owns` accepts, when given.

        Nothing is marked shared here: the scheduler calls `mark_posted` once the platform
        accepted a message, or `release` when posting failed, so a failed post loses no debrief.
        """
        now = self._clock()
        digests = []
        for channel in await self.store.channels():
            if owns is not None and not owns(channel.guild_id):
                continue
            schedule = parse_daily(
                guild_id=channel.guild_id,
                channel_id=channel.channel_id,
                time_text=channel.local_time,
                timezone_text=channel.timezone,
            )
            for due in due_posts([schedule], now):
                waiting = await self.store.with_status(channel.guild_id, DebriefStatus.WAITING)
                if len(waiting) < MIN_BATCH:
                    continue
                if not await self.store.claim_digest(channel.guild_id, due.local_date):
                    continue
                self._rng.shuffle(waiting)
                digests.append(Digest(channel, due.local_date, tuple(waiting)))
        return digests

    async def mark_posted(
        self, digest: Digest, message_id: str, debriefs: Iterable[StoredDebrief] | None = None
    ) -> int:
        """Discord accepted (part of) the digest: those debriefs are shared now.

        `debriefs` defaults to the whole digest; a digest sent as several messages marks each
        message's debriefs as it goes, so a failure halfway keeps the rest waiting.
        """
        chosen = digest.debriefs if debriefs is None else tuple(debriefs)
        return await self.store.mark_shared(
            digest.channel.guild_id, digest.local_date, [d.id for d in chosen], message_id
        )

    async def release(self, digest: Digest) -> None:
        """Posting failed before any message went out: give up today's claim so that the next
        tick within the posting window tries again. The debriefs never stopped waiting."""
        await self.store.release_digest(digest.channel.guild_id, digest.local_date)

    async def pending_review(self, guild_id: str) -> list[StoredDebrief]:
        return await self.store.with_status(guild_id, DebriefStatus.REVIEW)

    async def review(self, debrief_id: str, approve: bool) -> bool:
        debrief = await self.store.get(debrief_id)
        if debrief is None or debrief.status != DebriefStatus.REVIEW:
            return False
        if approve:
            return await self.store.set_status(debrief_id, DebriefStatus.WAITING)
        return await self.store.delete_by_id(debrief_id)

    async def helped(self, debrief_id: str, voter: str) -> bool | None:
        """True when counted, False when this person already said so, None when the
        debrief is gone (its author deleted it)."""
        if await self.store.get(debrief_id) is None:
            return None
        salt = await self._meta.install_salt()
        key = hashlib.sha256(f"helped\x1f{salt}\x1f{debrief_id}\x1f{voter}".encode()).hexdigest()
        return await self.store.mark_helped(debrief_id, key)

    async def report(self, guild_id: str, days: int = 90) -> DebriefReport:
        """What the team's tough calls were about over the last `days` days.

        Only debriefs that are waiting or shared count: one in review has not been approved
        yet (a trainer may still reject it as off-topic or not anonymous enough), so none of
        its sentences may be quoted here. How many wait for review is reported apart.
        """
        start = self._clock().date() - timedelta(days=days)
        everything = await self.store.since(guild_id, start)
        rows = [d for d in everything if d.status in (DebriefStatus.WAITING, DebriefStatus.SHARED)]
        by_topic = Counter(d.topic_id or "(no topic)" for d in rows)
        by_week = Counter(d.day - timedelta(days=d.day.weekday()) for d in rows)
        helped = await self.store.helped_counts(guild_id)
        counted = {d.id for d in rows}
        worked = [d for d in rows if d.what_worked]
        terms = self._knowledge().matcher.analyzer.terms
        happened = analyse([d.what_happened for d in rows], [d.topic_id for d in rows], terms)
        worked_items = analyse([d.what_worked for d in worked], [d.topic_id for d in worked], terms)
        situations, what_worked = await asyncio.to_thread(  # grouping is CPU work: off the loop
            lambda: (
                group(happened, limit=REPORT_THEMES),
                group(worked_items, limit=REPORT_THEMES),
            )
        )
        return DebriefReport(
            total=len(rows),
            by_topic=tuple(sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0]))),
            by_week=tuple(sorted(by_week.items())),
            helped=sum(n for debrief_id, n in helped.items() if debrief_id in counted),
            situations=situations,
            what_worked=what_worked,
            in_review=len(everything) - len(rows),
        )


REPORT_THEMES = 5


@dataclass(frozen=True)
class DebriefReport:
    total: int
    by_topic: tuple[tuple[str, int], ...]
    by_week: tuple[tuple[date, int], ...]
    helped: int
    situations: tuple[Theme, ...] = ()
    what_worked: tuple[Theme, ...] = ()
    in_review: int = 0


def _has_words(text: str) -> bool:
    """True if something other than placeholders is left to read."""
    return sum(ch.isalpha() for ch in without_placeholders(text)) >= 3
