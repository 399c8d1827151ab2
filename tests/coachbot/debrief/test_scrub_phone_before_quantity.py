"""A phone number followed by a quantity word is masked whole: the quantity rule ("45 minutes"
is a count) decides for the whole number, never for its last group ("[phone] 0958 times" leaks
the last four digits). Real counts before the same words stay as written."""

from __future__ import annotations

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from coachbot.debrief.scrubber import scrub
from tests.coachbot.debrief.test_scrub_quantities import SPELLED
from tests.coachbot.debrief.test_scrubber_properties import fuzz, leaked, phones

CUES = ["he called", "ring me on", "I got", "account number", "ticket", "it came to"]

PHONES = [
    "020 7946 0958",  # UK, spaced
    "020-7946-0958",  # UK, dashed
    "0161 496 0123",  # UK, area code of four
    "(415) 555-0132",  # US, brackets
    "415-555-0132",  # US, dashed
    "415 555 0132",  # US, spaced
    "0044 20 7946 0958",  # international with 00
    "+44 20 7946 0958",  # international with +
    "+1 415 555 0132",
    "98765 43210",  # an Indian mobile
]
WORDS = ["times", "minutes", "mins", "users", "calls", "hours", "%", "pm", "days", "x"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_before_a_quantity_word_is_masked_whole(phone, word):
    assert scrub(f"he called {phone} {word} today").text == f"he called [phone] {word} today"


@pytest.mark.parametrize("phone", PHONES)
def test_without_a_cue_the_phone_number_is_still_masked_whole(phone):
    assert scrub(f"I got {phone} minutes after noon").text == "I got [phone] minutes after noon"


def test_the_reported_lines_are_masked_whole():
    assert scrub("he called 020 7946 0958 times today").text == "he called [phone] times today"
    assert scrub("ring me on 020 7946 0958 minutes after noon").text == (
        "ring me on [phone] minutes after noon"
    )


@pytest.mark.parametrize(
    "text",
    [
        "it came to 1234 5678 9012 minutes",  # a possible number: its last group goes too
        "call 0999 123 4567 minutes",
    ],
)
def test_the_groups_of_a_possible_number_before_a_quantity_word_are_not_left_behind(text):
    assert "[phone]" in scrub(text).text
    assert not any(group in scrub(text).text for group in ("9012", "4567"))


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("account number 020 7946 0958 times today", "account number [account] times today"),
        ("ticket 1234 5678 9012 users", "ticket [account] users"),
    ],
)
def test_a_reference_before_a_quantity_word_keeps_none_of_its_groups(text, scrubbed):
    assert scrub(text).text == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "waited 45 minutes",
        "called 3 times",
        "1,500 users",
        "called 12 times in 2 days",
        "we had 1 250 000 units",
        "2 500 000 calls this year",  # dialable in some region, written as an amount
        "we had 1 250 000 000 users",
        "downloaded 4500 0000 kb",  # a German number short of its leading 0: an amount
        "1234567890 users",
        "over the year it came to 1234 5678 minutes",
        "that ticket was 48213 times",
    ],
)
def test_a_real_count_before_a_quantity_word_is_kept(text):
    assert scrub(text).text == text


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("he called 0161 496 0123 12 times today", "he called [phone] 12 times today"),
        ("account 0161 496 0123 12 times", "account [account] 12 times"),
        ("case 4821 300 users affected", "case [account] 300 users affected"),
        ("call 020 7946 0958 ext 12 times", "call [phone] ext 12 times"),
    ],
)
def test_a_count_after_a_phone_number_or_a_reference_is_kept(text, scrubbed):
    assert scrub(text).text == scrubbed


@fuzz
@given(phone=phones(), word=st.sampled_from([*SPELLED, "x"]), cue=st.sampled_from(CUES))
def test_no_group_of_a_planted_phone_number_survives_before_a_quantity_word(phone, word, cue):
    text = f"{cue} {phone} {word} today"
    note(f"text: {text!r}")
    result = scrub(text)
    note(f"scrubbed: {result.text!r}")
    assert leaked(phone, f"{cue}  {word} today", result.text) == []
    assert scrub(result.text).text == result.text  # and scrubbing again changes nothing
