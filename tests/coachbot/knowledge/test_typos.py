"""Typo repair fixes what agents mistype and leaves the real words of their stories alone."""

from __future__ import annotations

import pytest

from coachbot.knowledge.text import stem
from coachbot.knowledge.typos import TypoRepair

# knowledge-base words one edit away from real words that are not about them
VOCABULARY = {"settl", "blood", "rather", "month", "store", "interrupt", "escal", "speak", "manag"}
SYNONYMS = {"supervisor": "manag"}  # a one-word synonym the analyzer folds into "manag"


@pytest.fixture
def repair() -> TypoRepair:
    return TypoRepair(VOCABULARY, SYNONYMS)


@pytest.mark.parametrize("word", ["kettle", "flood", "father", "mouth", "storm", "score"])
def test_a_real_word_is_kept_even_one_edit_from_a_known_one(repair, word):
    assert repair(stem(word)) == stem(word)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("interupting", "interrupt"),
        ("escalte", "escal"),
        ("speek", "speak"),
        ("supervisr", "manag"),  # aimed at a synonym, repaired into its canonical term
    ],
)
def test_a_typo_is_still_repaired(repair, typo, meant):
    assert repair(stem(typo)) == meant


def test_known_and_short_words_are_left_alone(repair):
    assert repair("store") == "store"
    assert repair("stor") == "stor"  # under five letters: too often another real word


def test_the_shipped_matcher_keeps_a_storys_nouns_and_repairs_its_typos(live_knowledge):
    terms = live_knowledge.matcher.query_terms("my father's kettle, pls escalte to a supervisr")
    assert "father" in terms and "kettl" in terms  # not "rather", not "settl"
    assert "escal" in terms and "supervisr" not in terms and "escalt" not in terms
