"""Indian addresses: comma-separated parts that end in a town and a six-digit PIN code.

"H.No. 45, 2nd Cross, Indiranagar, Bengaluru 560038", "Flat 12, Sai Residency, MG Road, Pune
411001", "Door No. 7-2-145, Begumpet, Hyderabad 500016". Found from the PIN code back: each part
before the town is taken while it reads like an address part (capitalised words, numbers,
ordinals, "No.", "#12", "B-204"); the address needs a number besides the PIN (a house, flat or
plot), so "Bengaluru 560038" alone stays.
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.spans import Ledger

_PIN = re.compile(
    r"(?P<town>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*[-,]?\s*(?P<pin>[1-9]\d{2}\s?\d{3})(?![\w-])"
)
_WORD = r"(?:[A-Z][\w'’.]*|No\.?|\d+(?:st|nd|rd|th)\b|[A-Z]?-?\d[\d/-]*[A-Za-z]?|#\s?\d[\w/-]*)"
_PART = re.compile(rf"{_WORD}(?:\s+{_WORD}){{0,4}}$")
_GATE = re.compile(r"\d{6}|\d{3} \d{3}")


def _start(view: str, town: int) -> tuple[int, bool]:
    """Where the address that ends at the town starting at `town` begins, and whether its parts
    before the town hold a number."""
    start, numbered = town, False
    for _ in range(7):
        comma = re.search(r",\s*$", view[max(0, start - 4) : start])
        if comma is None:
            break
        comma_at = max(0, start - 4) + comma.start()
        low = view.rfind(",", max(0, comma_at - 60), comma_at) + 1 or max(0, comma_at - 60)
        segment = view[low:comma_at]
        part = _PART.search(segment)
        if part is None:
            break
        start = low + part.start()
        numbered = numbered or any(c.isdigit() for c in part.group(0))
        if segment[: part.start()].strip():
            break  # the address began inside this part: "address is H.No. 45"
    return start, numbered


def scrub_indian_addresses(ledger: Ledger) -> None:
    view = ledger.view
    if not _GATE.search(view):
        return
    for found in _PIN.finditer(view):
        start, numbered = _start(view, found.start())
        if numbered:
            ledger.claim(start, found.end(), "address")
