"""National id numbers: SSN, UK NI number, passport, licence, tax, NHS, Aadhaar numbers...

The US SSN (123-45-6789) and UK NI number (QQ 12 34 56 C) are unmistakable on their own; every
other number is only an id after a cue ("passport number X1234567", "NHS no. 485 777 3456").
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.scan import WORD_START, cue_before, digit_tokens
from coachbot.debrief.scrub.spans import Ledger

_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_NINO = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_ID_CUE_PHRASES = (
    r"social\s+security(?:\s+(?:number|no\.?|#))?|ssn|social\s+insurance\s+number"
    r"|national\s+insurance(?:\s+(?:number|no\.?))?|ni\s+number|nino"
    r"|passport(?:\s+(?:number|no\.?|#|id))?"
    r"|driv(?:er'?s?|ing)\s+licen[cs]e(?:\s+(?:number|no\.?|#))?|licen[cs]e\s+(?:number|no\.?|#)"
    r"|tax\s+(?:id|identification\s+number|number|code|file\s+number|reference)|itin"
    r"|nhs(?:\s+(?:number|no\.?))?|aadhaa?r(?:\s+(?:card|number|no\.?))*|pan\s+card"
    r"|national\s+id(?:entity)?(?:\s+card)?(?:\s+(?:number|no\.?))?"
    r"|id\s+card(?:\s+(?:number|no\.?))?|identity\s+(?:card\s+|document\s+)?number"
    r"|id\s+(?:number|no\.?|#)|medicare(?:\s+(?:number|no\.?))?|medical\s+record\s+number"
    r"|health\s+(?:card|insurance)\s+number|student\s+id|employee\s+id|staff\s+id"
    r"|personalausweis(?:nummer)?|steuer-?id|sozialversicherungsnummer|num[ée]ro\s+de\s+s[ée]"
    r"curit[ée]\s+sociale|insee"
)
_ID_CUE_ACRONYMS = r"ID|SIN|TIN|EIN|PAN|DNI|NIE|NIF|BSN|CURP|RFC|CPF|MRN|NI|DL|PPS|PPSN|SSN"
_CONNECTOR = r"(?:\s*(?:is|was|are|:|#|=|-|no\.?|number))*\s*"
_ID_CUE = re.compile(
    rf"(?:{WORD_START}(?i:{_ID_CUE_PHRASES})|{WORD_START}(?:{_ID_CUE_ACRONYMS}))(?:'s)?{_CONNECTOR}$"
)
_ID_CUE_WORDS = frozenset(
    """social ssn national ni nino passport driver drivers driving licence license tax itin nhs
    aadhaar aadhar pan id identity medicare medical health student employee staff
    personalausweis personalausweisnummer steuer sozialversicherungsnummer numéro numero insee
    sin tin ein dni nie nif bsn curp rfc cpf mrn dl pps ppsn""".split()
)
_ID_VALUE = re.compile(
    r"[A-Za-z]{0,5}\d[A-Za-z0-9]*(?:[ ./-](?:\d[A-Za-z0-9]*|[A-Za-z](?!\w))){0,7}"
)


def scrub_national_ids(ledger: Ledger) -> None:
    for pattern in (_SSN, _NINO):
        for match in pattern.finditer(ledger.view):
            ledger.claim(match.start(), match.end(), "id-number")
    if _ID_CUE_WORDS.isdisjoint(ledger.words):
        return
    view = ledger.view
    for start, _ in digit_tokens(view):
        if not cue_before(_ID_CUE, view, start, words=_ID_CUE_WORDS):
            continue
        value = _ID_VALUE.match(view, start)
        if value is None:
            continue
        text = value.group(0).rstrip("./-")
        if sum(c.isdigit() for c in text) >= 3 and len(text.replace(" ", "")) >= 5:
            ledger.claim(value.start(), value.start() + len(text), "id-number")
