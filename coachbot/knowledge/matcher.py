"""Ranks topics for a free-text question: weighted term overlap, a fuzzy re-rank, a calibrated
decline.

Why this shape: agents' questions are short and noisy, and the knowledge base is trainer
-written, so a lexical model with rarity weighting (IDF), synonym folding and rapidfuzz typo
repair stays deterministic, fast at 10,000 topics and explainable to trainers.

1. Every topic gets a lexical score: the centroid of its example questions, its card's own
   words and its single closest example question.
2. The best RERANK topics are re-ranked by how the question reads next to each one's own
   example questions, character by character (rapidfuzz): word forms the stemmer misses, and
   the small words a bag of words drops ("my" feelings or "the customer's").
3. A logistic model over a few signals (how strongly the best topic matches, how close the
   trainers' out-of-scope examples come, how much of the question the topics' words cover)
   gives the probability that the answer is right. The matcher declines under the threshold,
   and whatever the model says when words that only out-of-scope examples use ("payroll")
   carry a good share of the question, or when it is mostly words that no topic uses. The
   weights are fitted by `python -m coachbot.knowledge.calibrate` on the knowledge base's own
   questions and out-of-scope examples, each fold matched by a matcher built without it; no
   held-out question is involved.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice

import numpy as np

from coachbot.knowledge.fast.terms import BulkTerms, terms_many
from coachbot.knowledge.index import Index, paused_gc
from coachbot.knowledge.models import KnowledgeBase, Topic
from coachbot.knowledge.rerank import ExampleTexts
from coachbot.knowledge.text import Analyzer
from coachbot.knowledge.typos import TypoRepair

MAX_QUERY_CHARS = 1000
# A topic's lexical score blends three views of the same question:
CENTROID_WEIGHT = 0.4  # the topic's example questions taken together (Rocchio centroid)
CARD_WEIGHT = 0.4  # the card's own words: title, tags, summary, steps, say, tip
NEAREST_WEIGHT = 0.2  # the single closest example question
# The re-rank adds, for the best RERANK topics by lexical score:
RERANK = 6
EXAMPLES_PER_TOPIC = 16  # ... reading each one's closest examples by tf-idf
OUT_OF_SCOPE_EXAMPLES = 256  # ... and at most this many closest out-of-scope ones
RATIO_WEIGHT = 0.5  # rapidfuzz ratio with the closest example question
OVERLAP_WEIGHT = 0.2  # the words it shares with its closest examples (see rerank.py)
# The decline model: the evidence it reads, its weights (calibrate.py) and the threshold.
EVIDENCE = (
    "lexical",  # the best topic's lexical score
    "ratio",  # ... its ratio with its closest example
    "overlap",  # ... its mean word overlap
    "oos_nearest",  # the closest out-of-scope example's tf-idf cosine
    "oos_ratio",  # ... ratio with the closest out-of-scope example
    "oos_overlap",  # ... mean word overlap with the out-of-scope examples
    "coverage",  # share of the question's weight that the topics' own words carry
)
CALIBRATION_WEIGHTS = (7.38, 5.36, 4.30, -3.24, -15.58, -2.29, 3.09)
CALIBRATION_BIAS = 0.70
# Answer when the probability of a right answer reaches this. Chosen on the development sets
# (tests/coachbot/knowledge/data/); `calibrate` prints what each threshold does on the
# knowledge base's own questions.
DEFAULT_THRESHOLD = 0.3
# The clarify models (calibrate.py, fitted unweighted so that they stay probabilities): the
# decline model's evidence plus how far the best topic leads, giving the probability that the
# best topic is right (FIRST) and that a right topic is among the best CHOICES (CHOICES).
RANK_EVIDENCE = (
    *EVIDENCE,
    "lead_second",  # (best - second) / best combined score
    "lead_third",  # (best - third) / best
    "best",  # the best topic's combined score
)
FIRST_WEIGHTS = (4.59, 1.46, 2.24, -0.95, -8.83, -1.87, 0.19, 6.01, 0.79, 3.22)
FIRST_BIAS = 0.58
CHOICES_WEIGHTS = (8.02, 2.90, 2.77, -2.70, -13.49, -2.24, 0.55, -0.35, -0.27, 5.50)
CHOICES_BIAS = 2.31
CHOICES = 3  # a clarify offers this many topics
# Answer only when the card is more likely right than wrong; otherwise ask "Which is closest?"
# when one click on the offered topics finds a right card at least this often (the expected
# one-click rate); otherwise decline. Chosen on the development sets: see `calibrate`.
ANSWER_FIRST = 0.5
CLARIFY_CHOICES = 0.6
MIN_COVERAGE = 0.6  # under this share of the question's weight in topic words: out of scope
# Words only out-of-scope examples use ("payroll") decline a question when they carry at least
# this share of its weight: in a story of a dozen words, one such word in passing ("tonight",
# "the portal") is scenery, not the subject. Chosen on the development sets.
OUT_OF_SCOPE_WORD_SHARE = 0.12


@dataclass(frozen=True)
class Ranked:
    """A topic and its confidence: the best topic's is the calibrated probability of a right
    answer, the others' are that probability scaled by their score relative to the best."""

    topic_id: str
    confidence: float


@dataclass(frozen=True)
class MatchResult:
    """The outcome of ranking; `topic_id` is set only when the matcher is confident."""

    topic_id: str | None
    confidence: float
    ranked: tuple[Ranked, ...]
    out_of_scope: bool = False
    clarify: bool = False  # unsure of the best, sure enough of the best CHOICES: ask which

    @property
    def answered(self) -> bool:
        return self.topic_id is not None

    @property
    def alternatives(self) -> tuple[str, ...]:
        return tuple(r.topic_id for r in self.ranked if r.topic_id != self.topic_id)[:3]


@dataclass(frozen=True)
class Assessment:
    """The ranking before the decision: what `match` decides on and calibrate.py fits on."""

    order: tuple[int, ...]  # topic indexes, best first (at most RERANK)
    scores: tuple[float, ...]  # their combined scores, in that order
    evidence: tuple[float, ...]  # one value per name in EVIDENCE, for the best topic
    out_of_scope_word: bool  # words only out-of-scope examples use carry much of the question

    @property
    def forced_decline(self) -> bool:
        """Out of scope whatever the model says: a word only out-of-scope examples use, or
        too much of the question in words that no topic uses."""
        return self.out_of_scope_word or self.evidence[EVIDENCE.index("coverage")] < MIN_COVERAGE

    def probability(self) -> float:
        """The decline model's probability that the best topic is a right answer."""
        return _logistic(CALIBRATION_WEIGHTS, CALIBRATION_BIAS, self.evidence)

    @property
    def rank_evidence(self) -> tuple[float, ...]:
        """One value per name in RANK_EVIDENCE: the evidence and the best topic's lead."""
        best = self.scores[0]
        second, third = (*self.scores[1:3], 0.0, 0.0)[:2]
        scale = max(best, 1e-9)
        return (*self.evidence, (best - second) / scale, (best - third) / scale, best)

    def first_probability(self) -> float:
        """The probability that the best topic is a right one (the clarify model)."""
        return _logistic(FIRST_WEIGHTS, FIRST_BIAS, self.rank_evidence)

    def choices_probability(self) -> float:
        """The probability that a right topic is among the best CHOICES."""
        return _logistic(CHOICES_WEIGHTS, CHOICES_BIAS, self.rank_evidence)


def _logistic(weights: Sequence[float], bias: float, values: Sequence[float]) -> float:
    z = bias + sum(w * x for w, x in zip(weights, values, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def card_text(topic: Topic) -> str:
    """The card's own words as one text; the title counts twice."""
    parts = [topic.title, topic.title, " ".join(topic.tags), topic.summary]
    parts += [*topic.steps, *topic.say, topic.tip or ""]
    return " . ".join(parts)


class Matcher:
    """Fixed once built (only memos grow); a reload builds a new Matcher."""

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
        self._repair = TypoRepair(self._vocab, self.analyzer.single_words)
        self._idf = self.index.idf
        # a word the knowledge base never uses weighs as much as its rarest known word
        self._unknown_idf = float(self._idf.max(initial=1.0))
        self._topic_terms = self.index.topic_terms
        # words that only out-of-scope examples use ("payroll", "vpn", "landlord") mark a question
        self._oos_only = self.index.oos_only
        self._owners = self.index.owners
        # each owner's example rows are [bounds[owner], bounds[owner + 1]) (grouped by owner)
        self._bounds = np.searchsorted(self._owners, np.arange(self._owner_count + 1))
        self._examples = self.index.examples
        self._cards = self.index.cards
        self._centroids = self.index.centroids
        self._centroid_norms = self.index.centroid_norms
        # each example's dot product with its own topic's sum, for leave-one-out scoring
        self._self_dots = self.index.self_dots
        self._texts = ExampleTexts(kb)  # the fuzzy re-rank's view of the examples

    def _build_index(self) -> Index:
        """Rows: each topic's title and questions, then the out-of-scope examples; cards.

        The reference for `fast.bulkload.BulkReader.index`, which builds the same index from
        rows analysed in worker processes during a cold load.
        """
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

    def _coverage(self, terms: Sequence[str]) -> tuple[float, float]:
        """How much of the question (by word weight) the topics' own vocabulary accounts for,
        and how much words that only out-of-scope examples use do."""
        total = covered = outside = 0.0
        for term in terms:
            index = self._vocab.get(term)
            weight = self._unknown_idf if index is None else float(self._idf[index])
            total += weight
            if index in self._topic_terms:
                covered += weight
            elif index in self._oos_only:
                outside += weight
        return (covered / total, outside / total) if total else (0.0, 0.0)

    def query_terms(self, question: str) -> list[str]:
        return [self._repair(t) for t in self.analyzer.terms(question[:MAX_QUERY_CHARS])]

    def topics_use(self, term: str) -> bool:
        """Whether any topic (its examples or its card) uses `term`."""
        return self._vocab.get(term) in self._topic_terms

    @cached_property
    def topic_keywords(self) -> frozenset[str]:
        """The terms trainers name topics with: titles, tags and synonym groups' words.

        Why: a message of one word is a question only when that word names a topic (see
        nonquestion.py). Built on first use, once per knowledge version."""
        texts = [t.title for t in self.kb.topics]
        texts += [tag.replace("-", " ") for t in self.kb.topics for tag in t.tags]
        texts += [term for group in self.kb.synonyms for term in group.terms]
        return frozenset(term for row in terms_many(self.analyzer, texts) for term in row)

    def match(self, question: str, *, exclude_example: int | None = None) -> MatchResult:
        """Rank every topic for `question`; decline below the threshold or when out of scope.

        `exclude_example` (a row of `example_index`) scores as if that example were not in
        the knowledge base, for leave-one-out checks.
        """
        assessment = self.assess(question, exclude_example=exclude_example)
        if assessment is None:
            return MatchResult(topic_id=None, confidence=0.0, ranked=())
        probability = assessment.probability()
        top = assessment.scores[0]
        ranked = tuple(
            Ranked(self._topic_ids[i], round(probability * min(score / top, 1.0), 4))
            for i, score in zip(assessment.order[:5], assessment.scores, strict=False)
        )
        best = ranked[0]
        evidence = dict(zip(EVIDENCE, assessment.evidence, strict=True))
        closer_out = evidence["oos_ratio"] >= evidence["ratio"]
        forced = assessment.forced_decline
        in_scope = probability >= self.threshold and not forced
        confident = in_scope and assessment.first_probability() >= ANSWER_FIRST
        clarify = (
            not confident
            and not forced
            and len(ranked) > 1
            and assessment.choices_probability() >= CLARIFY_CHOICES
        )
        return MatchResult(
            topic_id=best.topic_id if confident else None,
            confidence=best.confidence,
            ranked=ranked,
            out_of_scope=not confident and not clarify and (forced or closer_out),
            clarify=clarify,
        )

    def assess(self, question: str, *, exclude_example: int | None = None) -> Assessment | None:
        """The ranked topics and the evidence for the best; None when no topic shares a word."""
        question = question[:MAX_QUERY_CHARS]
        terms = self.query_terms(question)
        if not terms:
            return None
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
        lexical = (
            CENTROID_WEIGHT * centroid[topics]
            + CARD_WEIGHT * self._cards.scores(query)
            + NEAREST_WEIGHT * nearest[topics]
        )
        candidates = [
            int(i) for i in np.argsort(-lexical, kind="stable")[:RERANK] if lexical[i] > 0
        ]
        if not candidates:
            return None
        groups = [self._closest(example_scores, i, EXAMPLES_PER_TOPIC) for i in candidates]
        groups.append(self._closest(example_scores, self._oos, OUT_OF_SCOPE_EXAMPLES))
        ratio, overlap = self._texts.scores(question, groups, exclude_example)
        combined = lexical[candidates] + RATIO_WEIGHT * ratio[:-1] + OVERLAP_WEIGHT * overlap[:-1]
        order = np.argsort(-combined, kind="stable")
        first = int(order[0])
        coverage, outside = self._coverage(terms)
        evidence = (
            float(lexical[candidates[first]]),
            float(ratio[first]),
            float(overlap[first]),
            float(nearest[self._oos]),
            float(ratio[-1]),
            float(overlap[-1]),
            coverage,
        )
        return Assessment(
            order=tuple(candidates[int(j)] for j in order),
            scores=tuple(float(combined[j]) for j in order),
            evidence=evidence,
            out_of_scope_word=outside >= OUT_OF_SCOPE_WORD_SHARE,
        )

    def _closest(self, example_scores: np.ndarray, owner: int, count: int) -> Sequence[int]:
        """The rows of `owner`'s `count` examples with the highest tf-idf scores."""
        start, stop = int(self._bounds[owner]), int(self._bounds[owner + 1])
        if stop - start <= count:
            return range(start, stop)
        best = np.argpartition(-example_scores[start:stop], count - 1)[:count]
        return sorted((best + start).tolist())

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
