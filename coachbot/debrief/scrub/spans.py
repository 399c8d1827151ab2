"""The span ledger: which parts of the text each pass has claimed, and the view passes search.

Passes never rewrite the text. They claim `(start, end, kind)` spans of the original; the ledger
keeps a masked view in which claimed spans are replaced, character for character, by a private-use
character that no pattern matches. Offsets in the view are offsets in the original, and a later
pass cannot see (or re-match) what an earlier one claimed, nor a placeholder already in the input.
The view also reads typographic spaces and dashes as plain ones, character for character
("+44\u00a07700\u00a0900123", "4190–9378–6579–7547"), so no pass has to know them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from coachbot.debrief.scrub.placeholders import PLACEHOLDER, placeholder

MASK = "\ue000"
_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]/[^\W\d_](?![^\W\d_])|[^\W\d_]+")
KEEP = ""  # kept verbatim and not counted: placeholders already in the input, brand names
# No-break, thin, figure and other fixed-width spaces; hyphens, dashes and the minus sign.
_PLAIN = {c: " " for c in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)} | {
    c: "-" for c in (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D)
}


class Ledger:
    """Claimed spans over one text, non-overlapping, plus the masked view passes search."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] = []
        self._spans: list[tuple[int, int, str]] = []
        self._plain = text.translate(_PLAIN)
        self._view = self._plain
        self._dirty = False
        self._words: frozenset[str] | None = None
        for match in PLACEHOLDER.finditer(text):
            self.claim(match.start(), match.end(), KEEP)

    @property
    def view(self) -> str:
        """The text with every claimed span masked (same length, same offsets)."""
        if self._dirty:
            parts: list[str] = []
            position = 0
            for start, end, _ in self._spans:
                parts.append(self._plain[position:start])
                parts.append(MASK * (end - start))
                position = end
            parts.append(self._plain[position:])
            self._view = "".join(parts)
            self._dirty = False
        return self._view

    def is_free(self, start: int, end: int) -> bool:
        """True when no claimed span overlaps [start, end)."""
        index = bisect.bisect_right(self._starts, start)
        if index and self._spans[index - 1][1] > start:
            return False
        return not (index < len(self._starts) and self._starts[index] < end)

    def claim(self, start: int, end: int, kind: str) -> bool:
        """Claim [start, end) for `kind`; refused (False) if empty or overlapping a claim."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end or not self.is_free(start, end):
            return False
        index = bisect.bisect_right(self._starts, start)
        self._starts.insert(index, start)
        self._spans.insert(index, (start, end, kind))
        self._dirty = True
        return True

    @property
    def words(self) -> frozenset[str]:
        """The lower-case words of the original text: a cheap gate for cue-based passes
        (claims only remove words, so a cue absent here is absent from every view)."""
        if self._words is None:
            self._words = frozenset(_WORD.findall(self.text.lower()))
        return self._words

    def __len__(self) -> int:
        return len(self._spans)

    def glued(self) -> bool:
        """Does a claim touch a letter or digit ("born in 1979PO Box"), directly or through one
        mark ("0000000+1000000")? Then the text around it reads differently once the claim is a
        placeholder, and the passes should look again."""
        text = self.text
        return any(
            kind != KEEP and (_glued_at(text, start - 1, -1) or _glued_at(text, end, 1))
            for start, end, kind in self._spans
        )

    def render(self) -> tuple[str, dict[str, int]]:
        """The text with each new claim replaced by `[kind]`, and how many of each kind."""
        counts: Counter[str] = Counter()
        parts: list[str] = []
        position = 0
        for start, end, kind in self._spans:
            parts.append(self.text[position:start])
            if kind == KEEP:
                parts.append(self.text[start:end])
            else:
                parts.append(placeholder(kind))
                counts[kind] += 1
            position = end
        parts.append(self.text[position:])
        return "".join(parts), dict(counts)


def _glued_at(text: str, index: int, step: int) -> bool:
    """Is text[index] a letter or digit, or a mark (not a space) followed by one?"""
    if not 0 <= index < len(text):
        return False
    if text[index].isalnum():
        return True
    beyond = index + step
    return not text[index].isspace() and 0 <= beyond < len(text) and text[beyond].isalnum()
