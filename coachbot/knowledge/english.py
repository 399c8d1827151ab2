"""Real English words, so that typo repair leaves them alone.

Why: the matcher repairs a word it does not know into the closest knowledge-base word, and
without this list it "repaired" real words too: a story about a kettle became one about
settling, a flood one about blood. A word that English uses is what the agent meant.

The list is the stems (as `text.stem` makes them) of the words in pyspellchecker's English
frequency list (MIT licence, see data/NOTICE.txt) seen more often than its floor: about
53,000 words, a list kept free of common misspellings ("recieve", "untill" are not in it).
The floor's own 100,000 words are rare forms in alphabetical ties, left out. Only stems at
least as long as the matcher repairs are kept. It ships as a text file generated from the
library, so the bot needs no dictionary at run time and reads it in a few milliseconds, on
first use. Write it again after a pyspellchecker or stemmer upgrade (a test compares):

    python -m coachbot.knowledge.english
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

FILE = "english_stems.txt"
# pyspellchecker's English list counts every word at least this often: the long tail of
# rare forms tied at the floor, cut alphabetically. Words seen more often are kept.
FLOOR = 50


@cache
def english_stems() -> frozenset[str]:
    """The shipped stems, read once per process."""
    text = resources.files(__package__).joinpath("data", FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def build(min_length: int) -> list[str]:
    """The stems, sorted, from the installed pyspellchecker (a dev dependency)."""
    from spellchecker import SpellChecker

    from coachbot.knowledge.text import stem

    counts = SpellChecker(language="en").word_frequency.dictionary
    words = (word for word, count in counts.items() if count > FLOOR and word.isalpha())
    return sorted({s for s in map(stem, words) if len(s) >= min_length})


def render(stems: list[str]) -> str:
    """The file's text: a header that says where the stems come from, then one a line."""
    from importlib.metadata import version

    header = (
        "# Stems of real English words that typo repair keeps as they are (coachbot/knowledge/"
        "english.py).\n"
        f"# Generated from pyspellchecker {version('pyspellchecker')}'s English word list "
        "(MIT licence: NOTICE.txt);\n"
        "# write again with `python -m coachbot.knowledge.english`, never by hand.\n"
    )
    return header + "".join(f"{s}\n" for s in stems)


def main() -> None:
    from coachbot.knowledge.typos import TYPO_MIN_LENGTH

    path = Path(__file__).with_name("data") / FILE
    stems = build(TYPO_MIN_LENGTH)
    path.write_text(render(stems), encoding="utf-8")
    print(f"wrote {len(stems):,} stems to {path}")


if __name__ == "__main__":
    main()
