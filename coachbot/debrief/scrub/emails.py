"""Email addresses, written plainly or spoken ("jane dot doe at gmail dot com", "jane(at)example
(dot)org", "mike underscore smith at yahoo dot com")."""

from __future__ import annotations

import re

from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import common_words, fold

# Found from each "@": the local part is read backwards from it, the domain forwards.
_LOCAL_BEFORE = re.compile(r"(?<![\w.+'%-])[\w.+'%-]*\w\s?$")
_DOMAIN_AFTER = re.compile(
    r"@\s?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b"
    r"|@(?P<bare>[a-z][\w-]{2,})\b",  # no top-level domain: "jane@localhost"
    re.I,
)
# Spoken or obfuscated: "jane dot doe at gmail dot com", "jane(at)example(dot)org"
_DOT = r"(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>)\s*|\s+dot\s+|\.)"
_JOIN = rf"(?:{_DOT}|\s+(?:underscore|dash|hyphen)\s+|[_-])"  # "mike underscore smith"
_AT = r"(?:\s*(?:\(at\)|\[at\]|\{at\}|<at>|\(@\)|\[@\])\s*|\s+at\s+)"
_SPOKEN = re.compile(
    rf"\b[\w+-]+(?:{_JOIN}[\w+-]+){{0,3}}{_AT}[\w-]+(?:{_JOIN}[\w-]+){{0,3}}{_DOT}(?P<tld>[a-z]{{2,6}})\b",
    re.I,
)
_PROVIDERS = frozenset(
    """gmail googlemail yahoo hotmail outlook live msn aol icloud me mac proton protonmail gmx
    web yandex mail zoho fastmail hey comcast verizon att btinternet sky virginmedia orange
    free wanadoo t-online qq 163 rediffmail""".split()
)


def _spoken_is_email(raw: str) -> bool:
    """An explicit (at)/[at] or a spoken "dot" is enough; a bare "at x.com" needs a mail host."""
    lowered = raw.casefold()
    if re.search(r"[(\[{<]\s*(?:at|@)\s*[)\]}>]|\sdot\s|[(\[{<]dot[)\]}>]|\sunderscore\s", lowered):
        return True
    local, domain = re.split(r"\s+at\s+", lowered)[-2:]
    return domain.split(".")[0] in _PROVIDERS and fold(local) not in common_words()


_SPOKEN_GATE = re.compile(
    r"\bdot\b|[(\[{<]\s*(?:at|@)\s*[)\]}>]|\bat\s+(?:" + "|".join(_PROVIDERS) + r")\.", re.I
)


def scrub_emails(ledger: Ledger) -> None:
    view = ledger.view
    at = view.find("@")
    while at != -1:
        domain = _DOMAIN_AFTER.match(view, at)
        local = domain and _LOCAL_BEFORE.search(view, max(0, at - 64), at)
        if local and not (domain.group("bare") and local.group(0)[-1].isspace()):
            ledger.claim(local.start(), domain.end(), "email")
        at = view.find("@", at + 1)
    if not _SPOKEN_GATE.search(ledger.view):
        return
    for match in _SPOKEN.finditer(ledger.view):
        if _spoken_is_email(match.group(0)):
            ledger.claim(match.start(), match.end(), "email")
