"""IBANs: country code, check digits, then up to 30 letters and digits, compact or in groups of
four. Accepted when the mod-97 check passes, or when the string has exactly that country's
IBAN length (a mistyped IBAN is still someone's bank account)."""

from __future__ import annotations

import re

from coachbot.debrief.scrub.checksums import iban_shaped, iban_valid
from coachbot.debrief.scrub.spans import Ledger

_IBAN = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?:[ -][A-Z0-9]{4}){2,7}(?:[ -][A-Z0-9]{1,4})?)\b", re.I
)


_IBAN_GATE = re.compile(r"[A-Za-z]{2}\d{2}")


def scrub_ibans(ledger: Ledger) -> None:
    if not _IBAN_GATE.search(ledger.view):
        return
    for match in _IBAN.finditer(ledger.view):
        raw = match.group(0)
        groups = re.split(r"[ -]", raw)
        while len(groups) >= 3 or (len(groups) == 1 and groups[0]):
            compact = "".join(groups).upper()
            if iban_valid(compact) or iban_shaped(compact):
                end = match.start() + len(" ".join(groups))
                ledger.claim(match.start(), end, "iban")
                break
            if len(groups) == 1:
                break
            groups = groups[:-1]  # a trailing word or number swallowed by the group pattern
