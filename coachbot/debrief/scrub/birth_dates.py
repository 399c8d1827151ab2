"""Dates of birth: a date (or a year) right after "born", "DOB", "date of birth", "birthday".

Other dates stay: a debrief needs "on 12 March" or "since 2019". "born in March" stays too: a
month alone is not a birth date, and months are what debriefs are grouped by.
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.scan import WORD_START
from coachbot.debrief.scrub.spans import Ledger

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)?\d\d(?!\d)"
_DATE = (
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?(?![\d/])|\d{{4}}[./-]\d{{1,2}}[./-]\d{{1,2}}"
    rf"|{_DAY}(?:\s+of)?[\s-]+{_MONTH}(?:,?[\s-]+{_YEAR})?"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?!\d)|{_MONTH},?\s+(?:19|20)\d\d)"
)
_DOB = re.compile(
    rf"{WORD_START}(?:born|d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|b-?day)"
    r"(?:\s*(?:is|was|as|:|-|=|on|of|in|the|listed|given|shows|reads|being))*\s*"
    rf"(?P<value>{_DATE}|(?:19|20)\d\d)(?!\d)",
    re.I,
)


_DOB_GATE = ("born", "dob", "d.o.b", "birth", "bday", "b-day")


def scrub_dates_of_birth(ledger: Ledger) -> None:
    lowered = ledger.view.casefold()
    if not any(word in lowered for word in _DOB_GATE):
        return
    for match in _DOB.finditer(ledger.view):
        ledger.claim(match.start("value"), match.end("value"), "dob")
