"""Masks personal data in free text before it is stored anywhere.

This first version covers what the ask log needs: emails, phone numbers and payment cards.
Phone numbers are found with the `phonenumbers` library's matcher, not home-made patterns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import phonenumbers

_DOT = r"(?:dot|\(dot\)|\[dot\])"
_EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[\w+-]+(?:\s+{_DOT}\s+[\w+-]+)*\s+(?:at|\(at\)|\[at\])\s+[\w-]+(?:\s+{_DOT}\s+[a-z]{{2,}})+\b",
    re.IGNORECASE,
)
_CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "AU")


@dataclass(frozen=True)
class Scrubbed:
    text: str
    redactions: dict[str, int] = field(default_factory=dict)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def scrub(text: str) -> Scrubbed:
    """Replace personal data with typed placeholders such as `[email]`; count what was removed."""
    counts: Counter[str] = Counter()

    def replace(pattern: re.Pattern[str], kind: str, source: str, check=None) -> str:
        def substitute(match: re.Match[str]) -> str:
            if check and not check(match.group(0)):
                return match.group(0)
            counts[kind] += 1
            return f"[{kind}]"

        return pattern.sub(substitute, source)

    text = replace(_EMAIL, "email", text)
    text = replace(_CARD, "card", text, lambda s: luhn_valid(re.sub(r"\D", "", s)))
    text = _mask_phones(text, counts)
    return Scrubbed(text=text, redactions=dict(counts))


def _mask_phones(text: str, counts: Counter[str]) -> str:
    spans: list[tuple[int, int]] = []
    for region in _PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        ):
            spans.append((match.start, match.end))
    if not spans:
        return text
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + "[phone]" + text[end:]
        counts["phone"] += 1
    return text
