"""National id numbers: SSN, UK NI number, passport, licence, tax, NHS, Aadhaar numbers...

The US SSN (123-45-6789) and UK NI number (QQ 12 34 56 C) are unmistakable on their own; every
other number is only an id after a cue ("passport number X1234567", "NHS no. 485 777 3456").
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.scan import WORD_START, cue_before, digit_tokens
from coachbot.debrief.scrub.spans import Ledger

# "123-45-6789", "123.45.6789", and masked but for the last four: "xxx-xx-1234", "***-**-1234".
_SSN = re.compile(
    r"(?<![\w.-])(?:\d{3}(?P<sep>[-.])\d{2}(?P=sep)|(?i:x{3}|\*{3})[-. ]?(?i:x{2}|\*{2})[-. ]?)"
    r"\d{4}(?![\w-]|\.\d)"
)
# Typed in any case: "QQ 12 34 56 C", "qq 12 34 56 c", "ab123456c".
_NINO = re.compile(r"\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b")
# Only the last four of a social security number: "the last four of his social are 6789",
# "my ssn ends with 0042", "the final four SSN digits, 8841".
_PARTIAL_SSN = re.compile(
    r"(?i:\b(?:last|final|ending|ends?)\b(?:[\s,:]+[\w'’]+){0,6}?[\s,:]+"
    r"(?:social|ssn|sin)\b|\b(?:social|ssn|sin)\b(?:[\s,:]+[\w'’]+){0,3}?[\s,:]+"
    r"(?:last|final|ending|ends?)\b)(?:[\s,:#-]+[a-z'’]+){0,5}?[\s,:#-]+(?P<four>\d{4})(?![\w-])"
)
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
    if not {"social", "ssn", "sin"}.isdisjoint(ledger.words):
        for match in _PARTIAL_SSN.finditer(ledger.view):
            ledger.claim(match.start("four"), match.end("four"), "id-number")
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
