"""`Analyzer.terms` for a whole knowledge base at once, each term as a number.

Why: the index wants numbers, and analysing millions of words one text at a time, as terms,
is most of building it. Reference: `text.Analyzer.terms`, one text at a time.
tests/coachbot/knowledge/fast/test_terms.py holds `BulkTerms.rows`, `BulkTerms.flat` and
`terms_many` equal to it on the shipped knowledge base and on generated text (see this
package's table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain, compress, islice

import numpy as np

from coachbot.knowledge.text import STOPWORDS, WORD, Analyzer, clean_many, stem, words_keep

# ASCII bytes that are not letters or digits (the `[^\W_]` of `WORD`) become spaces
_ASCII_WORDS = bytes(c if chr(c).isalnum() or c >= 0x80 or c == 0x0A else 0x20 for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TEXT_END = -1  # BulkTerms' number for "|", which follows each text in `BulkTerms.flat`


def _word_lists(texts: list[str]) -> list[list[str]]:
    """`WORD.findall` of each cleaned text with apostrophes dropped, for many texts at once."""
    joined = _spaced(texts)
    if joined is None:  # a text holds a line break: one at a time
        return [WORD.findall(t.replace("'", "").replace("’", "")) for t in texts]
    return [line.split() for line in joined.split("\n")]


def _spaced(texts: list[str]) -> str | None:
    r"""Cleaned texts, apostrophes dropped and every other character that is not a letter or
    digit a space, joined at line breaks; None if a text holds a line break of its own.

    Why: `str.split` of a line then finds exactly `WORD.findall`'s words (`[^\W_]` is what
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
        stemmed = stem(word)
        keep = word not in STOPWORDS and words_keep(stemmed)
        self.stems[word] = stemmed
        slow = single.get(stemmed) or (stemmed if keep else None)
        self.slow[word] = self.number(slow) if slow else 0
        if stemmed in self.analyzer.starts:
            self.start_words.add(word)
        fast = (single.get(stemmed) or stemmed) if stemmed in single or keep else None
        number = self[word] = self.number(fast) if fast else 0
        return number


def terms_many(analyzer: Analyzer, texts: Iterable[str]) -> list[list[str]]:
    """`analyzer.terms` of each text, through the bulk path."""
    bulk = BulkTerms(analyzer)
    return [[bulk.names[i] for i in row] for row in bulk.rows(texts)]
