"""Ranks topics for a free-text question: weighted term overlap plus fuzzy typo repair.

Why this shape: agents' questions are short and noisy, and the knowledge base is trainer
-written, so a lexical model with rarity weighting (IDF), synonym folding and rapidfuzz typo
repair stays deterministic, fast at 10,000 topics and explainable to trainers. A topic's score
blends the centroid of its example questions, its card's own words and its closest example.
It declines rather than guesses: under the threshold, when a trainer-written out-of-scope
example is closer than any topic example, when the topics' vocabulary covers too little of
the question, or when the question uses a word only out-of-scope examples use.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from coachbot.knowledge.models import KnowledgeBase, Topic
from coachbot.knowledge.text import Analyzer

MAX_QUERY_CHARS = 1000
DEFAULT_THRESHOLD = 0.12
MIN_COVERAGE = 0.6  # share of the question's weight that the topics' own words must carry
# A topic's score blends three views of the same question:
CENTROID_WEIGHT = 0.5  # the topic's example questions taken together (Rocchio centroid)
CARD_WEIGHT = 0.4  # the card's own words: title, tags, summary, steps, say, tip
NEAREST_WEIGHT = 0.1  # the single closest example question
TYPO_MIN_LENGTH = 5  # shorter words are too often other real words
TYPO_LONG_WORD = 8  # from this length two edits are forgiven, below it one


@dataclass(frozen=True)
class Ranked:
    topic_id: str
    confidence: float


@dataclass(frozen=True)
class MatchResult:
    """The outcome of ranking; `topic_id` is set only when the matcher is confident."""

    topic_id: str | None
    confidence: float
    ranked: tuple[Ranked, ...]
    out_of_scope: bool = False

    @property
    def answered(self) -> bool:
        return self.topic_id is not None

    @property
    def alternatives(self) -> tuple[str, ...]:
        return tuple(r.topic_id for r in self.ranked if r.topic_id != self.topic_id)[:3]


@dataclass(frozen=True)
class _Postings:
    """A term -> (row ids, weights) index in compressed sparse form (three flat arrays)."""

    indptr: np.ndarray  # postings of term t are [indptr[t], indptr[t + 1])
    ids: np.ndarray
    weights: np.ndarray
    rows: int

    @classmethod
    def build(cls, rows: Sequence[Mapping[int, float]], vocabulary_size: int) -> _Postings:
        sizes = [len(row) for row in rows]
        total = sum(sizes)
        terms = np.fromiter((t for row in rows for t in row), dtype=np.int32, count=total)
        weights = np.fromiter(
            (w for row in rows for w in row.values()), dtype=np.float32, count=total
        )
        row_ids = np.repeat(np.arange(len(rows), dtype=np.int32), sizes)
        order = np.argsort(terms, kind="stable")
        indptr = np.zeros(vocabulary_size + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=vocabulary_size), out=indptr[1:])
        return cls(indptr=indptr, ids=row_ids[order], weights=weights[order], rows=len(rows))

    def scores(self, query: Mapping[int, float]) -> np.ndarray:
        spans = [(self.indptr[t], self.indptr[t + 1], w) for t, w in query.items()]
        spans = [(a, b, w) for a, b, w in spans if b > a]
        if not spans:
            return np.zeros(self.rows, dtype=np.float64)
        ids = np.concatenate([self.ids[a:b] for a, b, _ in spans])
        weights = np.concatenate([self.weights[a:b] * w for a, b, w in spans])
        return np.bincount(ids, weights=weights, minlength=self.rows)


class Matcher:
    """Fixed once built (only a typo-repair memo grows); a reload builds a new Matcher."""

    def __init__(self, kb: KnowledgeBase, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.kb = kb
        self.threshold = threshold
        self.analyzer = Analyzer.from_synonyms(kb.synonyms)
        self._topic_ids = [t.id for t in kb.topics]
        self._oos = len(kb.topics)  # the out-of-scope examples form one more "owner"
        self._owner_count = self._oos + 1

        example_terms: list[list[str]] = []
        owners: list[int] = []
        for index, topic in enumerate(kb.topics):
            for text in (topic.title, *topic.questions):
                example_terms.append(self.analyzer.terms(text))
                owners.append(index)
        for text in kb.out_of_scope:
            example_terms.append(self.analyzer.terms(text))
            owners.append(self._oos)
        card_terms = [self._card_terms(topic) for topic in kb.topics]

        self._vocab: dict[str, int] = {}
        for terms in (*example_terms, *card_terms):
            for term in terms:
                self._vocab.setdefault(term, len(self._vocab))
        # typo repair aims at every known word, including synonyms folded away by the analyzer
        self._spellings = {term: term for term in self._vocab}
        for word, canonical in self.analyzer.single_words.items():
            if canonical in self._vocab:
                self._spellings.setdefault(word, canonical)
        self._vocab_list = list(self._spellings)
        self._typo_cache: dict[str, str | None] = {}
        frequency = Counter(self._vocab[t] for terms in example_terms for t in set(terms))
        count = max(len(example_terms), 1)
        self._idf = np.array(
            [
                math.log(1 + (count - frequency[i] + 0.5) / (frequency[i] + 0.5))
                for i in range(len(self._vocab))
            ],
            dtype=np.float32,
        )
        # a word the knowledge base never uses weighs as much as its rarest known word
        self._unknown_idf = float(self._idf.max(initial=1.0))
        self._topic_terms = {
            self._vocab[t]
            for owner, terms in zip(owners, example_terms, strict=True)
            if owner != self._oos
            for t in terms
        } | {self._vocab[t] for terms in card_terms for t in terms}
        # words that only out-of-scope examples use ("payroll", "vpn", "landlord") mark a question
        self._oos_only = {
            self._vocab[t]
            for owner, terms in zip(owners, example_terms, strict=True)
            if owner == self._oos
            for t in terms
        } - self._topic_terms

        example_vectors = [self._vector(terms) for terms in example_terms]
        self._owners = np.asarray(owners, dtype=np.int32)
        self._examples = _Postings.build(example_vectors, len(self._vocab))
        self._cards = _Postings.build(
            [self._vector(terms) for terms in card_terms], len(self._vocab)
        )
        sums: list[Counter[int]] = [Counter() for _ in range(self._owner_count)]
        for owner, vector in zip(owners, example_vectors, strict=True):
            sums[owner].update(vector)
        self._centroids = _Postings.build(sums, len(self._vocab))
        self._centroid_norms = np.array(
            [math.sqrt(sum(w * w for w in total.values())) or 1.0 for total in sums]
        )
        # each example's dot product with its own topic's sum, for leave-one-out scoring
        self._self_dots = np.array(
            [
                sum(w * sums[owner][term] for term, w in vector.items())
                for owner, vector in zip(owners, example_vectors, strict=True)
            ]
        )

    def _card_terms(self, topic: Topic) -> list[str]:
        parts = [topic.title, topic.title, " ".join(topic.tags), topic.summary]
        parts += [*topic.steps, *topic.say, topic.tip or ""]
        return self.analyzer.terms(" . ".join(parts))

    def _vector(self, terms: Sequence[str]) -> dict[int, float]:
        """tf-idf weights of known terms, L2-normalised; unknown terms still count in the norm."""
        counts = Counter(terms)
        weights: dict[int, float] = {}
        unknown = 0.0
        for term, tf in counts.items():
            scale = 1 + math.log(tf)
            index = self._vocab.get(term)
            if index is None:
                unknown += (scale * self._unknown_idf) ** 2
            else:
                weights[index] = scale * float(self._idf[index])
        norm = math.sqrt(sum(w * w for w in weights.values()) + unknown) or 1.0
        return {k: w / norm for k, w in weights.items()}

    def _coverage(self, terms: Sequence[str]) -> float:
        """How much of the question (by word weight) the topics' own vocabulary accounts for."""
        total = covered = 0.0
        for term in terms:
            index = self._vocab.get(term)
            weight = self._unknown_idf if index is None else float(self._idf[index])
            total += weight
            if index in self._topic_terms:
                covered += weight
        return covered / total if total else 0.0

    def _repair(self, term: str) -> str:
        """Map an unknown term to a close known one ("screme" -> "scream"), or keep it."""
        if term in self._vocab or len(term) < TYPO_MIN_LENGTH:
            return term
        if term not in self._typo_cache:
            if len(self._typo_cache) > 100_000:
                self._typo_cache.clear()
            edits = 2 if len(term) >= TYPO_LONG_WORD else 1
            best = process.extractOne(
                term, self._vocab_list, scorer=Levenshtein.distance, score_cutoff=edits
            )
            self._typo_cache[term] = self._spellings[best[0]] if best else None
        return self._typo_cache[term] or term

    def query_terms(self, question: str) -> list[str]:
        return [self._repair(t) for t in self.analyzer.terms(question[:MAX_QUERY_CHARS])]

    def match(self, question: str, *, exclude_example: int | None = None) -> MatchResult:
        """Rank every topic for `question`; decline below the threshold or when out of scope."""
        terms = self.query_terms(question)
        if not terms:
            return MatchResult(topic_id=None, confidence=0.0, ranked=())
        query = self._vector(terms)
        example_scores = self._examples.scores(query)
        centroid_dots = self._centroids.scores(query)
        norms = self._centroid_norms
        if exclude_example is not None:
            owner = self._owners[exclude_example]
            centroid_dots[owner] -= example_scores[exclude_example]
            norms = norms.copy()
            norms[owner] = math.sqrt(
                max(norms[owner] ** 2 - 2 * self._self_dots[exclude_example] + 1.0, 1e-9)
            )
            example_scores[exclude_example] = 0.0
        nearest = self._nearest(example_scores)
        centroid = centroid_dots / norms
        topics = slice(0, self._oos)
        blended = (
            CENTROID_WEIGHT * centroid[topics]
            + CARD_WEIGHT * self._cards.scores(query)
            + NEAREST_WEIGHT * nearest[topics]
        )
        order = np.argsort(-blended, kind="stable")[:5]
        ranked = tuple(
            Ranked(self._topic_ids[i], round(min(float(blended[i]), 1.0), 4))
            for i in order
            if blended[i] > 0
        )
        if not ranked:
            return MatchResult(topic_id=None, confidence=0.0, ranked=())
        best = ranked[0]
        out_of_scope = bool(
            nearest[self._oos] >= nearest[order[0]]
            or self._coverage(terms) < MIN_COVERAGE
            or any(self._vocab.get(t) in self._oos_only for t in terms)
        )
        confident = best.confidence >= self.threshold and not out_of_scope
        return MatchResult(
            topic_id=best.topic_id if confident else None,
            confidence=best.confidence,
            ranked=ranked,
            out_of_scope=out_of_scope,
        )

    def _nearest(self, example_scores: np.ndarray) -> np.ndarray:
        """Each owner's closest example score."""
        best = np.zeros(self._owner_count, dtype=np.float64)
        hit = np.flatnonzero(example_scores)
        if hit.size:
            np.maximum.at(best, self._owners[hit], example_scores[hit])
        return best

    def example_index(self) -> list[tuple[str, str, int]]:
        """(topic id, question, row) for each topic question, for leave-one-out checks."""
        rows = []
        row = 0
        for topic in self.kb.topics:
            row += 1  # the title row
            for question in topic.questions:
                rows.append((topic.id, question, row))
                row += 1
        return rows
