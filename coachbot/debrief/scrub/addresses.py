"""Street addresses: house number + street name + street type, plus the city and postcode after it.

Shapes: "221B Baker Street", "Flat 3, 27 Elm Rd, Leeds LS1 4AP", "42 Oak Ave Apt 5, Springfield,
IL 62704", "Hauptstraße 12, 10115 Berlin", "12 rue de la Paix, 75002 Paris", "PO Box 123",
"on Maple Avenue" (a named street without a number), and postcodes or ZIP codes after a cue
("postcode", "zip"). Street-name words must be capitalised, so "20 minutes on the road" stays.
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.scan import WORD_START
from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import common_words, fold, keep_words

_TYPES = (
    r"Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Court|Ct"
    r"|Terrace|Terr?|Close|Cl|Crescent|Cres|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir"
    r"|Trail|Trl|Row|Mews|Gardens|Gdns|Grove|Gr|Hill|Park|Walk|Green|Rise|Vale|View|Wharf"
    r"|Quay|Parade|Pde|Esplanade|Embankment|Alley|Ridge|Heights"
)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th)|[A-Z]\.)"
_CITY = r"[A-Z][a-zA-Z'’.-]+(?!\w)(?:[ -][A-Z][a-zA-Z'’.-]+(?!\w)){0,2}"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
_CA_POSTCODE = r"[A-Z]\d[A-Z] ?\d[A-Z]\d"
_UNIT = r"(?:Apt|Apartment|Flat|Unit|Suite|Ste|Room|Rm|Floor|Fl|Lot|Bldg|Building|#)\.?\s*#?\w{1,5}"
_DIRECTION = r"(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)"
_TAIL = (
    rf"(?:,?\s+{_UNIT})?"  # "… Apt 4B"
    rf"(?:,\s*{_CITY}(?:,?\s+[A-Z]{{2}}(?!\w))?)?"  # ", Springfield", ", Springfield, IL"
    # "IL 62704", "NSW 2000", "ON M5X 1A9", "SW1A 2AA", "75002"
    rf"(?:,?\s+(?:[A-Z]{{2,3}}\.?\s+)?(?:\d{{4,5}}(?:-\d{{4}})?|{_UK_POSTCODE}|{_CA_POSTCODE})\b)?"
)
_UNIT_BEFORE = re.compile(rf"\b{_UNIT},?\s+$")
# Matched at a house number: "221B Baker Street", "27-29 North High St, Leeds LS1 4AP".
_STREET = re.compile(
    rf"\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?,?\s+(?:{_DIRECTION}\.?\s+)?"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s+(?i:{_TYPES})\b\.?"
    rf"(?:\s+{_DIRECTION}\b\.?)?{_TAIL}"
)
# A named street without a house number, only with the full street-type word.
_NAMED_STREET = re.compile(
    rf"{WORD_START}(?:on|at|in|off|near|along|to|from|lives?|living|moved)\s+(?:the\s+)?"
    r"(?P<street>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s+"
    r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Terrace|Crescent|Close|Gardens|Mews|Parkway)\b)"
)
# Continental Europe: the street word comes before the number ("Hauptstraße 12", "Calle Mayor
# 10", "Kerkstraat 12"), or a postcode and town follow it ("Unter den Linden 77, 10117 Berlin").
_EURO_STREET_BEFORE = re.compile(
    r"(?:\b(?:Calle|Avenida|Carrer|Plaza|Paseo|Via|Viale|Piazza|Corso|Largo|Rua|Travessa|Rue)"
    r"\s+(?:(?:de|del|della|di|da|do|dos|das|la|las|los|el)\s+)*[A-ZÁÉÍÓÚ][\w'’-]*"
    r"(?:\s+[A-ZÁÉÍÓÚ][\w'’-]*){0,2}"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer"
    r"|straat|laan|gracht|plein|kade|singel|dijk|vej|gade|gatan|vägen|veien|gata)"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*\s+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer))\s+$"
)
_EURO_WORDS_BEFORE = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß'’-]*(?:\s+(?:[a-zäöü]{2,4}\s+)?[A-ZÄÖÜ][\wäöüß'’-]*){0,2}\s+$"
)
_EURO_POSTCODE_TOWN = r",?\s+\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜ][\wäöüß-]+"
_EURO_NUMBER = re.compile(rf"\d{{1,4}}\s?[a-zA-Z]?\b(?P<town>{_EURO_POSTCODE_TOWN})?")
# French: "12 rue de la Paix, 75002 Paris", "3 bis avenue Victor Hugo".
_FRENCH = re.compile(
    r"\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|chemin|place|allée|allee"
    r"|impasse|quai|route|cours|square)\s+(?:(?:de|du|des|la|le|l'|d'|l’|d’)\s*)*"
    r"[A-ZÉÈ][\w'’-]*(?:\s+(?:(?:de|du|des|la|le|l'|d'|et)\s+)*[A-ZÉÈ][\w'’-]*){0,3}"
    r"(?:,?\s+\d{5}\s+[A-Z][\w'’-]+)?"
)
_PO_BOX = re.compile(
    rf"{WORD_START}(?i:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|Postfach)\s+\d{{1,6}}\b{_TAIL}"
)
_POSTCODE_CUE = re.compile(
    rf"{WORD_START}(?:post\s?code|postal\s+code|zip(?:\s?code)?|plz|code\s+postal|eircode"
    r"|pin\s?code)"
    r"(?:\s*(?:is|was|:|of))*\s*(?P<code>"
    rf"{_UK_POSTCODE}|\d{{4,6}}(?:-\d{{4}})?|[A-Z]\d[A-Z] ?\d[A-Z]\d"  # UK, numeric, Canada
    r"|[A-Z]\d{2} ?[A-Z0-9]{4})\b",  # Ireland
    re.I,
)
# A full UK postcode alone is distinctive (unlike a bare ZIP); "5GB" data plans are not postcodes.
_LONE_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d(?!GB|MB|KB|TB)[A-Z]{2}\b")
_ADDRESS_CUE = re.compile(
    rf"{WORD_START}(?:address(?:\s+is)?|lives?\s+at|living\s+at|moved\s+to"
    r"|deliver(?:ed|y)?\s+to|ship(?:ped)?"
    r"\s+to)\s*:?\s*(?P<rest>[^\n.;]{4,80})",
    re.I,
)


# Words that, before a street type, make a date, a time or a product ("12 March Dr Patel",
# "3 PM Dr", "Google Drive", "USB Drive"), not a street.
# Cities that keep_words protects from the name pass, and German street prefixes ("Am Markt"):
# everyday words, yet fine in a street or town name.
_PLACES = frozenset(
    """london paris berlin madrid rome dublin manchester birmingham glasgow edinburgh cardiff
    belfast leeds liverpool bristol york chicago boston seattle denver atlanta miami toronto
    vancouver sydney melbourne brisbane perth auckland mumbai delhi bangalore bengaluru chennai
    hyderabad pune kolkata singapore tokyo dubai am an auf im in zum zur unter""".split()
)
_NOT_STREET = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec am pm google microsoft apple amazon icloud onedrive dropbox hard usb flash
    disk solid cloud shared network external test data my your his her their our this that
    no any every one each which same wrong right""".split()
)


def _plausible_town(words: str | None) -> bool:
    """Street or town words that are not everyday words ("Plan 10, 2024 Premium" is no address)."""
    if not words or re.search(r"\b(?:19|20)\d\d\b", words):
        return False
    ordinary = common_words() | keep_words()
    places = re.findall(r"[^\W\d_]+", words)
    return bool(places) and not any(
        fold(w) in ordinary and fold(w) not in _PLACES for w in places if w[0].isupper()
    )


def _is_street(words: str) -> bool:
    return not any(w.casefold().strip(".") in _NOT_STREET for w in words.split())


_NUMBER = re.compile(r"(?<![\d.,/-])\d+")
_STREET_WORDS = (
    "street road avenue lane drive boulevard terrace crescent close gardens mews parkway".split()
)


def scrub_addresses(ledger: Ledger) -> None:
    view = ledger.view
    lowered = view.casefold()
    for number in _NUMBER.finditer(view):  # everything that starts at a house number
        start = number.start()
        for pattern in (_STREET, _FRENCH):
            match = pattern.match(view, start)
            if match and _is_street(match.group(0)):
                unit = _UNIT_BEFORE.search(view, max(0, start - 24), start)
                ledger.claim(unit.start() if unit else start, match.end(), "address")
                break
        else:
            house = _EURO_NUMBER.match(view, start)
            street = house and _EURO_STREET_BEFORE.search(view, max(0, start - 40), start)
            if street and not _is_street(street.group(0)):
                street = None
            if house and not street and _plausible_town(house.group("town")):
                street = _EURO_WORDS_BEFORE.search(view, max(0, start - 40), start)
                if street and not _plausible_town(street.group(0)):
                    street = None
            if house and street:
                ledger.claim(street.start(), house.end(), "address")
    if "box" in lowered or "postfach" in lowered:
        for match in _PO_BOX.finditer(view):
            ledger.claim(match.start(), match.end(), "address")
    if any(word in lowered for word in _STREET_WORDS):
        for match in _NAMED_STREET.finditer(view):
            if _is_street(match.group("street")):
                ledger.claim(match.start("street"), match.end("street"), "address")
    if any(cue in lowered for cue in ("post", "zip", "plz", "eircode", "pin")):
        for match in _POSTCODE_CUE.finditer(view):
            ledger.claim(match.start("code"), match.end("code"), "address")
    for match in _LONE_UK_POSTCODE.finditer(view):
        ledger.claim(match.start(), match.end(), "address")
    if any(cue in lowered for cue in ("address", "live", "living", "moved", "deliver", "ship")):
        _after_cue(ledger)


def _after_cue(ledger: Ledger) -> None:
    """After "address is" / "lives at": a number followed by capitalised words is the address."""
    view = ledger.view
    for match in _ADDRESS_CUE.finditer(view):
        rest = match.group("rest")
        found = re.match(
            r"\s*(?:\d{1,5}[A-Za-z]?,?\s+)(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))"
            r"(?:[ ,]+(?:[A-Z][\w'’.-]*|\d{1,5}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}))*",
            rest,
        )
        if found:
            start = match.start("rest") + found.start()
            ledger.claim(start, match.start("rest") + found.end(), "address")
