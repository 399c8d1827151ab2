"""Learn from what agents pick: their questions become proposed example questions.

When an agent picks a topic after a clarify or a decline, or opens a related card after
marking one "Not helpful", the scrubbed question and the topic chosen are counted (no
identity, as with every ask). Trainers list the proposals per topic, most picked first, and
accept (the question is appended to the topic file, linted first, and the knowledge reloaded)
or reject (it never comes back).

How adapters call this:
- Chat adapters that keep the question in memory (the terminal chat) call
  `record_pick(question, topic_id, via)` with the question as the ask result gave it.
- Button adapters (Discord, Slack) call `remember(result.question)` when they send a clarify,
  a decline or a card, put the returned token in the buttons' ids, and on a click call
  `pick(token, topic_id, via)`, or `not_helpful(token)` for the card's "Not helpful" and then
  `pick(token, related_id, RELATED)` for a related card opened from the same reply.

With the ask log batched (the bots), `remember` costs no scrub and no database write on the
reply path: the token is drawn at once and written with its masked question in the ask log's
next batch (coachbot/ask_recorder.py). A click on a token still in this process's batch
flushes it first; with several processes, a click that reaches another process before the
batch is written waits for the row a little (WAIT_FOR_OTHERS) rather than count nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from rapidfuzz import fuzz, process

from coachbot import actions
from coachbot.actions import Action, Style
from coachbot.ask_recorder import AskRecorder, HeldToken
from coachbot.clock import Clock
from coachbot.debrief.scrub.placeholders import without_placeholders
from coachbot.debrief.scrubber import ScrubFailed
from coachbot.errors import CoachError
from coachbot.knowledge.append import append_question
from coachbot.knowledge.fields import TOPIC_FIELDS
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.models import Topic
from coachbot.knowledge.reload import ReloadResult
from coachbot.knowledge.text import printable, words
from coachbot.knowledge.validator import PLACEHOLDER
from coachbot.masks import MaskCache
from coachbot.store.suggestions import StoredSuggestion, SuggestionStore

log = logging.getLogger(__name__)
T = TypeVar("T")

CLARIFY = "clarify"
DECLINE = "decline"
RELATED = "related-after-not-helpful"
VIAS = (CLARIFY, DECLINE, RELATED)

TOKEN_DAYS = 2  # a reply's buttons can record a pick for this many days
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,16}")  # what `remember` hands out (token_urlsafe(8))
SAME_QUESTION = 90  # rapidfuzz ratio on the words: already in the topic, in other words
MIN_WORDS = 3  # words besides placeholders such as [name]: fewer asks too little to teach
_RULE = next(rule for rule in TOPIC_FIELDS if rule.name == "questions")
# pauses (seconds) while a click waits for a token another process has not written yet: its
# ask log's batch is written every second
WAIT_FOR_OTHERS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class Suggestion:
    """A proposed example question, with how often and how agents picked its topic."""

    id: int
    topic: Topic
    question: str
    picks: int
    via_clarify: int
    via_decline: int
    via_related: int

    def how_picked(self) -> str:
        """ "picked 3 times: 2 after a clarify, 1 after a decline", for every adapter."""
        ways = (
            (self.via_clarify, "after a clarify"),
            (self.via_decline, "after a decline"),
            (self.via_related, "after a Not helpful card"),
        )
        parts = [f"{n} {label}" for n, label in ways if n]
        times = "once" if self.picks == 1 else f"{self.picks} times"
        return f"picked {times}: " + ", ".join(parts)


@dataclass(frozen=True)
class Decision:
    suggestion: Suggestion
    accepted: bool
    file: str = ""  # the topic file written (accepted), as a trainer would type it
    reload: ReloadResult | None = None  # the reload after the edit, when the app reloads


SHOWN = 5  # suggestions with buttons per list: a Discord message holds five rows


def decision_actions(suggestions: list[Suggestion], topic_id: str | None) -> tuple[Action, ...]:
    """Accept n and Reject n for each of the first SHOWN suggestions, a row each; the ids say
    which list (one topic's, or all) to draw again after the click."""
    return tuple(
        Action(
            actions.suggestion(s.id, accept, topic_id),
            f"{'Accept' if accept else 'Reject'} {s.id}",
            Style.SUCCESS if accept else Style.SECONDARY,
            row=row,
        )
        for row, s in enumerate(suggestions[:SHOWN])
        for accept in (True, False)
    )


def question_key(text: str) -> str:
    """Identical questions up to case and spacing are one suggestion."""
    return " ".join(text.casefold().split())


def proposable(text: str) -> bool:
    """Whether `text` could go into a topic's `questions` and pass the lint: not too long,
    not a TODO placeholder, and saying something besides scrubbed placeholders."""
    if not text or len(text) > (_RULE.max_length or 300) or text.startswith(PLACEHOLDER):
        return False
    return len(words(without_placeholders(text))) >= MIN_WORDS


def already_in(topic: Topic, text: str) -> bool:
    """The topic already has this question, or one only a few letters away."""
    mine = " ".join(words(text))
    theirs = [" ".join(words(q)) for q in topic.questions]
    return (
        process.extractOne(mine, theirs, scorer=fuzz.ratio, score_cutoff=SAME_QUESTION) is not None
    )


class SuggestionService:
    def __init__(
        self,
        knowledge: Callable[[], LiveKnowledge],
        store: SuggestionStore,
        clock: Clock,
        *,
        reload: Callable[[], Awaitable[ReloadResult]] | None = None,
        new_token: Callable[[], str] = lambda: secrets.token_urlsafe(8),
        masks: MaskCache | None = None,
        recorder: AskRecorder | None = None,
        other_processes: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`masks`: masked questions shared with the ask log, so each is scrubbed once.
        `recorder`: the ask log's writer, whose batches carry the tokens when it batches.
        `other_processes`: a token may be written by another process (wait for it a little)."""
        self._knowledge = knowledge
        self._recorder = recorder
        if recorder is not None:
            recorder.tokens_to(self._write_held)
        self._other_processes = other_processes
        self._sleep = sleep
        self._masks = masks or MaskCache()
        self._store = store
        self._clock = clock
        self._reload = reload
        self._new_token = new_token
        self._expired_on: date | None = None

    # -- recording what agents pick ----------------------------------------------------

    async def record_pick(self, question: str, topic_id: str | None, via: str) -> bool:
        """Count that an agent chose `topic_id` for `question` (None: "None of these").

        The text is scrubbed here whatever the caller did, and nothing about the agent is
        taken. Returns whether a pick was counted: not for "None of these" (the ask log keeps
        the gap), an unknown topic, or a text that could never be an example question."""
        if via not in VIAS:
            raise ValueError(f"unknown way of picking: {via!r}")
        if topic_id is None or self._knowledge().kb.topic(topic_id) is None:
            return False
        text = self._scrubbed(question)
        if text is None or not proposable(text):
            return False
        await self._store.add_pick(topic_id, question_key(text), text, via, self._today())
        return True

    async def remember(self, question: str) -> str | None:
        """A new random token for a reply's buttons, under which the scrubbed question is kept.

        None when the text can be seen not to teach anything (the buttons then carry no token
        and a click records nothing). Batched (the bots): the token comes at once and the
        question is scrubbed and written in the ask log's next batch; one whose scrub fails
        is never stored (its token counts nothing). Otherwise scrubbed and written now."""
        text = " ".join(printable(question).split())
        # scrubbing only takes words away: fewer than MIN_WORDS now is fewer after it too
        if len(words(without_placeholders(text))) < MIN_WORDS:
            return None
        known = self._masks.get(text)
        if known is not None and not proposable(known):
            return None
        token = self._new_token()
        if self._recorder is not None and self._recorder.hold_token(token, text, self._today()):
            return token
        try:
            masked = known if known is not None else self._masks.mask(text)
        except ScrubFailed:  # fail closed: nothing is kept (the scrubber logged the pass)
            return None
        if not proposable(masked):
            return None
        await self._expire()
        await self._store.put_token(token, masked, self._today())
        return token

    async def _write_held(self, held: Sequence[HeldToken]) -> None:
        """The ask log's batch writes its tokens: each with its question if it could teach,
        else used up at once (so another process waiting for it stops waiting)."""
        await self._expire()
        await self._store.put_tokens(
            [
                (t.token, t.question if t.question and proposable(t.question) else None, t.day)
                for t in held
            ]
        )

    async def _expire(self) -> None:
        """Delete tokens older than TOKEN_DAYS: once a day per process, not on every ask."""
        today = self._today()
        if self._expired_on != today:
            await self._store.expire_tokens(today - timedelta(days=TOKEN_DAYS))
            self._expired_on = today

    async def pick(self, token: str, topic_id: str | None, via: str) -> bool:
        """A click on a reply remembered under `token`: count its question for `topic_id`,
        once per reply. A related card after "Not helpful" counts only if that vote came
        first; other clicks on the card's related buttons use the token up all the same."""
        if via not in VIAS:
            raise ValueError(f"unknown way of picking: {via!r}")
        if not TOKEN.fullmatch(token or ""):
            return False
        taken = await self._once_written(
            token, lambda: self._store.take_token(token, self._since())
        )
        if taken is None or (via == RELATED and not taken.not_helpful):
            return False
        return await self.record_pick(taken.question, topic_id, via)

    async def not_helpful(self, token: str) -> bool:
        """The card sent with `token` was marked "Not helpful": a related card opened next is
        what the agent was looking for."""
        if not TOKEN.fullmatch(token or ""):
            return False
        return await self._once_written(
            token, lambda: self._store.mark_not_helpful(token, self._since())
        )

    async def _once_written(self, token: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """`attempt` on the token's row once it is written: this process's batch is written
        first if it holds the token; another process's batch is waited for a little."""
        if self._recorder is not None:
            await self._recorder.written(token)
        result = await attempt()
        pauses = iter(WAIT_FOR_OTHERS if self._other_processes else ())
        while not result:
            pause = next(pauses, None)
            if pause is None:
                break
            if await self._store.has_token(token):  # written (and used, or too old): settled
                return await attempt()  # once more, in case it was written just now
            await self._sleep(pause)
            result = await attempt()
        return result

    # -- the trainers' side -------------------------------------------------------------

    async def open(self, topic_id: str | None = None) -> list[Suggestion]:
        """Open suggestions, most picked first: only for live topics, only questions that
        would pass the lint and that the topic does not already have."""
        kb = self._knowledge().kb
        found = []
        for stored in await self._store.listed("open", topic_id):
            suggestion = self._live(stored, kb.topic(stored.topic_id))
            if suggestion is not None:
                found.append(suggestion)
        return found

    async def accept(self, suggestion_id: int) -> Decision:
        """Append the question to its topic file (linted, atomic), then reload."""
        suggestion = await self._open_one(suggestion_id)
        directory = self._knowledge().directory
        if not await self._store.decide(suggestion_id, "accepted", self._today()):
            raise CoachError(f"Suggestion {suggestion_id} was just decided by someone else.")
        try:
            path = append_question(directory, suggestion.topic.id, suggestion.question)
        except BaseException:
            await self._store.reopen(suggestion_id)
            raise
        log.info("suggestion %d accepted into topic %s", suggestion_id, suggestion.topic.id)
        result = await self._reload() if self._reload is not None else None
        return Decision(suggestion, True, path, result)

    async def reject(self, suggestion_id: int) -> Decision:
        """Never propose this question for this topic again."""
        suggestion = await self._open_one(suggestion_id)
        if not await self._store.decide(suggestion_id, "rejected", self._today()):
            raise CoachError(f"Suggestion {suggestion_id} was just decided by someone else.")
        return Decision(suggestion, False)

    async def _open_one(self, suggestion_id: int) -> Suggestion:
        stored = await self._store.get(suggestion_id)
        if stored is None:
            raise CoachError(
                f"There is no suggestion {suggestion_id}. List them to see the numbers."
            )
        if stored.state != "open":
            raise CoachError(f"Suggestion {suggestion_id} was already {stored.state}.")
        topic = self._knowledge().kb.topic(stored.topic_id)
        if topic is None:
            raise CoachError(
                f"Suggestion {suggestion_id} is for topic '{stored.topic_id}', which is no "
                "longer in the knowledge base."
            )
        suggestion = self._live(stored, topic)
        if suggestion is None:
            raise CoachError(
                f"Suggestion {suggestion_id} is no longer needed: topic '{topic.id}' already "
                "has that question, or it would not pass the lint."
            )
        return suggestion

    @staticmethod
    def _live(stored: StoredSuggestion, topic: Topic | None) -> Suggestion | None:
        if topic is None or not proposable(stored.question) or already_in(topic, stored.question):
            return None
        return Suggestion(
            stored.id,
            topic,
            stored.question,
            stored.picks,
            stored.via_clarify,
            stored.via_decline,
            stored.via_related,
        )

    def _scrubbed(self, question: str) -> str | None:
        text = " ".join(printable(question).split())
        try:
            return self._masks.mask(text) if text else None
        except ScrubFailed:  # fail closed: nothing is kept (the scrubber logged the pass)
            return None

    def _today(self) -> date:
        return self._clock().date()

    def _since(self) -> date:
        return self._today() - timedelta(days=TOKEN_DAYS)
