"""The text pipeline: what a question's words become before the matcher weighs them."""

from __future__ import annotations

from coachbot.knowledge.fast.terms import terms_many
from coachbot.knowledge.models import SynonymGroup
from coachbot.knowledge.text import Analyzer


def test_number_words_say_nothing_about_the_topic_like_digits():
    analyzer = Analyzer.from_synonyms(())
    assert analyzer.terms("on hold fifty five minutes") == analyzer.terms("on hold 55 minutes")
    assert analyzer.terms("twenty minutes in, three weeks later") == ["minut", "week", "later"]


def test_a_phrase_with_a_number_word_still_folds_before_the_number_drops():
    analyzer = Analyzer.from_synonyms((SynonymGroup(("repeat", "three times")),))
    assert analyzer.terms("she explained it three times") == ["explain", "repeat"]
    assert terms_many(analyzer, ["she explained it three times"]) == [["explain", "repeat"]]
