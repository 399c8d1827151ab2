"""The shipped list of real English words is the library's, and holds no common misspelling."""

from __future__ import annotations

from importlib import resources

import pytest

from coachbot.knowledge.english import build, english_stems
from coachbot.knowledge.text import stem
from coachbot.knowledge.typos import TYPO_MIN_LENGTH


def test_the_shipped_file_is_what_the_library_generates():
    """After a pyspellchecker or stemmer upgrade: python -m coachbot.knowledge.english"""
    assert english_stems() == frozenset(build(TYPO_MIN_LENGTH))


@pytest.mark.parametrize("word", ["kettle", "flood", "father", "brochure", "plumber", "invoice"])
def test_everyday_words_are_in_it(word):
    assert stem(word) in english_stems()


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        *(("recieve", "receive"), ("seperate", "separate"), ("untill", "until")),
        *(("occured", "occurred"), ("dissapointed", "disappointed"), ("tommorow", "tomorrow")),
        # typos of the development questions
        *(("custmer", "customer"), ("escalte", "escalate"), ("supervisr", "supervisor")),
        *(("interupting", "interrupting"), ("complaning", "complaining")),
    ],
)
def test_a_misspelling_is_not_in_it_unless_it_stems_as_the_word_meant(typo, meant):
    """ "untill" stems to "until": already the word meant, nothing to repair."""
    assert stem(typo) == stem(meant) or stem(typo) not in english_stems()


def test_its_licence_notice_ships_beside_it():
    notice = resources.files("coachbot.knowledge").joinpath("data", "NOTICE.txt").read_text("utf-8")
    assert "pyspellchecker" in notice and "MIT License" in notice
