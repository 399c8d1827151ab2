"""Phrases that hold a person's name but are brands, places, holidays or storms ("Marks &
Spencer", "Dr Pepper", "St Patrick's Day", "Storm Ciarán"): claimed first as kept text, so that
no later pass takes them for a name."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from coachbot.debrief.scrub.spans import KEEP, Ledger

_WORD = re.compile(r"[^\W\d_]+")


@cache
def _phrases() -> tuple[frozenset[str], re.Pattern[str]]:
    """The phrases' first words (a cheap gate) and one pattern for them all, longest first."""
    text = resources.files(__package__).joinpath("data", "keep_phrases.txt").read_text("utf-8")
    phrases = sorted(
        {line.strip().lower() for line in text.splitlines() if line.strip()[:1] not in ("", "#")},
        key=len,
        reverse=True,
    )
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in phrases)
    first_words = frozenset(_WORD.match(p).group(0) for p in phrases)
    return first_words, re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.I)


# A saint's day ("St Patrick's Day", "Saint Andrew's Night") and a named storm ("Storm Ciarán",
# "Hurricane Katrina", "Tropical Storm Agnes"): the name in them is nobody's.
_EPONYMS = re.compile(
    r"(?<!\w)(?:(?:St\.?|Saint)\s+[A-Z][\w'’-]*(?:['’]s)?\s+(?:Day|Eve|Night|Week)"
    r"|(?i:storm|hurricane|typhoon|cyclone|super\s+typhoon|tropical\s+(?:storm|depression))"
    r"\s+[A-Z][^\W\d_]+)(?!\w)"
)
_EPONYM_GATE = frozenset("st saint storm hurricane typhoon cyclone".split())


def keep_phrases(ledger: Ledger) -> None:
    if not _EPONYM_GATE.isdisjoint(ledger.words):
        for match in _EPONYMS.finditer(ledger.view):
            ledger.claim(match.start(), match.end(), KEEP)
    first_words, pattern = _phrases()
    if first_words.isdisjoint(_WORD.findall(ledger.view.lower())):
        return
    for match in pattern.finditer(ledger.view):
        ledger.claim(match.start(), match.end(), KEEP)
