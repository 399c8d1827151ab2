"""The server's own members: their display names are replaced wherever they appear.

Matched whole-word and case-insensitively, as the whole display name or any distinctive part of
it ("Kofi Boateng" also removes a lone "Boateng"). Parts shorter than three characters, numbers
and everyday words ("Support", "the") are ignored: a member called "Billing Bot" must not erase
every mention of Billing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from coachbot.debrief.scrub.names import CUE_WORDS
from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import everyday_words, fold, keep_words

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8)
def _member_names(names: tuple[str, ...]) -> tuple[frozenset[tuple[str, ...]], int]:
    """Display names as word tuples (whole name and each distinctive part), and the longest."""
    found: set[tuple[str, ...]] = set()
    for raw in names:
        words = tuple(w.casefold() for w in _WORD.findall(raw or ""))
        if not words:
            continue
        joined = "".join(words)
        if (
            len(joined) >= 3
            and not joined.isdigit()
            and not (len(words) == 1 and _ordinary(words[0]))
        ):
            found.add(words)
        for word in words:
            if len(word) >= 3 and not word.isdigit() and not _ordinary(word):
                found.add((word,))
    return frozenset(found), max((len(w) for w in found), default=0)


def _ordinary(word: str) -> bool:
    folded = fold(word)
    return folded in everyday_words() or folded in keep_words() or folded in CUE_WORDS


def scrub_known_names(ledger: Ledger, names: Iterable[str]) -> None:
    """Replace the display names of the server's members, whole-word and case-insensitive."""
    wanted, longest = _member_names(tuple(sorted({n for n in names if isinstance(n, str)})))
    if not wanted:
        return
    view = ledger.view
    words = list(_WORD.finditer(view))
    folded = [w.group(0).casefold() for w in words]
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            if tuple(folded[i : i + size]) in wanted and all(
                re.fullmatch(r"[^\w\n\ue000]{1,3}", view[words[j].end() : words[j + 1].start()])
                for j in range(i, i + size - 1)
            ):
                ledger.claim(words[i].start(), words[i + size - 1].end(), "name")
                i += size - 1
                break
        i += 1
