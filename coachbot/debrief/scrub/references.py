"""Account, order, ticket, case, policy, booking... references: the `[account]` kind.

A reference is a token with a digit after a cue word ("order #48213", "account number
88492011", "policy: POL-778812"), or, on its own, a ticket id (INC0012345, TKT-48213) or a booking
code (QX7T2M). What a debrief needs after the same words — counts, money, durations, years,
times ("order 2 weeks ago", "case 3 of 5", "invoice $450") — is not a reference.
"""

from __future__ import annotations

import re
from itertools import pairwise

from coachbot.debrief.scrub.phones import is_count
from coachbot.debrief.scrub.quantities import is_quantity
from coachbot.debrief.scrub.scan import WORD_START, cue_before, digit_tokens
from coachbot.debrief.scrub.spans import Ledger

_REF_CUES = (
    r"account|acct|acc|a/c|order|ticket|case|policy|booking|reservation|reference|ref|invoice"
    r"|member(?:ship)?|customer|client|tracking|claim|confirmation|transaction|subscription"
    r"|contract|loan|application|registration|serial|voucher|pnr|incident|request|complaint"
    r"|rma|return|shipment|parcel|package|consignment|waybill|receipt|quote|quotation|job"
    r"|itinerary|folio|loyalty|rewards|frequent\s+flyer|meter|mpan|mprn|plate|vin|imei|iccid"
    r"|device|sim|user(?:name)?|login|otp|pin|passcode|(?:verification|security|access)\s+code"
    r"|sort\s+code|routing|bank|iban|swift|bic|mandate|direct\s+debit"
)
_REF_STEMS = """account acct acc a/c order ticket case policy policie booking reservation reference
    ref invoice member membership customer client tracking claim confirmation transaction
    subscription contract loan application registration serial voucher pnr incident request
    complaint rma return shipment parcel package consignment waybill receipt quote quotation job
    itinerary folio loyalty rewards frequent meter mpan mprn plate vin imei iccid device sim user
    username login otp pin passcode verification security access sort routing bank iban swift
    bic mandate direct""".split()
_REF_CUE_WORDS = frozenset(_REF_STEMS) | frozenset(w + "s" for w in _REF_STEMS)
_REF_MARKERS = r"(?:no\.?|nr\.?|numbers?|num|#|ids?|code|ref(?:erence)?|is|was|were|are|:|=)"
_REF = re.compile(
    rf"{WORD_START}(?:{_REF_CUES})s?(?P<marks>(?:\s+{_REF_MARKERS}|\s*[#:=])*)\s*$", re.I
)
_LISTED_REF = re.compile(r"#?[A-Z0-9/_.-]*\d{3,}[A-Z0-9/_.-]*")  # "48214", "ORD-2291"
_ANOTHER = re.compile(r"\s*(?:,|and|or|&|/)\s*(?P<value>#?[A-Za-z0-9][A-Za-z0-9/_.-]*)")
_DECIMAL_AFTER = re.compile(r"(?:[.,]\d{1,2}(?![\d.,])|\s?(?:[$€£¥₹]|(?:eur|usd|gbp|inr)\b))", re.I)
_AMOUNT = re.compile(r"^#?\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?$|^\d+(?:st|nd|rd|th)$|^\d+:\d\d$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _is_reference(value: str, marked: bool, view: str, end: int, start: int) -> bool:
    core = value.strip("#._-/")
    if not any(c.isdigit() for c in core):
        return False
    if is_quantity(view, end) or (start and view[start - 1] in "$€£¥₹"):
        return False
    if _DECIMAL_AFTER.match(view, end):  # "invoice was 39,95 €", "order 120 EUR"
        return False
    if not (marked or value.startswith("#")):
        if len(core) < 4 or _YEAR.match(core) or _AMOUNT.match(core):
            return False
    elif len(core) < 2 or (_AMOUNT.match(core) and "." in core):
        return False
    return True


def _joins(view: str, start: int, end: int, group: re.Match[str]) -> bool:
    """Does the digit group after view[start:end] belong to the reference? Before a quantity
    word it is a count ("case 4821 300 users"), unless the digits read whole are a phone number
    ("account number 020 7946 0958 times") or it continues a grouping ("1234 5678 9012 users"):
    then leaving it out would show the reference's last digits."""
    after = end + group.end()
    if not is_quantity(view, after):
        return True
    if not is_count(view[start:after], view, after):
        return True
    runs = re.findall(r"\d+", view[start:end])
    return len(runs) >= 2 and len(runs[-1]) == len(group.group(1))


def scrub_references(ledger: Ledger) -> None:
    if _REF_CUE_WORDS.isdisjoint(ledger.words):
        return
    view = ledger.view
    for start, end in digit_tokens(view):
        if view[start] in "/_.-":
            continue
        cue = cue_before(_REF, view, start, reach=48, words=_REF_CUE_WORDS)
        if cue is None:
            continue
        value = view[start:end].rstrip("._-/")
        end = start + len(value)
        marked = bool(cue.group("marks").strip())
        if not _is_reference(value, marked, view, end, start):
            continue
        if value.isdigit():  # "1234 5678 9012": one reference written in groups
            while group := re.match(r"[ -](\d{3,})(?![\w.,])", view[end : end + 24]):
                if not _joins(view, start, end, group):
                    break
                end += group.end()
        if ledger.claim(start, end, "account"):
            _more(ledger, view, end)
    scrub_spoken_references(ledger)


_DIGIT_WORDS = frozenset("zero oh nought one two three four five six seven eight nine".split())
# "case nine nine one four two", "account five five two zero one eight": four or more digits
# in words ("double" and "triple" count), after a reference cue.
_SPOKEN = re.compile(
    r"(?<![^\W\d_])(?:(?:double|triple)[ -])?(?:zero|oh|nought|one|two|three|four|five|six|seven"
    r"|eight|nine)(?:[ ,-]+(?:(?:double|triple)[ -])?(?:zero|oh|nought|one|two|three|four|five"
    r"|six|seven|eight|nine)){3,}(?![^\W\d_])",
    re.I,
)


def scrub_spoken_references(ledger: Ledger) -> None:
    """A reference read out in words; what follows a cue as numbers is `scrub_references`'."""
    if _DIGIT_WORDS.isdisjoint(ledger.words) or _REF_CUE_WORDS.isdisjoint(ledger.words):
        return
    view = ledger.view
    for match in _SPOKEN.finditer(view):
        if cue_before(_REF, view, match.start(), reach=48, words=_REF_CUE_WORDS):
            ledger.claim(match.start(), match.end(), "account")


def _more(ledger: Ledger, view: str, end: int) -> None:
    """ "orders 48213, 48214 and 48290": the list after a cue is all references."""
    while (more := _ANOTHER.match(view, end)) is not None:
        value = more.group("value").rstrip("._-/")
        start = more.start("value")
        if not _LISTED_REF.fullmatch(value) or not _is_reference(
            value, True, view, start + len(value), start
        ):
            return
        end = start + len(value)
        ledger.claim(start, end, "account")


_TICKET_ID = re.compile(
    r"(?<!\w)(?:[A-Z]{2,5}-?\d{5,}(?:-\d+)*|[A-Z]{2,5}-\d{4}-\d{3,})\b|(?<![\w#])#\d{4,}\b"
)
_FOUR_DIGITS = re.compile(r"\d{4}")
_CODE = re.compile(r"\b(?=[A-Z0-9]{5,10}\b)(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]+\b")


def _runs(token: str) -> int:
    return 1 + sum(a.isdigit() != b.isdigit() for a, b in pairwise(token))


def scrub_codes(ledger: Ledger) -> None:
    """Ticket ids and booking codes that stand alone, without a cue word."""
    if not _FOUR_DIGITS.search(ledger.view):
        return _booking_codes(ledger)
    for match in _TICKET_ID.finditer(ledger.view):
        ledger.claim(match.start(), match.end(), "account")
    return _booking_codes(ledger)


_CODE_GATE = re.compile(r"[A-Z]\d[A-Z]|\d[A-Z]\d")  # a code with four runs has one of these


def _booking_codes(ledger: Ledger) -> None:
    if not _CODE_GATE.search(ledger.view):
        return
    for match in _CODE.finditer(ledger.view):
        token = match.group(0)
        if _runs(token) >= 4 and sum(c.isalpha() for c in token) >= 2:
            ledger.claim(match.start(), match.end(), "account")
