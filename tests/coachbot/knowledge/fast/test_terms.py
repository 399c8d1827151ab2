"""The bulk text analysis (`fast.terms`) gives exactly the terms of `Analyzer.terms`.

`Analyzer.terms` is the reference, one text at a time; `BulkTerms.rows`, `BulkTerms.flat` and
`terms_many` must give the same terms for every text, however the texts fall into chunks.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from coachbot.knowledge.fast.terms import BulkTerms, terms_many
from coachbot.knowledge.matcher import card_text
from coachbot.knowledge.text import Analyzer
from tests.coachbot.knowledge.test_index import small_kb


def test_bulk_analysis_matches_one_text_at_a_time(live_knowledge):
    kb = live_knowledge.kb
    analyzer = Analyzer.from_synonyms(kb.synonyms)
    texts = [q for t in kb.topics for q in (t.title, *t.questions)] + list(kb.out_of_scope)
    texts += [card_text(t) for t in kb.topics]
    texts += [
        "it wont turn on",  # a phrase, and no apostrophe to expand
        "I can't, it won't turn on",
        "cant\x01 ｃｕｓｔｏｍｅｒ\x1b",
        "",
        "line\nbreak",
        "hang up hang up hung up",
        "é" * 40,
    ]
    bulk = BulkTerms(analyzer)
    rows = [[bulk.names[n] for n in row] for row in bulk.rows(texts, chunk=7)]
    assert rows == [analyzer.terms(t) for t in texts]
    assert terms_many(analyzer, texts) == rows
    assert flat_terms(BulkTerms(analyzer), texts, chunk=7) == rows
    assert flat_terms(BulkTerms(analyzer), texts) == rows


def flat_terms(bulk: BulkTerms, texts: list[str], chunk: int = 4096) -> list[list[str]]:
    """`BulkTerms.flat`'s arrays back as each text's terms."""
    text_of, numbers, count = bulk.flat(texts, chunk=chunk)
    assert count == len(texts) and np.all(np.diff(text_of) >= 0)
    terms: list[list[str]] = [[] for _ in texts]
    for text, number in zip(text_of.tolist(), numbers.tolist(), strict=True):
        terms[text].append(bulk.names[number])
    return terms


# words of the small knowledge base's phrases, contractions, separators and other scripts
WORDISH = st.sampled_from(
    [
        *"money back hang up hung end the call yell scream a cant can't won’t".split(),
        *"x|y | _ é — 12 ｃｕｓｔ".split(),
        *("\n", "\x1c", "\u2028", "\x85"),
    ]
)


@settings(max_examples=300)
@given(
    texts=st.lists(
        st.lists(WORDISH, max_size=10).map(" ".join) | st.text(max_size=30),
        min_size=1,
        max_size=8,
    ),
    chunk=st.integers(1, 5),
)
def test_bulk_analysis_of_any_text_matches_one_text_at_a_time(texts, chunk):
    """Phrases cut by a chunk, line breaks inside a text, odd separators and scripts."""
    analyzer = Analyzer.from_synonyms(small_kb().synonyms)
    expected = [analyzer.terms(t) for t in texts]
    bulk = BulkTerms(analyzer)
    assert [[bulk.names[n] for n in row] for row in bulk.rows(texts, chunk=chunk)] == expected
    assert flat_terms(BulkTerms(analyzer), texts, chunk=chunk) == expected
