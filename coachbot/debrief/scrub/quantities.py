"""Words that make the number before them a quantity: "1 250 000 users", "48213 nights", "45 %".

Such a number is an amount, a count or a duration, not a phone number (`phones.py`) nor a
reference (`references.py`): both passes leave it alone, and both read this one list.
They decide for the whole number, never for its last group: "020 7946 0958 times" is a phone
number read whole (`phones.is_count`), and masking all but "0958" would leak its last digits.

"lines" is deliberately not here: "Call 0800 123 4567 lines open 8am to 8pm" is how phone lines
are advertised, and the number before it is a phone number.
"""

from __future__ import annotations

import re

QUANTITY_WORDS = tuple(
    """
    per-cent
    unit units item items piece pieces pcs
    night nights room rooms seat seats bag bags device devices
    people customers users members calls tickets orders views times
    second seconds sec secs minute minutes min mins hour hours hr hrs
    day days week weeks month months year years yr yrs am pm o'clock
    dollar dollars euro euros pound pounds bucks quid cent cents pence rupee rupees yen
    usd eur gbp cad aud inr
    gb mb tb kb mbps gbps km kms mile miles kg lb lbs point points pts
    """.split()
)
# "per-cent" stands for "percent" and "per cent" alike.
_ALTERNATIVES = "|".join(re.escape(word).replace(r"\-", r"\s?") for word in QUANTITY_WORDS)
_AFTER = re.compile(rf"\s*(?:%|(?:{_ALTERNATIVES})\b)", re.I)


def is_quantity(text: str, end: int) -> bool:
    """Does the number that ends at `end` in `text` stand before a quantity word?"""
    return _AFTER.match(text, end) is not None
