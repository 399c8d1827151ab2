"""The bulk index builder is bit-for-bit the plain per-example Python it replaced.

Any drift, even in the last bit of a float, could reorder close topics, so the arrays are
compared exactly against that reference (`reference` below: see the table in
coachbot/knowledge/fast).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from coachbot.knowledge.index import Index
from coachbot.knowledge.matcher import Matcher, card_text
from coachbot.knowledge.models import KnowledgeBase, SynonymGroup, Topic
from coachbot.knowledge.text import Analyzer


def reference(kb: KnowledgeBase, analyzer: Analyzer) -> dict:
    """The index as the matcher used to build it: one dict per example, Python arithmetic."""
    oos = len(kb.topics)
    example_terms, owners = [], []
    for index, topic in enumerate(kb.topics):
        for text in (topic.title, *topic.questions):
            example_terms.append(analyzer.terms(text))
            owners.append(index)
    for text in kb.out_of_scope:
        example_terms.append(analyzer.terms(text))
        owners.append(oos)
    card_terms = [analyzer.terms(card_text(topic)) for topic in kb.topics]
    vocab: dict[str, int] = {}
    for terms in (*example_terms, *card_terms):
        for term in terms:
            vocab.setdefault(term, len(vocab))
    frequency = Counter(vocab[t] for terms in example_terms for t in set(terms))
    count = max(len(example_terms), 1)
    idf = np.array(
        [
            math.log(1 + (count - frequency[i] + 0.5) / (frequency[i] + 0.5))
            for i in range(len(vocab))
        ],
        dtype=np.float32,
    )

    def vector(terms):
        weights = {
            vocab[t]: (1 + math.log(tf)) * float(idf[vocab[t]]) for t, tf in Counter(terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values()) + 0.0) or 1.0
        return {k: w / norm for k, w in weights.items()}

    def postings(rows):
        entries = sorted(
            ((t, r, w) for r, row in enumerate(rows) for t, w in row.items()),
            key=lambda e: (e[0], e[1]),
        )
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount([e[0] for e in entries], minlength=len(vocab)), out=indptr[1:])
        ids = np.array([e[1] for e in entries], dtype=np.int32)
        return ids, np.array([e[2] for e in entries], dtype=np.float32), indptr

    examples = [vector(terms) for terms in example_terms]
    sums: list[Counter] = [Counter() for _ in range(oos + 1)]
    for owner, row in zip(owners, examples, strict=True):
        sums[owner].update(row)
    arrays = {
        "idf": idf,
        "owners": np.asarray(owners, dtype=np.int32),
        "centroid_norms": np.array(
            [math.sqrt(sum(w * w for w in total.values())) or 1.0 for total in sums]
        ),
        "self_dots": np.array(
            [
                sum(w * sums[owner][t] for t, w in row.items())
                for owner, row in zip(owners, examples, strict=True)
            ],
            dtype=np.float64,
        ),
    }
    for name, rows in (
        ("examples", examples),
        ("cards", [vector(terms) for terms in card_terms]),
        ("centroids", sums),
    ):
        arrays[f"{name}_i"], arrays[f"{name}_w"], arrays[f"{name}_p"] = postings(rows)
    topic_terms = {
        vocab[t] for o, ts in zip(owners, example_terms, strict=True) if o != oos for t in ts
    }
    topic_terms |= {vocab[t] for ts in card_terms for t in ts}
    oos_terms = {
        vocab[t] for o, ts in zip(owners, example_terms, strict=True) if o == oos for t in ts
    }
    arrays["topic_terms"] = np.array(sorted(topic_terms), dtype=np.int64)
    arrays["oos_only"] = np.array(sorted(oos_terms - topic_terms), dtype=np.int64)
    return {"vocabulary": tuple(vocab), **arrays}


def small_kb() -> KnowledgeBase:
    """Repeated words, phrases, stopwords-only and empty rows: the awkward cases."""

    def topic(topic_id: str, title: str, questions: tuple[str, ...]) -> Topic:
        return Topic(
            id=topic_id,
            title=title,
            tags=("calm",),
            questions=questions,
            summary="Stay calm, stay calm and hang up politely when it is over.",
            steps=("Breathe.", "Listen, listen again.", "Offer money back."),
            say=("I hear you.", "Let me check."),
            avoid=(),
            related=(),
            sources=("x",),
        )

    return KnowledgeBase(
        topics=(
            topic("a", "Angry caller", ("he yells and yells", "the the the", "can't stop")),
            topic("b", "Money back", ("wants a refund refund", "money back now", "¿dónde?")),
            topic("c", "Hang up", ("when can i hang up", "hung up on me", "hang up hang up")),
        ),
        synonyms=(
            SynonymGroup(("refund", "money back")),
            SynonymGroup(("hang up", "hung up", "end the call")),
            SynonymGroup(("yell", "scream")),
        ),
        out_of_scope=("payroll question", "vpn password reset", "the"),
    )


@pytest.fixture(params=["shipped", "small", "empty"])
def kb(request, live_knowledge) -> KnowledgeBase:
    return {
        "shipped": live_knowledge.kb,
        "small": small_kb(),
        "empty": KnowledgeBase(topics=()),
    }[request.param]


def test_the_index_is_bit_for_bit_the_reference(kb):
    matcher = Matcher(kb)
    expected = reference(kb, matcher.analyzer)
    index: Index = matcher.index
    assert index.vocabulary == expected.pop("vocabulary")
    arrays = index.to_arrays()
    assert set(arrays) == set(expected)
    for name, values in expected.items():
        assert arrays[name].dtype == values.dtype, name
        assert np.array_equal(arrays[name], values), name


def test_an_index_survives_its_arrays(live_knowledge):
    index = live_knowledge.matcher.index
    again = Index.from_arrays(
        index.vocabulary, index.to_arrays(), len(live_knowledge.kb.topics) + 1
    )
    assert again.vocabulary == index.vocabulary
    assert again.topic_terms == index.topic_terms and again.oos_only == index.oos_only


def test_inconsistent_arrays_are_refused(live_knowledge):
    index = live_knowledge.matcher.index
    arrays = index.to_arrays()
    arrays["examples_i"] = arrays["examples_i"][:-1]
    with pytest.raises(ValueError):
        Index.from_arrays(index.vocabulary, arrays, len(live_knowledge.kb.topics) + 1)
