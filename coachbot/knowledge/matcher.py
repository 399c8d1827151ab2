"""Ranks topics for a free-text question: weighted term overlap plus fuzzy typo repair.

Why this shape: agents' questions are short and noisy, and the shipped knowledge base is
small, so a transparent lexical model with rarity weighting (IDF), synonym folding and
rapidfuzz-based typo repair is accurate, deterministic and explainable to trainers. Each
topic is scored by its closest example question (nearest neighbour) blended with its whole
card; trainer-written out-of-scope examples compete as a "decline" class.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from coachbot.knowledge.models import KnowledgeBase, Topic
from coachbot.knowledge.text import Analyzer

MAX_QUERY_CHARS = 1000
DEFAULT_THRESHOLD = 0.30
EXAMPLE_WEIGHT = 0.7  # nearest example question vs. the whole card
TYPO_MIN_LENGTH = 4
TYPO_CUTOFF = 84
UNKNOWN_IDF_FACTOR = 1.0  # weight of a word the knowledge base never uses, vs. the rarest known
SECOND_EXAMPLE_WEIGHT = 0.0  # share of the second-closest example in a topic's example score


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
    """A sparse term -> (row ids, weights) index over L2-normalised tf-idf rows."""

    ids: dict[int, np.ndarray]
    weights: dict[int, np.ndarray]
    rows: int

    @classmethod
    def build(cls, rows: Sequence[dict[int, float]]) -> _Postings:
        ids: dict[int, list[int]] = {}
        weights: dict[int, list[float]] = {}
        for row_id, row in enumerate(rows):
            for term, weight in row.items():
                ids.setdefault(term, []).append(row_id)
                weights.setdefault(term, []).append(weight)
        return cls(
            ids={t: np.asarray(v, dtype=np.int32) for t, v in ids.items()},
            weights={t: np.asarray(v, dtype=np.float32) for t, v in weights.items()},
            rows=len(rows),
        )

    def scores(self, query: dict[int, float]) -> np.ndarray:
        known = [t for t in query if t in self.ids]
        if not known:
            return np.zeros(self.rows, dtype=np.float32)
        ids = np.concatenate([self.ids[t] for t in known])
        weights = np.concatenate([self.weights[t] * query[t] for t in known])
        return np.bincount(ids, weights=weights, minlength=self.rows)


class Matcher:
    """Immutable once built: a reload builds a new Matcher and swaps the reference."""

    def __init__(self, kb: KnowledgeBase, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.kb = kb
        self.threshold = threshold
        self.analyzer = Analyzer.from_synonyms(kb.synonyms)
        self._topic_ids = [t.id for t in kb.topics]
        oos_owner = len(kb.topics)

        example_terms: list[list[str]] = []
        owners: list[int] = []
        for index, topic in enumerate(kb.topics):
            for text in (topic.title, *topic.questions):
                example_terms.append(self.analyzer.terms(text))
                owners.append(index)
        for text in kb.out_of_scope:
            example_terms.append(self.analyzer.terms(text))
            owners.append(oos_owner)
        card_terms = [self._card_terms(topic) for topic in kb.topics]

        self._vocab: dict[str, int] = {}
        for terms in (*example_terms, *card_terms):
            for term in terms:
                self._vocab.setdefault(term, len(self._vocab))
        document_frequency = Counter(self._vocab[t] for terms in example_terms for t in set(terms))
        count = max(len(example_terms), 1)
        self._idf = np.array(
            [
                math.log(1 + (count - document_frequency[i] + 0.5) / (document_frequency[i] + 0.5))
                for i in range(len(self._vocab))
            ],
            dtype=np.float32,
        )
        self._unknown_idf = UNKNOWN_IDF_FACTOR * float(self._idf.max(initial=1.0))
        self._vocab_list = list(self._vocab)
        self._typo_cache: dict[str, str | None] = {}

        self._owners = np.asarray(owners, dtype=np.int32)
        self._examples = _Postings.build([self._vector(terms)[0] for terms in example_terms])
        self._cards = _Postings.build([self._vector(terms)[0] for terms in card_terms])
        self._owner_count = oos_owner + 1

    def _card_terms(self, topic: Topic) -> list[str]:
        parts = [topic.title, topic.title, " ".join(topic.tags), *topic.questions, topic.summary]
        parts += [*topic.steps, *topic.say, topic.tip or ""]
        return [term for part in parts for term in self.analyzer.terms(part)]

    def _vector(self, terms: Sequence[str]) -> tuple[dict[int, float], float]:
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
        return {k: w / norm for k, w in weights.items()}, norm

    def _repair(self, term: str) -> str:
        """Map an unknown term to a close known one ("screme" -> "scream"), or keep it."""
        if term in self._vocab or len(term) < TYPO_MIN_LENGTH:
            return term
        if term not in self._typo_cache:
            best = process.extractOne(
                term, self._vocab_list, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            self._typo_cache[term] = best[0] if best else None
        return self._typo_cache[term] or term

    def query_terms(self, question: str) -> list[str]:
        return [self._repair(t) for t in self.analyzer.terms(question[:MAX_QUERY_CHARS])]

    def match(self, question: str, *, exclude_example: int | None = None) -> MatchResult:
        """Rank every topic for `question`; decline below the threshold or when out of scope."""
        terms = self.query_terms(question)
        if not terms:
            return MatchResult(topic_id=None, confidence=0.0, ranked=())
        query, _ = self._vector(terms)
        example_scores = self._examples.scores(query)
        if exclude_example is not None:
            example_scores[exclude_example] = 0.0
        best_example = self._per_owner(example_scores)
        card_scores = self._cards.scores(query)
        topic_count = self._owner_count - 1
        blended = EXAMPLE_WEIGHT * best_example[:topic_count] + (1 - EXAMPLE_WEIGHT) * card_scores

        order = np.argsort(-blended, kind="stable")[:5]
        ranked = tuple(
            Ranked(self._topic_ids[i], round(float(blended[i]), 4)) for i in order if blended[i] > 0
        )
        if not ranked:
            return MatchResult(topic_id=None, confidence=0.0, ranked=())
        best = ranked[0]
        out_of_scope = bool(best_example[topic_count] >= best_example[order[0]])
        confident = best.confidence >= self.threshold and not out_of_scope
        return MatchResult(
            topic_id=best.topic_id if confident else None,
            confidence=min(best.confidence, 1.0),
            ranked=ranked,
            out_of_scope=out_of_scope,
        )

    def _per_owner(self, example_scores: np.ndarray) -> np.ndarray:
        """Each topic's example score: its closest example, blended with the runner-up."""
        hit = np.flatnonzero(example_scores)
        best = np.zeros(self._owner_count, dtype=np.float64)
        if not hit.size:
            return best
        owners = self._owners[hit]
        scores = example_scores[hit]
        order = np.lexsort((-scores, owners))
        owners, scores = owners[order], scores[order]
        first = np.ones(owners.size, dtype=bool)
        first[1:] = owners[1:] != owners[:-1]
        best[owners[first]] = scores[first]
        if SECOND_EXAMPLE_WEIGHT:
            second_mask = np.zeros(owners.size, dtype=bool)
            second_mask[1:] = first[:-1] & ~first[1:]
            second = np.zeros(self._owner_count, dtype=np.float64)
            second[owners[second_mask]] = scores[second_mask]
            best = (1 - SECOND_EXAMPLE_WEIGHT) * best + SECOND_EXAMPLE_WEIGHT * second
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
