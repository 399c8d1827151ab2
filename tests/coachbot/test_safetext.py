"""Input of any bytes becomes text that can be written anywhere."""

from __future__ import annotations

from coachbot.safetext import decode_line, well_formed


def test_lone_surrogates_become_replacement_characters():
    assert well_formed("bad \udcff \ud800\udfff ok") == "bad \ufffd \ufffd\ufffd ok"
    assert well_formed("caf\u00e9 \U0001f600") == "caf\u00e9 \U0001f600"  # real text stays
    well_formed("x\udcff").encode("utf-8")  # no UnicodeEncodeError


def test_a_line_of_bytes_loses_its_ending_and_nothing_else():
    assert decode_line(b"bad \xff\r\n") == "bad \ufffd"
    assert decode_line(b"lone \xed\xa0\x80\n") == "lone \ufffd\ufffd\ufffd"
    assert decode_line(b"keeps\r\r\n") == "keeps\r"
    assert decode_line("caf\u00e9".encode()) == "caf\u00e9"
