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
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from coachbot.knowledge.index import Index, paused_gc
from coachbot.knowledge.models import KnowledgeBase, Topic
from coachbot.knowledge.text import Analyzer, BulkTerms

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


def card_text(topic: Topic) -> str:
    """The card's own words as one text; the title counts twice."""
    parts = [topic.title, topic.title, " ".join(topic.tags), topic.summary]
    parts += [*topic.steps, *topic.say, topic.tip or ""]
    return " . ".join(parts)


class Matcher:
    """Fixed once built (only a typo-repair memo grows); a reload builds a new Matcher."""

    def __init__(
        self, kb: KnowledgeBase, *, threshold: float = DEFAULT_THRESHOLD, index: Index | None = None
    ) -> None:
        """Build the index from `kb`, or take `index` (from the compiled cache) as it is."""
        self.kb = kb
        self.threshold = threshold
        self.analyzer = Analyzer.from_synonyms(kb.synonyms)
        self._topic_ids = [t.id for t in kb.topics]
        self._oos = len(kb.topics)  # the out-of-scope examples form one more "owner"
        self._owner_count = self._oos + 1
        self.index = index if index is not None else self._build_index()

        self._vocab = {term: i for i, term in enumerate(self.index.vocabulary)}
        # typo repair aims at every known word, including synonyms folded away by the analyzer
        self._spellings = {term: term for term in self._vocab}
        for word, canonical in self.analyzer.single_words.items():
            if canonical in self._vocab:
                self._spellings.setdefault(word, canonical)
        self._vocab_list = list(self._spellings)
        self._typo_cache: dict[str, str | None] = {}
        self._idf = self.index.idf
        # a word the knowledge base never uses weighs as much as its rarest known word
        self._unknown_idf = float(self._idf.max(initial=1.0))
        self._topic_terms = self.index.topic_terms
        # words that only out-of-scope examples use ("payroll", "vpn", "landlord") mark a question
        self._oos_only = self.index.oos_only
        self._owners = self.index.owners
        self._examples = self.index.examples
        self._cards = self.index.cards
        self._centroids = self.index.centroids
        self._centroid_norms = self.index.centroid_norms
        # each example's dot product with its own topic's sum, for leave-one-out scoring
        self._self_dots = self.index.self_dots

    def _build_index(self) -> Index:
        """Rows: each topic's title and questions, then the out-of-scope examples; cards."""
        kb = self.kb
        owners = [i for i, t in enumerate(kb.topics) for _ in range(1 + len(t.questions))]
        owners += [self._oos] * len(kb.out_of_scope)
        texts = chain(
            chain.from_iterable((t.title, *t.questions) for t in kb.topics),
            kb.out_of_scope,
            map(card_text, kb.topics),
        )
        with paused_gc():
            bulk = BulkTerms(self.analyzer)
            rows = bulk.rows(texts)
            return Index.build(
                islice(rows, len(owners)), owners, rows, self._owner_count, bulk.names
            )

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
