"""The ask service: a question in, a coaching card (or an honest "I don't know") out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from coachbot.ask_recorder import AskRecorder, PendingAsk
from coachbot.chat_markup import strip_markup
from coachbot.clock import Clock
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.matcher import CHOICES, MAX_QUERY_CHARS
from coachbot.knowledge.models import Topic
from coachbot.knowledge.nonquestion import NonQuestion, classify, without_command
from coachbot.knowledge.text import printable, words
from coachbot.masks import MaskCache
from coachbot.store.asks import AskLog

log = logging.getLogger(__name__)

# Messages made only of these words are greetings or calls for help, not questions.
SMALL_TALK = frozenset(
    """hi hello hey hiya yo howdy morning evening afternoon good help helo halp thanks thank
    thx ty cheers you u ok okay cool great nice bye goodbye please pls start menu commands what
    can do how use this bot coachbot there me i need have a an some got question quick
    """.split()
)


class AskKind(StrEnum):
    CARD = "card"
    DECLINED = "declined"
    # unsure which card: "Which is closest?" with the best topics as choices (`alternatives`)
    CLARIFY = "clarify"
    HELP = "help"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    # a command typed where a question goes: /ask, !help, clear, exit, topics
    COMMAND = NonQuestion.COMMAND.value
    # asks nothing: yes, no, ok, test; or a single word that names no topic ("caller")
    NOT_A_QUESTION = NonQuestion.NOT_A_QUESTION.value


# what the gap report counts: a clarify is not answered, like a decline, until the agent picks
LOGGED = frozenset({AskKind.CARD, AskKind.DECLINED, AskKind.CLARIFY})


@dataclass(frozen=True)
class AskResult:
    question: str
    kind: AskKind
    topic: Topic | None
    confidence: float
    alternatives: tuple[Topic, ...]
    related: tuple[Topic, ...] = ()  # the card's related topics, from the same version

    @property
    def answered(self) -> bool:
        return self.kind is AskKind.CARD

    @property
    def clarify(self) -> bool:
        """The agent is asked which of `alternatives` is closest (none is a card yet)."""
        return self.kind is AskKind.CLARIFY


def _related(topic: Topic, by_id: Mapping[str, Topic]) -> tuple[Topic, ...]:
    """Resolved now, so that a reload during the reply cannot mix in another version."""
    return tuple(by_id[other] for other in topic.related if other in by_id)


class AskService:
    def __init__(
        self,
        knowledge: Callable[[], LiveKnowledge],
        ask_log: AskLog | None,
        clock: Clock,
        *,
        masks: MaskCache | None = None,
    ) -> None:
        """`masks`: masked questions shared with the suggestions' tokens (one scrub each)."""
        self._knowledge = knowledge
        self._log = AskRecorder(ask_log, masks=masks) if ask_log is not None else None
        self._clock = clock

    @property
    def recorder(self) -> AskRecorder | None:
        """The ask log's writer (the suggestions' tokens ride in its batches)."""
        return self._log

    def batch_log(self, seconds: float = 1.0, max_rows: int = 500) -> None:
        """Mask and write the ask log in batches, after the replies (see AskRecorder): the
        bots' hot path, and `ask --json`."""
        if self._log is not None:
            self._log.batch(seconds, max_rows)

    async def flush_log(self) -> None:
        """Write the buffered ask log now (closing the database does it too)."""
        if self._log is not None:
            await self._log.flush()

    def answer(self, question: str) -> AskResult:
        """Match without side effects; never raises for any text."""
        live = self._knowledge()  # one version for the whole answer
        # mentions, channel links and emoji markup are not words about the customer
        text = " ".join(strip_markup(printable(question)).split())
        if not words(text):
            return AskResult(text, AskKind.EMPTY, None, 0.0, ())
        if len(text) > MAX_QUERY_CHARS:
            return AskResult(text[:MAX_QUERY_CHARS], AskKind.TOO_LONG, None, 0.0, ())
        by_id = live.kb.by_id
        # a title chosen from autocomplete or the topic list, or a topic id from a decline
        picked = live.kb.by_title.get(text.casefold()) or by_id.get(text.casefold())
        if picked is not None:
            return AskResult(text, AskKind.CARD, picked, 1.0, (), _related(picked, by_id))
        if len(text) <= 40 and all(w in SMALL_TALK for w in words(text)):
            return AskResult(text, AskKind.HELP, None, 0.0, ())
        found = classify(text, live.matcher)
        if found is not None:
            return AskResult(text, AskKind(found.value), None, 0.0, ())
        text = without_command(text) or text  # "/ask customer yelling" asks the rest
        result = live.matcher.match(text)
        alternatives = tuple(by_id[t] for t in result.alternatives if t in by_id)
        if result.topic_id is None:
            closest = tuple(
                by_id[r.topic_id] for r in result.ranked[:CHOICES] if r.topic_id in by_id
            )
            kind = AskKind.CLARIFY if result.clarify else AskKind.DECLINED
            return AskResult(text, kind, None, result.confidence, closest)
        topic = by_id[result.topic_id]
        return AskResult(
            text, AskKind.CARD, topic, result.confidence, alternatives, _related(topic, by_id)
        )

    async def ask(self, question: str, *, guild_id: str | None = None) -> AskResult:
        """Answer and record the ask for the trainers' gap report: masked, anonymous, by day.

        `guild_id` names the team the ask came from (so each team's report is its own), never
        the person."""
        result = self.answer(question)
        if self._log is not None and result.kind in LOGGED:
            # raw until the batch writer masks it (see AskRecorder): never on disk unmasked
            ranked_topic = result.topic or (result.alternatives[0] if result.alternatives else None)
            await self._log.record(
                PendingAsk(
                    day=self._clock().date(),
                    question=result.question,
                    topic_id=ranked_topic.id if ranked_topic else None,
                    confidence=result.confidence,
                    answered=result.answered,
                    guild_id=guild_id,
                )
            )
        return result
