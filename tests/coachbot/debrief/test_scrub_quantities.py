"""One list of quantity words for the phone and the reference passes: a number before any of
them is a count, an amount or a duration, whichever pass looks at it."""

from __future__ import annotations

import pytest

from coachbot.debrief.scrub.quantities import QUANTITY_WORDS
from coachbot.debrief.scrubber import scrub

SPELLED = [word.replace("-", " ") for word in QUANTITY_WORDS]  # "per-cent" is "per cent"


@pytest.mark.parametrize("word", SPELLED)
def test_grouped_digits_before_a_quantity_word_are_not_a_phone_number(word):
    text = f"over the year it came to 1234 5678 {word} in total"
    assert scrub(text).text == text


@pytest.mark.parametrize("word", SPELLED)
def test_a_number_after_a_reference_cue_and_before_a_quantity_word_is_not_a_reference(word):
    text = f"that ticket was 48213 {word} in the end"
    assert scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # words only the reference pass knew before
        ("used 1234 5678 minutes last month", "1234 5678 minutes"),
        ("downloaded 4500 0000 kb over the weekend", "4500 0000 kb"),
        # words only the phone pass knew before
        ("ticket 48213 users affected", "48213 users"),
        ("account 4821 views this week", "4821 views"),
    ],
)
def test_each_pass_now_knows_the_words_only_the_other_knew(text, kept):
    assert kept in scrub(text).text


def test_lines_open_after_a_phone_number_leaves_it_a_phone_number():
    assert scrub("Call 0800 123 4567 lines open 8am to 8pm").text == (
        "Call [phone] lines open 8am to 8pm"
    )
