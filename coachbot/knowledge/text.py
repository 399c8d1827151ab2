"""Text normalisation shared by the matcher and its index: one pipeline for both sides.

raw text -> NFKC, casefold, contractions -> word tokens -> Snowball stems
-> synonym phrases folded into one canonical term -> stopwords dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import snowballstemmer

from coachbot.knowledge.models import SynonymGroup

WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CONTRACTIONS = (
    (re.compile(r"\bcan['’]?t\b"), "can not"),
    (re.compile(r"\bwon['’]?t\b"), "will not"),
    (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"['’](re|ve|ll|d|m|s)\b"), ""),
)
_CONTROL = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A))
_CONTROL_CHARS = tuple(map(chr, _CONTROL))
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text without terminal escape sequences, control or bidi-override characters."""
    return _UNPRINTABLE.sub("", _ANSI.sub("", text))


# Function words, chat filler and number words (stories are full of "forty minutes" and
# "three weeks": like digits, the number says nothing about the topic, and "fifty" must not be
# repaired into "fifth"; phrases such as "three times" fold before stopwords drop). Content
# words that are merely common in this domain ("customer", "handle") are NOT here: rarity
# weighting down-weights them instead.
STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being
    below between both but by could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just let me more most my myself now of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves
    pls plz please hey hi hello thanks thank ok okay um uh like really gonna wanna gotta
    im ive id ill youre dont doesnt didnt cant wont isnt arent wasnt u ur r ya yo
    anyone someone somebody something thing things get got getting go going can cannot not lol
    two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty hundred
    """.split()
)

_stemmer = snowballstemmer.stemmer("english")


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Snowball stem, memoised (a knowledge base repeats the same words many times)."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > 500_000:
            _STEMS.clear()
        found = _STEMS[word] = _stemmer.stemWord(word)
    return found


def clean(text: str) -> str:
    """Unicode-normalised, casefolded text without control characters."""
    text = unicodedata.normalize("NFKC", text).translate(_CONTROL).casefold()
    return _expand_contractions(text)


def _expand_contractions(text: str) -> str:
    if "'" in text or "’" in text:
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
    return text


def clean_many(texts: Sequence[str]) -> list[str]:
    """`clean` of each text, normalised in one C call instead of one per text.

    Joining at a line break is safe: NFKC, casefolding and the control-character filter act
    on each character apart at a line break, and no character normalises to one. Contractions
    are expanded per text, since "cant" must stay as it is in a text without apostrophes.
    """
    joined = unicodedata.normalize("NFKC", "\n".join(texts))
    if any(c in joined for c in _CONTROL_CHARS):  # translate() is slow on much text
        joined = joined.translate(_CONTROL)
    parts = joined.casefold().split("\n")
    if len(parts) != len(texts):  # a text held a line break of its own
        return [clean(text) for text in texts]
    return [_expand_contractions(part) for part in parts]


def words(text: str) -> list[str]:
    """Word tokens of cleaned text, apostrophes already folded away."""
    return WORD.findall(clean(text).replace("'", "").replace("’", ""))


@dataclass(frozen=True)
class Analyzer:
    """Turns text into index terms; built once per knowledge base from its synonym groups."""

    phrases: dict[tuple[str, ...], str]
    single_words: dict[str, str]  # one-word synonyms -> canonical term
    starts: frozenset[str]  # first stems of multi-word synonyms
    longest: int

    @classmethod
    def from_synonyms(cls, groups: Iterable[SynonymGroup]) -> Analyzer:
        phrases: dict[tuple[str, ...], str] = {}
        for group in groups:
            stemmed = [tuple(stem(w) for w in words(term)) for term in group.terms]
            stemmed = [s for s in stemmed if s]
            if not stemmed:
                continue
            canonical = "_".join(stemmed[0])
            for key in stemmed:
                phrases.setdefault(key, canonical)
        return cls(
            phrases=phrases,
            single_words={k[0]: v for k, v in phrases.items() if len(k) == 1},
            starts=frozenset(k[0] for k in phrases if len(k) > 1),
            longest=max((len(k) for k in phrases), default=1),
        )

    def terms(self, text: str) -> list[str]:
        """Index terms, in order; synonyms folded before stopwords are dropped.

        The reference for `fast.terms` (`BulkTerms`, `terms_many`), which gives the same
        terms for a whole knowledge base at once, as numbers.
        """
        raw = words(text)
        stems = [_STEMS.get(w) or stem(w) for w in raw]
        single = self.single_words
        if self.starts.isdisjoint(stems):  # fast path: no multi-word synonym can start here
            return [
                single.get(s) or s
                for w, s in zip(raw, stems, strict=True)
                if s in single or (w not in STOPWORDS and len(s) > 1 and not s.isdigit())
            ]
        out: list[str] = []
        i = 0
        while i < len(stems):
            phrase = self._phrase_at(stems, i) if stems[i] in self.starts else None
            if phrase:
                out.append(phrase[0])
                i += phrase[1]
                continue
            canonical = self.single_words.get(stems[i])
            if canonical:
                out.append(canonical)
            elif raw[i] not in STOPWORDS and words_keep(stems[i]):
                out.append(stems[i])
            i += 1
        return out

    def _phrase_at(self, stems: list[str], i: int) -> tuple[str, int] | None:
        """The longest multi-word synonym starting at `i`, with its length in words."""
        for size in range(min(self.longest, len(stems) - i), 1, -1):
            canonical = self.phrases.get(tuple(stems[i : i + size]))
            if canonical:
                return canonical, size
        return None


def words_keep(term: str) -> bool:
    """Single characters and bare numbers carry no meaning for matching."""
    return len(term) > 1 and not term.isdigit()
