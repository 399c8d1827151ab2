"""Discord user mentions (`<@123…>`) and @handles: each points at one person, so `[name]`.
`@everyone` and `@here` point at no one and stay (the adapters never ping anyway)."""

from __future__ import annotations

import re

from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import fold, keep_words

_MENTION = re.compile(r"<@!?\d{1,25}>")
_HANDLE = re.compile(r"(?<![\w@./])@(?!everyone\b|here\b)[A-Za-z_][\w.]{1,31}(?<!\.)")


def scrub_handles(ledger: Ledger) -> None:
    """`<@123…>` user mentions and `@handles` point at one person; `@everyone` does not."""
    if "@" not in ledger.view:
        return
    for match in _MENTION.finditer(ledger.view):
        ledger.claim(match.start(), match.end(), "name")
    for match in _HANDLE.finditer(ledger.view):
        if fold(match.group(0)[1:]) not in keep_words():
            ledger.claim(match.start(), match.end(), "name")
