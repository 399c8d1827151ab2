"""Text normalisation shared by the matcher and its index: one pipeline for both sides.

raw text -> NFKC, casefold, contractions -> word tokens -> Snowball stems
-> synonym phrases folded into one canonical term -> stopwords dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, islice

import numpy as np
import snowballstemmer

from coachbot.knowledge.models import SynonymGroup

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
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
    return _WORD.findall(clean(text).replace("'", "").replace("’", ""))


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
        """Index terms, in order; synonyms folded before stopwords are dropped."""
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

    def terms_many(self, texts: Iterable[str]) -> list[list[str]]:
        """`terms` of each text, through the bulk path (the tests hold the two equal)."""
        bulk = BulkTerms(self)
        return [[bulk.names[i] for i in row] for row in bulk.rows(texts)]

    def _phrase_at(self, stems: list[str], i: int) -> tuple[str, int] | None:
        """The longest multi-word synonym starting at `i`, with its length in words."""
        for size in range(min(self.longest, len(stems) - i), 1, -1):
            canonical = self.phrases.get(tuple(stems[i : i + size]))
            if canonical:
                return canonical, size
        return None


# ASCII bytes that are not letters or digits (the `[^\W_]` of `_WORD`) become spaces
_ASCII_WORDS = bytes(c if chr(c).isalnum() or c >= 0x80 or c == 0x0A else 0x20 for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TEXT_END = -1  # BulkTerms' number for "|", which follows each text in `BulkTerms.flat`


def _word_lists(texts: list[str]) -> list[list[str]]:
    """`_WORD.findall` of each cleaned text with apostrophes dropped, for many texts at once."""
    joined = _spaced(texts)
    if joined is None:  # a text holds a line break: one at a time
        return [_WORD.findall(t.replace("'", "").replace("’", "")) for t in texts]
    return [line.split() for line in joined.split("\n")]


def _spaced(texts: list[str]) -> str | None:
    r"""Cleaned texts, apostrophes dropped and every other character that is not a letter or
    digit a space, joined at line breaks; None if a text holds a line break of its own.

    Why: `str.split` of a line then finds exactly `_WORD.findall`'s words (`[^\W_]` is what
    `str.isalnum` means), with a fraction of the per-text work, all texts in one go.
    """
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return None
    joined = joined.replace("'", "").replace("’", "")
    data = joined.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS)
    joined = data.decode("utf-8", "surrogatepass")
    if not data.isascii():
        for char in set(_NON_ASCII.findall(joined)):
            if not char.isalnum():
                joined = joined.replace(char, " ")
    return joined


def words_keep(term: str) -> bool:
    """Single characters and bare numbers carry no meaning for matching."""
    return len(term) > 1 and not term.isdigit()


class BulkTerms(dict):
    """`Analyzer.terms` for a whole knowledge base at once, each term as a number.

    Why: the index wants numbers, and looking each of millions of words up as text costs
    more than analysing it. Each distinct word is analysed once, on first sight (this dict
    maps it to its term's number on `terms`' fast path, 0 when dropped), and texts are
    normalised a chunk at a time: one C call each, and little memory.
    """

    def __init__(self, analyzer: Analyzer) -> None:
        super().__init__()
        self.analyzer = analyzer
        self.names: list[str] = [""]  # term of each number; 0 is no term
        self.numbers: dict[str, int] = {}
        self.slow: dict[str, int] = {}  # a word's term on `terms`' slow path (0: none)
        self.stems: dict[str, str] = {}
        self.start_words: set[str] = set()  # words a multi-word synonym can start with
        self.pairs = frozenset(k[:2] for k in analyzer.phrases if len(k) > 1)
        self["|"] = _TEXT_END  # not a word (see `_spaced`): `flat` marks where a text ends

    def number(self, term: str) -> int:
        found = self.numbers.get(term)
        if found is None:
            found = self.numbers[term] = len(self.names)
            self.names.append(term)
        return found

    def rows(self, texts: Iterable[str], chunk: int = 4096) -> Iterator[list[int]]:
        """Each text's terms, as numbers (`names[n]` is the term), in turn.

        A chunk's texts are split into words together (`_word_lists`): one C call per
        chunk instead of a regular expression per text.
        """
        fast, slow, start_words = self.__getitem__, self.slow.__getitem__, self.start_words
        texts = iter(texts)
        while batch := list(islice(texts, chunk)):
            for raw in _word_lists(clean_many(batch)):
                numbers = list(filter(None, map(fast, raw)))  # also fills the memo
                if start_words.isdisjoint(raw):  # no multi-word synonym can start here
                    yield numbers
                else:
                    yield self._fold_phrases(raw, list(map(slow, raw)))

    def flat(self, texts: Iterable[str], chunk: int = 4096) -> tuple[np.ndarray, np.ndarray, int]:
        """`rows` as arrays: each term's number and the text it is in, and how many texts.

        Why: a chunk of texts is looked up in one pass, words and text ends together, and
        split into texts by numpy; only texts where a multi-word synonym may start take
        `rows`' slow path. The tests hold `flat` and `rows` equal.
        """
        text_of: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        numbers_of: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        count = 0
        texts = iter(texts)
        while batch := list(islice(texts, chunk)):
            joined = _spaced(clean_many(batch))
            if joined is None:  # a text holds a line break of its own
                rows = list(self.rows(batch))
                text, numbers = np.repeat(np.arange(len(rows)), list(map(len, rows))), chain(*rows)
                text_of.append(text + count)
                numbers_of.append(np.fromiter(numbers, dtype=np.int64))
            else:
                text, numbers = self._flat_chunk((joined + "\n").replace("\n", " | ").split())
                text_of.append(text + count)
                numbers_of.append(numbers)
            count += len(batch)
        return np.concatenate(text_of), np.concatenate(numbers_of), count

    def _flat_chunk(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """`flat` of texts whose words are in one list, each text followed by '|'."""
        numbers = np.fromiter(map(self.__getitem__, words), dtype=np.int64, count=len(words))
        ends = numbers == _TEXT_END
        text = np.cumsum(ends) - ends  # each word's text: how many ended before it
        keep = numbers > 0
        if self.start_words.isdisjoint(words):  # no multi-word synonym can start here
            return text[keep], numbers[keep]
        # texts with a word a multi-word synonym starts with: `rows`' slow path, one by one
        starts = np.array(list(map(self.start_words.__contains__, words)), dtype=bool)
        special = np.unique(text[starts])
        stops = np.flatnonzero(ends).tolist()
        slow = self.slow.__getitem__
        folded = []
        for row in special.tolist():
            raw = words[stops[row - 1] + 1 if row else 0 : stops[row]]
            folded.append(self._fold_phrases(raw, list(map(slow, raw))))
        keep &= ~np.isin(text, special)
        text = np.concatenate([text[keep], np.repeat(special, list(map(len, folded)))])
        numbers = np.concatenate([numbers[keep], np.fromiter(chain(*folded), dtype=np.int64)])
        order = np.argsort(text, kind="stable")  # each text's terms stay in their order
        return text[order], numbers[order]

    def _fold_phrases(self, raw: list[str], numbers: list[int]) -> list[int]:
        """`terms`' slow path: the longest phrase at each start word, left to right."""
        row: list[int] = []
        done = 0
        stems, longest = self.stems, self.analyzer.longest
        for i in compress(range(len(raw)), map(self.start_words.__contains__, raw)):
            if i < done:
                continue
            after = stems[raw[i + 1]] if i + 1 < len(raw) else ""
            if (stems[raw[i]], after) not in self.pairs:
                continue  # no phrase starts with these two stems
            phrase = self.analyzer._phrase_at([stems[w] for w in raw[i : i + longest]], 0)
            if phrase:
                row += filter(None, numbers[done:i])
                row.append(self.number(phrase[0]))
                done = i + phrase[1]
        row += filter(None, numbers[done:])
        return row

    def __missing__(self, word: str) -> int:
        single = self.analyzer.single_words
        stemmed = _STEMS.get(word) or stem(word)
        keep = word not in STOPWORDS and words_keep(stemmed)
        self.stems[word] = stemmed
        slow = single.get(stemmed) or (stemmed if keep else None)
        self.slow[word] = self.number(slow) if slow else 0
        if stemmed in self.analyzer.starts:
            self.start_words.add(word)
        fast = (single.get(stemmed) or stemmed) if stemmed in single or keep else None
        number = self[word] = self.number(fast) if fast else 0
        return number
