"""One set of placeholders: what the scrubber writes is what the service and the themes look
past, and nothing else is."""

from __future__ import annotations

import pytest

from coachbot.debrief.scrub.placeholders import KINDS, PLACEHOLDER, placeholder
from coachbot.debrief.scrubber import scrub
from coachbot.debrief.themes import content_words
from coachbot.errors import InvalidInput


@pytest.mark.parametrize("kind", KINDS)
def test_the_scrubber_keeps_each_placeholder_it_writes(kind):
    text = f"then {placeholder(kind)} hung up"
    assert PLACEHOLDER.fullmatch(placeholder(kind))
    assert scrub(text).text == text


@pytest.mark.parametrize("kind", KINDS)
def test_themes_look_past_every_kind(kind):
    assert content_words(f"refund {placeholder(kind)} refused") == ("refund", "refus")


def test_themes_read_bracketed_words_that_are_not_placeholders():
    """An agent's own "[inaudible]" is part of the story; only the scrubber's kinds are not."""
    assert "inaud" in content_words("refund [inaudible] refused")


@pytest.mark.parametrize("kind", KINDS)
def test_a_debrief_of_placeholders_only_leaves_nothing_to_share(app, kind):
    text = " ".join(placeholder(kind) for _ in range(3))
    with pytest.raises(InvalidInput, match="nothing is left to share"):
        app.debriefs.prepare("g1", {"what_happened": text})
