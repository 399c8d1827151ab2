"""Cheap scanning helpers: start from the digits, then look back for the cue.

Large alternations of cue words are slow to run over a whole text with `re`; most personal data
that a cue introduces contains a digit, and debriefs hold few of those. So the cue passes find
each token that contains a digit and test only the few characters before it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

_DIGITS = re.compile(r"\d+")
# Where a cue word may start: not after a letter, but right after a digit is fine, so that
# "678case no. 45" reads the same before and after "678" becomes a placeholder (idempotence).
WORD_START = r"(?<![^\W\d_])"
TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "/_.-")


def digit_tokens(view: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of ASCII letters, digits and `/_.-` holding a digit."""
    last_end = -1
    for match in _DIGITS.finditer(view):
        if match.start() < last_end:
            continue
        start, end = match.start(), match.end()
        while start > 0 and view[start - 1] in TOKEN_CHARS:
            start -= 1
        while end < len(view) and view[end] in TOKEN_CHARS:
            end += 1
        last_end = end
        yield start, end


_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]/[^\W\d_](?![^\W\d_])|[^\W\d_]+")  # "a/c" is one word


def cue_before(
    pattern: re.Pattern[str],
    view: str,
    start: int,
    reach: int = 60,
    words: frozenset[str] | None = None,
) -> re.Match | None:
    """`pattern` (written to end with `$`) matched in the `reach` characters before `start`.

    `words`, when given, are the words a cue can start with: the pattern is then tried only
    where one of them stands (a set lookup is much cheaper than a long alternation at every
    position).
    """
    low = max(0, start - reach)
    if words is None:
        return pattern.search(view, low, start)
    for word in _WORD.finditer(view, low, start):
        if word.group(0).lower() in words and (found := pattern.match(view, word.start(), start)):
            return found
    return None
