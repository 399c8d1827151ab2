"""The ask log's writer: masks each logged question and hands plain rows to the store.

Why a writer of its own: masking a question costs about as much as answering it, and its only
output is a row in the trainers' gap report, never the reply. So the bot (`batch`) keeps the
raw question in memory only until the next batch, and masks it in the batch writer, after the
reply went out: repeated questions come from a cache (coachbot/masks.py; a shift asks about
2,300 distinct questions 13,000 times), new ones are masked in a worker thread. The raw text
never reaches the database or a log line; a question whose masking fails is dropped, never
stored unmasked. Without `batch` (the terminal, one-shot `ask`) each ask is written at once.

The token behind a reply's buttons rides in the same batch (`hold_token`): the suggestions
hand the token out at once and its masked question is written with the asks, so the reply
waits for no scrub and no database write. A click on a token still in the batch has it
written first (`written`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

from coachbot.errors import ScrubFailed
from coachbot.masks import MaskCache, masked
from coachbot.store.asks import AskLog, LoggedAsk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingAsk:
    """An ask waiting for the batch writer; `question` is raw and lives only in memory."""

    day: date
    question: str
    topic_id: str | None
    confidence: float
    answered: bool
    guild_id: str | None = None


@dataclass(frozen=True)
class HeldToken:
    """A reply's token and its question, masked (None: the masking failed, keep nothing)."""

    token: str
    question: str | None
    day: date


TokenWriter = Callable[[Sequence[HeldToken]], Awaitable[None]]


class AskRecorder:
    """Records asks at once, or after `batch()` every `seconds` or `max_rows` asks."""

    def __init__(
        self,
        store: AskLog,
        *,
        masks: MaskCache | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._masks = masks or MaskCache()  # shared with the suggestions' tokens (App)
        self._monotonic = monotonic
        self._seconds = 0.0
        self._max_rows = 0
        self._pending: list[PendingAsk] = []
        self._tokens: dict[str, tuple[str, date]] = {}  # token -> (raw question, day)
        self._unwritten: set[str] = set()  # tokens held, not yet written (or failed)
        self._write_tokens: TokenWriter | None = None
        self._oldest = 0.0  # monotonic() when the oldest pending ask arrived
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def tokens_to(self, write: TokenWriter) -> None:
        """Where held tokens go once their questions are masked (the suggestions)."""
        self._write_tokens = write

    def hold_token(self, token: str, question: str, day: date) -> bool:
        """Write `token` with `question` (raw: masked in the batch) in the next batch; False
        when not batching (or no writer): the caller writes it itself."""
        if not self._seconds or self._write_tokens is None:
            return False
        self._unwritten.add(token)
        self._tokens[token] = (question, day)
        self._buffered()
        return True

    async def written(self, token: str) -> None:
        """Return once `token` is written (or its write failed): its batch is written now if
        it is still buffered, else the write under way is awaited. Clicks on tokens of one
        batch share its write (a burst of clicks is not a burst of one-row batches)."""
        if token not in self._unwritten:
            return
        if token in self._tokens:
            self._flush_soon()
        while token in self._unwritten and self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)

    def batch(self, seconds: float = 1.0, max_rows: int = 500) -> None:
        """From now on, buffer asks and write them every `seconds` or `max_rows` asks. A crash
        loses at most that much of the log; closing the database writes what is buffered."""
        if seconds <= 0 or max_rows < 1:
            raise ValueError("batch() needs seconds > 0 and max_rows >= 1")
        self._seconds, self._max_rows = seconds, max_rows
        self._store.flush_before_close(self.flush)

    async def record(self, ask: PendingAsk) -> None:
        if not self._seconds:
            masked = self._cached_masks([ask.question]) or self._remember(_mask_all([ask.question]))
            if ask.question in masked:  # else dropped: no row rather than an unmasked one
                await self._store.record(_logged(ask, masked[ask.question]))
            return
        self._pending.append(ask)
        self._buffered()

    def _buffered(self) -> None:
        """One more ask or token in the buffer: write it when due, or set the timer."""
        if len(self._pending) + len(self._tokens) == 1:
            self._oldest = self._monotonic()
        # due by count, or by age when the loop was too busy (or blocked) to run the timer
        if len(self._pending) + len(self._tokens) >= self._max_rows or (
            self._monotonic() - self._oldest >= self._seconds
        ):
            self._flush_soon()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._seconds, self._timer_fired)

    def _flush_soon(self) -> None:
        """Write what is buffered in a task of its own: the ask that filled the batch, or the
        timer, is not held up by the masking and the write."""
        asks, tokens = self._take()
        if asks or tokens:
            task = asyncio.ensure_future(self._write(asks, tokens))
            self._flushing.add(task)  # keep a reference until it is done
            task.add_done_callback(self._flushing.discard)

    def _timer_fired(self) -> None:
        self._timer = None
        self._flush_soon()

    def _take(self) -> tuple[list[PendingAsk], dict[str, tuple[str, date]]]:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        asks, self._pending = self._pending, []
        tokens, self._tokens = self._tokens, {}
        return asks, tokens

    async def flush(self) -> None:
        """Mask and write what is buffered now, and wait for the writes already under way."""
        self._flush_soon()  # a task like the others: a second flush meanwhile waits for it too
        if self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)

    async def _write(self, asks: list[PendingAsk], tokens: dict[str, tuple[str, date]]) -> None:
        try:
            questions = [a.question for a in asks] + [q for q, _ in tokens.values()]
            cached = self._cached_masks(questions)
            new = list(set(questions) - cached.keys())
            if new:  # off the event loop: replies in flight go on meanwhile
                cached.update(self._remember(await asyncio.to_thread(_mask_all, new)))
            rows = [_logged(a, cached[a.question]) for a in asks if a.question in cached]
            if rows:
                await self._store.record_many(rows)
            if tokens and self._write_tokens is not None:
                held = [HeldToken(t, cached.get(q), d) for t, (q, d) in tokens.items()]
                await self._write_tokens(held)
        except Exception as exc:  # a statistic: never worth a reply or the loop; never the text
            log.error(
                "could not write %d ask-log rows and %d tokens: %s",
                len(asks),
                len(tokens),
                type(exc).__name__,
            )
        finally:
            self._unwritten.difference_update(tokens)

    def _cached_masks(self, questions: list[str]) -> dict[str, str]:
        """The masks the cache already holds, each marked as just used."""
        found: dict[str, str] = {}
        for question in questions:
            if question not in found:
                mask = self._masks.get(question)
                if mask is not None:
                    found[question] = mask
        return found

    def _remember(self, new: dict[str, str]) -> dict[str, str]:
        """Keep new masks (on the loop's thread: the cache is never shared with a worker)."""
        for question, mask in new.items():
            self._masks.put(question, mask)
        return new


def _mask_all(questions: list[str]) -> dict[str, str]:
    """Each question masked (pure: runs in a worker thread); one whose masking fails is left
    out, never stored unmasked (the scrubber logged which pass failed, without the text)."""
    done = {}
    for question in questions:
        try:
            done[question] = masked(question)
        except ScrubFailed:
            continue
    return done


def _logged(ask: PendingAsk, masked: str) -> LoggedAsk:
    return LoggedAsk(
        day=ask.day,
        question=masked,
        topic_id=ask.topic_id,
        confidence=ask.confidence,
        answered=ask.answered,
        guild_id=ask.guild_id,
    )
