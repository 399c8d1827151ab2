"""The fuzzy re-rank's view of the example questions: how a question reads next to them.

Why a second view: the lexical score sees stemmed, synonym-folded content words, but agents'
questions also carry meaning in word forms the stemmer misses and in the small words it drops
("my" feelings or "the customer's"). rapidfuzz compares the plain text character by
character, and the word sets, at C speed. Each example is prepared on first use and kept in
a bounded memo, so loading costs nothing extra and memory stays flat at 10,000 topics.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from itertools import chain, pairwise

import numpy as np
from rapidfuzz import fuzz, process

from coachbot.knowledge.models import KnowledgeBase
from coachbot.knowledge.text import words

OVERLAP_TOP = 3  # an owner's overlap is the mean over its closest examples
# Word sets are written one character per word, from a stable hash of the word, in the Basic
# Multilingual Plane below the surrogates (two bytes a character). Two words sharing a
# character only blur the overlap a little, the same way for every run and every question.
WORD_CODE_BASE = 0x100
WORD_CODES = 0xD800 - WORD_CODE_BASE
MAX_PREPARED = 20_000  # examples kept prepared


def plain(text: str) -> str:
    """Text as the re-rank compares it: casefolded words, contractions expanded."""
    return " ".join(words(text))


def word_set(text: str) -> str:
    """A plain text's distinct words, each as its own character repeated once per letter,
    sorted: rapidfuzz's Indel similarity of two such strings is 2S / (|A| + |B|), where S is
    the letters of the words both share."""
    chars = {
        chr(WORD_CODE_BASE + zlib.crc32(word.encode("utf-8", "surrogatepass")) % WORD_CODES)
        * len(word)
        for word in text.split()
    }
    return "".join(sorted(chars))


class ExampleTexts:
    """The examples in the index's row order (each topic's title and questions, then the
    out-of-scope examples), prepared for rapidfuzz on first use."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._texts: list[str] = [
            *chain.from_iterable((t.title, *t.questions) for t in kb.topics),
            *kb.out_of_scope,
        ]
        self._prepared: dict[int, tuple[str, str]] = {}
        self._ranges: dict[tuple[int, int], tuple[list[str], list[str]]] = {}  # whole owners

    def scores(
        self, question: str, groups: Sequence[Sequence[int]], exclude: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per group of example rows, in 0..1: the ratio with its closest example, and the
        mean word overlap of its OVERLAP_TOP closest; the `exclude` row counts as absent.

        Overlap is 2S / (S + min(|A|, |B|)), sizes in letters and S the letters of the words
        both share: a question wholly inside an example scores 1 and long words weigh more
        (rapidfuzz's token_set_ratio measures much the same, 30 times slower).
        """
        text = plain(question)
        query_set = word_set(text)
        examples: list[str] = []
        sets: list[str] = []
        bounds = [0]
        for group in groups:
            group_examples, group_sets = self._group(group, exclude)
            examples += group_examples
            sets += group_sets
            bounds.append(len(examples))
        ratio = np.zeros(len(groups))
        overlap = np.zeros(len(groups))
        if not examples:
            return ratio, overlap
        ratios = (process.cdist([text], examples, scorer=fuzz.QRatio)[0] / 100.0).tolist()
        dice = process.cdist([query_set], sets, scorer=fuzz.QRatio)[0] / 100.0
        size = np.fromiter(map(len, sets), dtype=np.float64, count=len(sets))
        shared = dice * (size + len(query_set)) / 2.0
        smaller = np.minimum(size, len(query_set))
        overlaps = (2.0 * shared / np.maximum(shared + smaller, 1.0)).tolist()
        for k, (start, stop) in enumerate(pairwise(bounds)):
            if stop > start:
                ratio[k] = max(ratios[start:stop])
                closest = sorted(overlaps[start:stop])[-OVERLAP_TOP:]
                overlap[k] = sum(closest) / len(closest)
        return ratio, overlap

    def _group(self, rows: Sequence[int], exclude: int | None) -> tuple[list[str], list[str]]:
        """Plain texts and word sets of `rows`; a whole owner (a range) is kept as one."""
        if isinstance(rows, range) and exclude not in rows:
            key = (rows.start, rows.stop)
            found = self._ranges.get(key)
            if found is None:
                if len(self._ranges) >= MAX_PREPARED // 64:
                    self._ranges.clear()
                texts = [plain(self._texts[row]) for row in rows]
                found = self._ranges[key] = (texts, [word_set(t) for t in texts])
            return found
        prepared = [self._prepare(row) for row in rows if row != exclude]
        return [p[0] for p in prepared], [p[1] for p in prepared]

    def _prepare(self, row: int) -> tuple[str, str]:
        found = self._prepared.get(row)
        if found is None:
            if len(self._prepared) >= MAX_PREPARED:
                self._prepared.clear()
            text = plain(self._texts[row])
            found = self._prepared[row] = (text, word_set(text))
        return found
