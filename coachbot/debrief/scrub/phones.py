"""Phone numbers, found by the `phonenumbers` library's matcher.

The matcher runs only on short windows that hold at least seven digits (fast on long texts), at
POSSIBLE leniency in several regions. A number it says is valid is a phone. One that is only
possible (fictional 555 numbers, Ofcom drama ranges) still counts when it is written like a phone
— international prefix, grouped digits, or a phone cue nearby — and not like a date, a year range,
an amount with thousands separators, or a quantity ("1 250 000 units").
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from coachbot.debrief.scrub.quantities import is_quantity
from coachbot.debrief.scrub.spans import Ledger

REGIONS = ("US", "GB", "DE", "FR", "IN", "AU")
_LONG_WINDOW = 48
# Not inside a word. After punctuation is fine, a "+" included: "++44 …" (a doubled plus) and
# "ref+030 123456" still hold a number.
_WINDOW = re.compile(
    r"(?<!\w)(?:\(?\+[ \t]?|00)?\(?\d[\d \t().\-/]{4,}\d"
    r"(?:\s*(?:ext\.?|x|extension)\s*\d{1,5})?"
)
_CUE = re.compile(
    r"\b(?:call|called|calling|phone|phoned|tel|telephone|mobile|cell|cellphone|number|no|"
    r"contact|reach|reached|text|texted|sms|whatsapp|fax|dial|dialled|dialed|ring|landline|"
    r"callback|extension|ext|hotline|line|on)\b[^\d\n]{0,12}$",
    re.I,
)
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|extension)\s*\d{1,5}$", re.I)
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?P<sep>[ ,.])\d{3}(?:(?P=sep)\d{3})*$")
_YEARS = re.compile(r"^(?:(?:19|20)\d\d[ \t/-]*)+$")
_CURRENCY = "$€£¥₹"
# "4.19.937.8657", "10.0.19045.3803": a version or build number, not "1.800.555.0199".
_VERSION = re.compile(r"^(?!1\.\d{3}\.\d{3}\.\d{4}$)[1-9]\d?(?:\.\d+){2,}$")
_UNDERSCORE = re.compile(r"(?<=\d)_(?=\d)")  # "415_555_0199" reads as "415-555-0199"


def _not_a_phone(raw: str, view: str, start: int, end: int) -> bool:
    """Dates, year ranges, amounts and quantities, whatever the library thinks of them."""
    compact = raw.strip().lstrip("(")
    groups = re.findall(r"\d+", compact)
    if max(map(len, groups), default=0) <= 2 and compact[0] != "+" and not compact.startswith("00"):
        # "85 90 78 92 88" is a list of scores; "01 23 45 67 89" is a French number.
        return not (compact[0] == "0" and len("".join(groups)) == 10)
    if _DATE.match(compact) or _YEARS.match(compact) or _VERSION.match(compact):
        return True
    if compact[0] == "+":  # nobody writes an amount as "+12015550000 %"
        return False
    return bool(start and view[start - 1] in _CURRENCY) or is_count(raw, view, end)


def is_count(raw: str, view: str, end: int) -> bool:
    """Is `raw`, ending at `end` in `view`, a count because a quantity word follows it?

    Decided for the whole number, never for its last group: "020 7946 0958 times" is a valid
    phone number read whole, so it is one ("0958 times" is no count). Digits written as an
    amount ("2 500 000 calls") stay a count even where some region would dial them."""
    if not is_quantity(view, end):
        return False
    compact = raw.strip()
    if _EXTENSION.search(compact):
        return True  # "020 7946 0958 ext 12 times": the count is the extension's digits
    return bool(_THOUSANDS.match(compact)) or not _dialled_as_written(compact)


def _after_amount(raw: str, view: str, start: int, end: int) -> tuple[int, str] | None:
    """ "£0 (201) 555-0000": an amount is the first group after a currency sign; the groups
    after it may still be a phone number. Their start and text, if they could be one."""
    if not (start and view[start - 1] in _CURRENCY):
        return None
    amount = re.match(r"\d+(?:[.,]\d+)?", raw)
    rest = raw[amount.end() :] if amount else ""
    gap = len(rest) - len(rest.lstrip(" \t/;:,"))
    if not gap or not rest[gap:]:
        return None
    start, rest = start + amount.end() + gap, rest[gap:]
    return None if _not_a_phone(rest, view, start, end) else (start, rest)


def _looks_like_phone(raw: str, view: str, start: int, end: int) -> bool:
    """Shape rules for a number the library only calls possible."""
    digits = sum(c.isdigit() for c in raw)
    if not 7 <= digits <= 15:
        return False
    compact = raw.strip()
    cued = bool(_CUE.search(view[max(0, start - 40) : start]))
    if _THOUSANDS.match(compact):
        return cued
    if compact[0] in "+(" or compact.startswith("00"):
        return True
    if re.search(r"[ \t().\-/]", compact):
        return True
    return cued or len(compact) in (10, 11)


def _valid_somewhere(raw: str) -> bool:
    """Is `raw` a valid number (not just a possible one) in one of the usual regions?"""
    for region in REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(raw, region)):
                return True
        except phonenumbers.NumberParseException:
            return False
        if raw.lstrip().startswith("+"):
            return False  # the region does not matter for an international number
    return False


def _dialled_as_written(raw: str) -> bool:
    """Is `raw` a valid number written as it is dialled: international, or national with its
    trunk prefix ("020 7946 0958", "(415) 555-0132", an Indian mobile without it)? Stricter
    than `_valid_somewhere`, which also takes "4500 0000" (a German number short of its
    leading 0) for a phone."""
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip("(").startswith(("+", "00")):
        return _valid_somewhere(raw)
    for region in REGIONS:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return False
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        written = {re.sub(r"\D", "", national)}
        if region == "IN" and phonenumbers.number_type(number) == PhoneNumberType.MOBILE:
            written.add(phonenumbers.national_significant_number(number))  # "98765 43210"
        if digits in written and phonenumbers.is_valid_number(number):
            return True
    return False


_SPLIT = re.compile(r"[ \t]+/[ \t]+|[ \t]{2,}|\t|\.[ \t]+(?=\d)")


def _pieces(window: re.Match[str]) -> list[tuple[int, int]]:
    """The window cut at the separators people put between two numbers (" / ", wide gaps)."""
    pieces, start = [], window.start()
    for gap in _SPLIT.finditer(window.group(0)):
        pieces.append((start, window.start() + gap.start()))
        start = window.start() + gap.end()
    pieces.append((start, window.end()))
    return pieces


def _phones_in(
    view: str, offset: int, stop: int, *, skip_lead: bool = True
) -> list[tuple[int, int]]:
    """Phone numbers in view[offset:stop]; if none, or if they leave some of its digits out,
    retry without the last digit group or two ("01 23 45 67 89 42 Oak Ave": a number followed
    by another; "+44 7400 120000 0": the matcher reads "120000 0" alone) and keep the reading
    that covers the most digits. What the found numbers leave of the window is searched too:
    the matcher may skip a number beside the one it reports ("00 00000 0000000000"), and
    dropped groups may hold another ("0000000/0000000")."""
    whole = stop
    best: list[tuple[int, int]] = []
    best_digits = 0
    for _ in range(3):
        text = view[offset:stop]
        found = []
        # DE metadata is the most permissive about lengths, so its matcher finds every
        # candidate the other regions would; validity is then checked region by region.
        for match in PhoneNumberMatcher(text, "DE", leniency=Leniency.POSSIBLE):
            start, end = offset + match.start, offset + match.end
            raw = match.raw_string
            if raw.startswith("(") and raw.count("(") > raw.count(")"):
                raw, start = raw[1:], start + 1  # "(+33 1 23 45 67 89)": the brackets stay
            if _not_a_phone(raw, view, start, end):
                after = _after_amount(raw, view, start, end)
                if after is None:
                    continue
                start, raw = after
            if _looks_like_phone(raw, view, start, end) or _valid_somewhere(raw):
                found.append((start, end))
        if stop < whole:
            found = _with_counted_tail(view, found, stop, whole)
        covered = sum(c.isdigit() for start, end in found for c in view[start:end])
        if covered > best_digits:
            best, best_digits = found, covered
        if found and covered == sum(c.isdigit() for c in text):
            break  # every digit is explained
        last_group = re.search(r"[ \t().\-/]+\d+\)?$", text)
        if last_group is None or sum(c.isdigit() for c in text[: last_group.start()]) < 7:
            break
        stop = offset + last_group.start()
    if best:
        return best + _in_gaps(view, offset, whole, best)
    # nothing here: a stray digit or two may lead the number ("0 07400 120000"); one more
    # look without them (once: "1 2 3 4 5 6 7" is not worth a look per number)
    lead = re.match(r"\(?\d{1,2}\)?[ \t.\-/]+(?=\(?\+?\d)", view[offset:whole])
    if not (skip_lead and lead) or _THOUSANDS.match(view[offset:whole].strip()):
        return []  # "1.750.000" is an amount, not "1." before a number
    if sum(c.isdigit() for c in view[offset + lead.end() : whole]) < 7:
        return []
    return _phones_in(view, offset + lead.end(), whole, skip_lead=False)


def _with_counted_tail(
    view: str, found: list[tuple[int, int]], stop: int, whole: int
) -> list[tuple[int, int]]:
    """The groups dropped before a quantity word ("1234 5678 9012 minutes") are a count only
    after a valid phone number ("0161 496 0123 12 times"); after one that is merely possible
    they are its tail, and masking the number without them would leave its last digits."""
    if not is_quantity(view, whole):
        return found
    return [
        (start, whole) if end == stop and not _dialled_as_written(view[start:end]) else (start, end)
        for start, end in found
    ]


def _in_gaps(
    view: str, offset: int, stop: int, found: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Phone numbers in the parts of view[offset:stop] that `found` does not cover."""
    more: list[tuple[int, int]] = []
    position = offset
    for start, end in [*sorted(found), (stop, stop)]:
        gap = view[position:start]
        if sum(c.isdigit() for c in gap) >= 7:  # without the separator before the next one
            more += _phones_in(view, position, position + len(gap.rstrip(" \t/.-")))
        position = max(position, end)
    return more


def scrub_phones(ledger: Ledger) -> None:
    """Until nothing new is found: a claim can free the number glued behind it
    ("0000000+10000000": the "+" starts a number only once the first is masked)."""
    while _scrub_phones_once(ledger):
        pass


def _digit_by_digit(text: str, view: str, start: int) -> bool:
    """ "0 7 7 0 0 9 0 0 7 8 9": a number read out one digit at a time."""
    groups = re.findall(r"\d+", text)
    if max(map(len, groups)) > 1 or not 7 <= len(groups) <= 15:
        return False
    digits = "".join(groups)
    return _valid_somewhere(digits) or bool(_CUE.search(view[max(0, start - 40) : start]))


def _scrub_phones_once(ledger: Ledger) -> bool:
    view = ledger.view
    if "_" in view:
        view = _UNDERSCORE.sub("-", view)
    spans: list[tuple[int, int]] = []
    for window in _WINDOW.finditer(view):
        for offset, stop in _pieces(window):
            text = view[offset:stop]
            if sum(c.isdigit() for c in text) < 7:
                continue
            if _digit_by_digit(text, view, offset):
                spans.append((offset, stop))
                continue
            if len(text) > _LONG_WINDOW:
                # No phone number is written this long: a wall of digit groups (hostile input or
                # a pasted table). The matcher is slow on it; mask it all rather than leak one.
                spans.append((offset, stop))
                continue
            spans.extend(_phones_in(view, offset, stop))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(end, merged[-1][1])
        else:
            merged.append([start, end])
    claimed = False
    for start, end in merged:
        claimed = ledger.claim(start, end, "phone") or claimed
    return claimed
