"""Questions masked once: the masked form of each recent question, by its raw text.

Why: an agent's question is masked twice after it is answered (the ask log, and the token
that lets a reply's buttons teach the knowledge base), and a shift asks about 2,300 distinct
questions 13,000 times. Masking costs about as much as answering, so each distinct question
is masked once and the result kept, least recently used out. The raw text is a key in memory
only, never written anywhere; a question whose masking fails is not kept (asked again, it
fails again, closed).
"""

from __future__ import annotations

from collections import OrderedDict

from coachbot.debrief.scrubber import scrub
from coachbot.safetext import well_formed

CACHED_QUESTIONS = 4096  # distinct questions kept (a shift asks ~2,300)


def masked(question: str) -> str:
    """The question with personal data masked, safe to encode; raises ScrubFailed."""
    return well_formed(scrub(question).text)


class MaskCache:
    """Not thread-safe: use it on the event loop's thread (mask in a worker with `masked`,
    then `put`)."""

    def __init__(self, size: int = CACHED_QUESTIONS) -> None:
        self._size = size
        self._kept: OrderedDict[str, str] = OrderedDict()

    def get(self, question: str) -> str | None:
        found = self._kept.get(question)
        if found is not None:
            self._kept.move_to_end(question)
        return found

    def put(self, question: str, mask: str) -> None:
        self._kept[question] = mask
        self._kept.move_to_end(question)
        if len(self._kept) > self._size:
            self._kept.popitem(last=False)

    def mask(self, question: str) -> str:
        """The kept mask, or masked now and kept; raises ScrubFailed (nothing kept)."""
        found = self.get(question)
        if found is None:
            found = masked(question)
            self.put(question, found)
        return found
