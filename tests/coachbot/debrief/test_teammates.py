"""Names seen per server feed the scrubber; memory stays bounded."""

from __future__ import annotations

from coachbot.debrief.teammates import Teammates


def test_names_are_kept_per_server_without_blanks_or_repeats():
    seen = Teammates()
    seen.saw("s1", "1", ["Zorvath", None, "zorvath_99", "Zorvath"])
    seen.saw("s2", "2", ["Quillon"])
    seen.saw("s1", "3", [None, ""])  # nothing to keep

    assert seen.names("s1") == ["Zorvath", "zorvath_99"]
    assert seen.names("s2") == ["Quillon"]
    assert seen.names("s3") == []


def test_a_server_keeps_the_most_recently_seen_people():
    seen = Teammates(per_server=2)
    seen.saw("s1", "1", ["Ada"])
    seen.saw("s1", "2", ["Ben"])
    seen.saw("s1", "1", ["Ada"])  # seen again: now the most recent
    seen.saw("s1", "3", ["Cyd"])

    assert seen.names("s1") == ["Ada", "Cyd"]
