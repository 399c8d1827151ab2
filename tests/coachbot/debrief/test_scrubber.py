"""The masking that the ask log relies on (the full debrief scrubber builds on it)."""

from __future__ import annotations

import pytest

from coachbot.debrief.scrubber import luhn_valid, scrub


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to jane.doe+x@mail.example.co.uk today", "email"),
        ("it's jane dot doe at gmail dot com", "email"),
        ("call +1 415 555 2671 back", "phone"),
        ("her number is 020 7946 0958", "phone"),
        ("paid with 4111 1111 1111 1111", "card"),
        ("card 4242-4242-4242-4242 declined", "card"),
    ],
)
def test_personal_data_is_replaced_by_a_typed_placeholder(text, kind):
    result = scrub(text)
    assert f"[{kind}]" in result.text
    assert result.redactions.get(kind) == 1


@pytest.mark.parametrize(
    "text",
    ["refund of $40 after 3 days", "order of 1234567890123 units", "we met at noon", "50% off"],
)
def test_useful_numbers_survive(text):
    assert scrub(text).text == text


def test_luhn():
    assert luhn_valid("4242424242424242")
    assert not luhn_valid("4242424242424241")
