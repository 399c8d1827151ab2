"""Word lists the name pass relies on, shipped as text files in `data/` and read once.

- first_names / surnames: a modest international list; a capitalised word in it is a name.
- common_words: everyday words, including names that are also words (Will, Grace, May); such a
  name is only taken after a strong cue ("Hi Grace", "Mrs May", "named Will").
- keep_words: what a debrief needs to stay useful (weekdays, months, departments, roles, plans,
  brands, places): never taken as a name except, for real first names, right after a strong cue.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Casefold and drop accents and apostrophes: "José" -> "jose", "O'Brien" -> "obrien"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum() or c == "-")


@cache
def words(name: str) -> frozenset[str]:
    """One list from `data/<name>.txt`: a folded word per line, `#` comments allowed."""
    text = resources.files(__package__).joinpath("data", f"{name}.txt").read_text("utf-8")
    return frozenset(
        fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def first_names() -> frozenset[str]:
    return words("first_names")


def surnames() -> frozenset[str]:
    return words("surnames")


def common_words() -> frozenset[str]:
    return words("common_words")


def keep_words() -> frozenset[str]:
    return words("keep_words")
