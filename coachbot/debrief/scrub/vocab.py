"""Word lists the name pass relies on, shipped as text files in `data/` and read once.

- first_names / surnames: a curated international list plus a long one from the Faker project
  (`*_more.txt`); a capitalised word in them is a name.
- common_words: everyday words, including names that are also words (Will, Grace, May) or
  places (`name_places.txt`: Bolton, Kingston); such a name is only taken after a cue or next to
  another name ("Hi Grace", "Mrs May", "named Will", "Keira Bolton").
- places: towns that are in no name list ("Galway"); read like keep words by the name pass.
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


@cache
def first_names() -> frozenset[str]:
    return words("first_names") | words("first_names_more")


def curated_first_names() -> frozenset[str]:
    """The hand-kept first names: only these are names in lower case without a cue ("sarah
    was upset"); the long list would take too many stray lower-case words."""
    return words("first_names")


def curated_surnames() -> frozenset[str]:
    return words("surnames")


@cache
def surnames() -> frozenset[str]:
    return words("surnames") | words("surnames_more")


@cache
def common_words() -> frozenset[str]:
    return everyday_words() | words("name_places")


def everyday_words() -> frozenset[str]:
    """The common words without the names that are also places: for the server's members,
    whose names are names whatever else they are ("Ada", "Kingston")."""
    return words("common_words")


def keep_words() -> frozenset[str]:
    return words("keep_words")


@cache
def ordinary_words() -> frozenset[str]:
    """Common and keep words together (built once: several rules ask about both)."""
    return common_words() | keep_words()


def places() -> frozenset[str]:
    """Towns in no name list ("Galway", "Athlone"): never a name on their own."""
    return words("places")


def name_places() -> frozenset[str]:
    """Names that are also towns ("Kilkenny", "Bolton")."""
    return words("name_places")
