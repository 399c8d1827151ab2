"""Bad input never crashes the scrubber, and scrubbing twice changes nothing."""

from __future__ import annotations

import logging
import random

import pytest

from coachbot.debrief.scrubber import KINDS, scrub
from tests.coachbot.debrief.test_scrub_keep import UNTOUCHED
from tests.coachbot.debrief.test_scrubber import CASES

HOSTILE = [
    "",
    " ",
    "\n\n\t",
    "x" * 5000,
    "word " * 1000,
    "1 " * 2500,
    "4111 " * 1000,
    "1-" * 2500,
    "0" * 5000,
    "+1 " * 2000,
    "a@b.c " * 800,
    "1.1.1.1 " * 600,
    "http://a.b/" + "x" * 5000,
    "Mr " * 1500,
    "Sarah " * 900,
    "jane dot " * 500 + "at gmail dot com",
    "A1B2C3D4 " * 500,
    "::::" * 1000,
    "@" * 4000,
    "[[[[" * 1000 + "]]]]" * 1000,
    "**bold** _it_ `code` ```block``` > quote\n- item\n1. item\n[link](https://x.y/u/1?a=b)",
    "@everyone @here <@123456789012345678> <@!98765432109876543> <@&1234567890> <#1234567890>",
    "\x00\x01\x02 control \x1b[31m ansi \u200b zero width \u202e rtl \ufeff bom",
    "emoji 😀👍🏽 and CJK 张伟 and Arabic محمد and Cyrillic Иван",
    "[email] [phone] [card] [iban] [account] [address] [name] [dob] [ip] [url] [id-number]",
    "[EMAIL] [Name] [name [phone [] [] [x]",
    "jane@example.com 020 7946 0958 4111 1111 1111 1111 GB82 WEST 1234 5698 7654 32",
    "\ue000\ue000 private use \ue000 jane@example.com",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_handled_without_error(text, caplog):
    with caplog.at_level(logging.ERROR, logger="coachbot.debrief"):
        result = scrub(text)
    assert isinstance(result.text, str)
    assert not caplog.records  # no pass failed (a failing pass would raise ScrubFailed)
    assert set(result.redactions) <= set(KINDS)
    assert all(count > 0 for count in result.redactions.values())


def test_empty_text_is_returned_as_is():
    assert scrub("").text == ""
    assert scrub("").redactions == {}
    assert scrub("   ").text == "   "


def test_text_that_is_nothing_but_personal_data():
    result = scrub("jane@example.com 020 7946 0958 4111 1111 1111 1111 192.168.0.1")
    assert result.text == "[email] [phone] [card] [ip]"


def test_placeholders_already_in_the_text_are_kept_and_not_counted():
    text = "[name] called from [phone] about [account]; Mrs [name] at [address]."
    result = scrub(text)
    assert result.text == text
    assert result.redactions == {}


def test_a_long_debrief_is_scrubbed_whole():
    sentence = "Hi Tom, call 020 7946 0958 or mail jane@example.com about order #48213. "
    text = sentence * 80  # about 5,800 characters
    result = scrub(text)
    assert "0958" not in result.text and "jane" not in result.text and "Tom" not in result.text
    assert result.redactions == {"name": 80, "phone": 80, "email": 80, "account": 80}


def test_mentions_are_not_left_pingable_but_everyone_is_plain_text():
    result = scrub("thanks <@123456789012345678> and <@!98765432109876543>, @everyone")
    assert "<@" not in result.text
    assert result.text.endswith("@everyone")


IDEMPOTENCE_TEXTS = [c[0] for c in CASES] + UNTOUCHED + [t for t in HOSTILE if len(t) < 6000]


@pytest.mark.parametrize("text", IDEMPOTENCE_TEXTS, ids=range(len(IDEMPOTENCE_TEXTS)))
def test_scrubbing_twice_changes_nothing(text):
    once = scrub(text).text
    twice = scrub(once)
    assert twice.text == once
    assert twice.redactions == {}


def test_scrubbing_twice_changes_nothing_on_mixed_debriefs():
    pieces = [c[0] for c in CASES] + UNTOUCHED
    rng = random.Random(7)
    for _ in range(200):
        text = " ".join(rng.sample(pieces, 4))
        once = scrub(text).text
        assert scrub(once).text == once, text
