"""Payment cards: 13-19 digit numbers that pass Luhn, or that have a card's grouping
("4532 7153 3790 1241", mistyped), plus "card ending 4242", masked numbers, expiry dates, CVVs.

Luhn keeps order numbers and other long digit runs ("order of 1234567890123 units") out.
"""

from __future__ import annotations

import re

import phonenumbers

from coachbot.debrief.scrub.checksums import luhn_valid
from coachbot.debrief.scrub.scan import WORD_START
from coachbot.debrief.scrub.spans import Ledger

# A run of digit groups: "4111 1111 1111 1111", "3782-822463-10005", "4242424242424242", and
# as people type them: "4111  1111 …", "4111.1111.…", "4111_1111_…", "4111 - 1111 - …", digit by
# digit. Not glued to a word; after punctuation is fine ("Visa/4111111111111111", "2/4111..."):
# 13 or more digits after a "." or "," are not the tail of an amount, and Luhn keeps most
# decimals out. (The ledger's view already reads dashes and no-break spaces as plain ones.)
_DIGIT_RUN = re.compile(r"(?<![^\W_])\d+(?:(?: {1,2}| ?[-._/] ?)\d+)*(?![^\W_])")
_CARD_CUE = re.compile(
    rf"{WORD_START}(?:card|cards|visa|master\s?card|amex|american express|discover|maestro"
    r"|credit|debit|cc|pan|paid with|pay with|payment|charged)\b",
    re.I,
)
_GROUPED_LAYOUTS = ((4, 4, 4, 4), (4, 6, 5))
_CARD_LAYOUTS = (*_GROUPED_LAYOUTS, (4, 4, 4, 4, 3), (4, 6, 4), (16,), (15,))


def _best_from(groups: list[str], first: int, cued: bool) -> tuple[tuple[int, int], int] | None:
    """The best card starting at group `first`: ((first, last + 1), score), score 2 when it
    passes Luhn, 1 when it only has a card's layout ("4532 7153 3790 1241", mistyped)."""
    if len(groups) > 1 and len(groups[first]) != 4 and len(groups[first]) < 13:
        return None  # grouped card numbers start with a group of four
    best = None
    digits = ""
    for last in range(first, len(groups)):
        digits += groups[last]
        if len(digits) > 19:
            break
        if len(digits) < 13:
            continue
        layout = tuple(len(g) for g in groups[first : last + 1])
        luhn = luhn_valid(digits) and digits[0] in "23456"
        shaped = layout in _GROUPED_LAYOUTS or (cued and layout in _CARD_LAYOUTS)
        score = 2 if luhn else 1 if shaped else 0
        if score and (best is None or (score, last) > (best[1], best[0][1])):
            best = ((first, last + 1), score)
    return best


def _card_in(groups: list[str], cued: bool) -> tuple[int, int] | None:
    """The first card in a run of digit groups: (first group, last group + 1).

    Where candidates overlap (a card can span five groups), Luhn beats layout alone:
    "020 7946 0958 4111 1111 1111 1111" holds a phone number, then a card."""
    for first in range(len(groups)):
        found = _best_from(groups, first, cued)
        if found is None:
            continue
        for other in range(first + 1, min(first + 5, len(groups))):
            rival = _best_from(groups, other, cued)
            if rival is not None and rival[1] > found[1]:
                found = rival
        return found[0]
    return None


def _phone(raw: str) -> bool:
    """Could "+" and these digits be a phone number (E.164: up to 15 digits, and a length its
    country allows)? If not, a card number after a "+" is still a card number."""
    digits = "".join(c for c in raw if c.isdigit())
    if len(digits) > 15:
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse("+" + digits, None))
    except phonenumbers.NumberParseException:
        return False


def _digit_by_digit(groups: list[str], cued: bool) -> bool:
    """ "5 3 3 4 9 0 6 7 …", "4 0 3 9 - 7 9 9 3 - …": a card read out one digit at a time."""
    if max(map(len, groups)) > 1:
        return False
    digits = "".join(groups)
    return 13 <= len(digits) <= 19 and ((luhn_valid(digits) and digits[0] in "23456") or cued)


def scrub_cards(ledger: Ledger) -> None:
    view = ledger.view
    for match in _DIGIT_RUN.finditer(view):
        raw = match.group(0)
        digits = sum(c.isdigit() for c in raw)
        if digits < 13 or (view[match.start() - 1 : match.start()] == "+" and _phone(raw)):
            continue  # too short, or an international phone number: the phones pass's
        pieces = list(re.finditer(r"\d+", raw))
        groups = [p.group(0) for p in pieces]
        cued = bool(_CARD_CUE.search(view[max(0, match.start() - 40) : match.start()]))
        if _digit_by_digit(groups, cued):
            ledger.claim(match.start(), match.end(), "card")
            continue
        offset = 0
        while offset < len(groups):
            found = _card_in(groups[offset:], cued)
            if found is None:
                break
            first, last = found[0] + offset, found[1] + offset
            start = match.start() + pieces[first].start()
            end = match.start() + pieces[last - 1].end()
            ledger.claim(start, end, "card")
            offset = last


# "card ending 4242", "ending in 4242", "last four digits are 4242", "**** **** **** 4242"
_ENDING = re.compile(
    rf"{WORD_START}(?:cvv2?|cvc2?|cv2|csc|security\s+code)\s*(?:is|:|-)?\s*(?P<cvv>\d{{3,4}})(?!\d)"
    rf"|{WORD_START}(?:exp(?:iry|ires|iration)?|expiry\s+date|valid\s+(?:thru|through|until))"
    r"(?:\s+date)?\s*(?:is|:|-)?\s*(?P<expiry>(?:0?[1-9]|1[0-2])\s*/\s*(?:20)?\d\d)(?!\d)"
    rf"|{WORD_START}(?:ending|ends|ended)(?:\s+(?:in|with|on))?\s*[:#-]?\s*(?P<a>\d{{4}})(?!\d)"
    r"|\blast\s+(?:four|4)(?:\s+(?:digits|numbers))?(?:\s+(?:of\s+(?:the|her|his|their|my)\s+"
    r"\w+(?:\s+\w+)?|are|is|were|was|being|:))*\s*[:#-]?\s*(?P<b>\d{4})(?!\d)"
    r"|(?<![*xX•·#\w])(?P<masked>(?:[*xX•·#]{4}[ -]?){2,3}[*xX•·#]{2,4}[ -]?\d{4}"
    r"|[*xX•·#]{4,19}[ -]?\d{4})(?!\d)",
    re.I,
)
_ENDING_KIND = (
    (
        re.compile(rf"{WORD_START}(?:social|ssn|sin|national insurance|ni number)\b", re.I),
        "id-number",
    ),
    (re.compile(rf"{WORD_START}(?:account|acct|iban|bank|a/c|sort code)\b", re.I), "account"),
    (re.compile(rf"{WORD_START}(?:phone|mobile|cell|number|landline|tel)\b", re.I), "phone"),
)


_ENDING_GATE = (
    "ending", "ends", "ended", "last four", "last 4", "cvv", "cvc", "cv2", "csc", "security code",
    "exp ", "exp:", "exp.", "expir", "valid thru", "valid through", "valid until",
    "****", "xxxx", "••••", "####", "····",
)  # fmt: skip


def scrub_card_endings(ledger: Ledger) -> None:
    view = ledger.view
    lowered = view.lower()
    if not any(word in lowered for word in _ENDING_GATE):
        return
    for match in _ENDING.finditer(view):
        name = next(g for g in ("a", "b", "masked", "cvv", "expiry") if match.group(g))
        before = view[max(0, match.start() - 40) : match.start()]
        kind = "card"
        if name in ("a", "b") and not _CARD_CUE.search(before):
            kind = next((k for pattern, k in _ENDING_KIND if pattern.search(before)), "card")
        if name in ("a", "b") and re.search(r"\b(?:year|fy|quarter|season)\s*$", before, re.I):
            continue
        ledger.claim(match.start(name), match.end(name), kind)
