"""Typo repair: a word the knowledge base does not know becomes the known word it was meant to
be ("screme" -> "scream", "supervisr" -> "supervisor").

Why here and why so careful: a repair into the wrong word is worse than none. A real English
word ("kettle", "flood", "father") is what the agent meant, so it is kept as it is (see
english.py); an unknown word weighs as much as the rarest known one, which is right for a
story's scenery. Short words are never repaired: at four letters nearly every edit is another
real word.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from coachbot.knowledge.english import english_stems

TYPO_MIN_LENGTH = 5  # shorter words are too often other real words
TYPO_LONG_WORD = 8  # from this length two edits are forgiven, below it one
CACHE_LIMIT = 100_000  # remembered repairs; the memo starts again past this


class TypoRepair:
    """Repairs stemmed terms into the knowledge base's own; fixed once built (the memo grows)."""

    def __init__(self, vocabulary: Collection[str], synonyms: Mapping[str, str]) -> None:
        """`vocabulary`: the index's terms (kept, not copied); `synonyms`: one-word synonym ->
        canonical term. Repair aims at every known word, including synonyms the analyzer
        folds away."""
        self._known = vocabulary
        self._spellings = {term: term for term in self._known}
        for word, canonical in synonyms.items():
            if canonical in self._known:
                self._spellings.setdefault(word, canonical)
        self._choices = list(self._spellings)
        self._memo: dict[str, str | None] = {}

    def __call__(self, term: str) -> str:
        """The known term `term` was meant to be, or `term` itself."""
        if term in self._known or len(term) < TYPO_MIN_LENGTH:
            return term
        if term not in self._memo:
            if len(self._memo) > CACHE_LIMIT:
                self._memo.clear()
            self._memo[term] = None if term in english_stems() else self._closest(term)
        return self._memo[term] or term

    def _closest(self, term: str) -> str | None:
        """The known word within one edit of `term` (two from TYPO_LONG_WORD letters)."""
        edits = 2 if len(term) >= TYPO_LONG_WORD else 1
        best = process.extractOne(
            term, self._choices, scorer=Levenshtein.distance, score_cutoff=edits
        )
        return self._spellings[best[0]] if best else None
