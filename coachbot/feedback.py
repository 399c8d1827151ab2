"""Helpful / not-helpful votes on cards, counted per topic and never tied to a person.

The adapter names the card and the voter with opaque strings (on Discord: the message id
and the user id). They are hashed with an installation salt that stays in the database, so
a vote can be repeated or changed without counting twice, yet the table holds no user id.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from coachbot.clock import Clock
from coachbot.store.meta import MetaStore
from coachbot.store.votes import TopicVotes, VoteStore


class VoteOutcome(StrEnum):
    RECORDED = "recorded"
    UNCHANGED = "unchanged"  # the same vote again: not counted twice
    CHANGED = "changed"  # helpful -> not helpful, or back


# What the voter is told, on every platform: (outcome, helpful) -> reply.
VOTE_REPLIES = {
    (VoteOutcome.RECORDED, True): "Thanks, glad it helped.",
    (VoteOutcome.RECORDED, False): "Thanks for saying so: trainers see which cards need work.",
    (VoteOutcome.UNCHANGED, True): "You already marked this card helpful; it counts once.",
    (VoteOutcome.UNCHANGED, False): "You already marked this card not helpful; it counts once.",
    (VoteOutcome.CHANGED, True): "Changed your vote to helpful.",
    (VoteOutcome.CHANGED, False): "Changed your vote to not helpful.",
}


class FeedbackService:
    def __init__(self, votes: VoteStore, meta: MetaStore, clock: Clock) -> None:
        self._votes = votes
        self._meta = meta
        self._clock = clock
        self._salt: str | None = None

    async def vote(
        self, topic_id: str, helpful: bool, *, card: str, voter: str, guild_id: str | None = None
    ) -> VoteOutcome:
        key = await self._vote_key(card, voter)
        before = await self._votes.previous(key)
        if before is helpful:
            return VoteOutcome.UNCHANGED
        await self._votes.cast(key, topic_id, helpful, self._clock().date(), guild_id)
        return VoteOutcome.RECORDED if before is None else VoteOutcome.CHANGED

    async def per_topic(self) -> list[TopicVotes]:
        return await self._votes.per_topic()

    async def _vote_key(self, card: str, voter: str) -> str:
        if self._salt is None:
            self._salt = await self._meta.install_salt()
        material = f"{self._salt}\x1f{card}\x1f{voter}".encode()
        return hashlib.sha256(material).hexdigest()
