"""Street addresses: house number + street name + street type, plus the city and postcode after it.

Shapes: "221B Baker Street", "Flat 3, 27 Elm Rd, Leeds LS1 4AP", "42 Oak Ave Apt 5, Springfield,
IL 62704", "Hauptstraße 12, 10115 Berlin", "12 rue de la Paix, 75002 Paris", "PO Box 123",
"on Maple Avenue" (a named street without a number), and postcodes or ZIP codes after a cue
("postcode", "zip"). Street-name words must be capitalised, so "20 minutes on the road" stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coachbot.debrief.scrub.indian_addresses import scrub_indian_addresses
from coachbot.debrief.scrub.scan import WORD_START
from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import fold, ordinary_words

_TYPES = (
    r"Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Court|Ct"
    r"|Terrace|Terr?|Close|Cl|Crescent|Cres|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir"
    r"|Trail|Trl|Row|Mews|Gardens|Gdns|Grove|Gr|Hill|Park|Walk|Green|Rise|Vale|View|Wharf"
    r"|Quay|Parade|Pde|Esplanade|Embankment|Alley|Ridge|Heights|Mount|Mt|Brae|Wynd|Chase"
    r"|Meadows?|Loop|Yard|Croft|Fields|Approach|Dale|Drove|Fold|Glade|Grange|Hollow|Orchard"
    r"|Paddock|Villas|Cove|Pike|Turnpike|Trace|Glen|Plaza|Expressway|Freeway|Fwy|Gate"
)
# After a street type, words that make it a description: "5 High Street stores".
_NOT_AFTER_TYPE = (
    r"(?!\s+(?:stores?|shops?|branch(?:es)?|retailers?|banks?|brands?|chains?|outlets?"
    r"|locations?|names?)\b)"
)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th)|[A-Z]\.)"
_UP = "A-ZÀ-ÖØ-ÞĀĄĆČĎĐĘĚŁŃŇŐŒŘŚŠŞŢŤŮŰŹŻŽİ"  # capital letters of the Latin alphabets
_CITY_WORD = rf"[{_UP}](?:[^\W\d_]|['’.-])+(?!\w)"
_CITY = rf"{_CITY_WORD}(?:[ -]{_CITY_WORD}){{0,2}}"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
_CA_POSTCODE = r"[A-Z]\d[A-Z] ?\d[A-Z]\d"
_EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?(?=[0-9A-Z]{0,3}[A-Z])[0-9AC-FHKNPRTV-Y]{4}"
# ZIP and ZIP+4, 4-6 digits (Europe, Australia, India), Brazil 01310-200, Japan 150-0002
_NUMERIC_POSTCODE = r"\d{3}-\d{4}|\d{4,6}(?:-\d{3,4})?"
_POSTCODE = rf"(?:{_NUMERIC_POSTCODE}|{_UK_POSTCODE}|{_CA_POSTCODE}|{_EIRCODE})"
# Flat and unit words, capitalised ("Apt 4B") or typed in lower case ("apt 4b"); capitalised,
# rooms, floors and buildings are units too ("Room 12, 4 Elm Rd").
_DWELLINGS = "Apt|Apartment|Flat|Unit|Suite|Ste"
_UNIT = rf"(?:{_DWELLINGS}|Room|Rm|Floor|Fl|Lot|Bldg|Building|#)\.?\s*#?\w{{1,5}}"
_DIRECTION = r"(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW|Lower|Upper)"
_BEFORE_POSTCODE = rf",?\s+(?:[A-Z]{{2,3}}\.?\s+)?{_POSTCODE}\b"
# "Dublin 6": a district number, before a postcode or where the address ends.
_DISTRICT_NUMBER = (
    rf"\s+\d{{1,2}}(?={_BEFORE_POSTCODE}|\s*(?:[,.;)]|$)|\s+(?:and|but|so|or|which)\b)"
)
_DISTRICT = rf"(?:{_DISTRICT_NUMBER})?"
_TAIL = (
    rf"(?:,?\s+{_UNIT})?"  # "… Apt 4B"
    # ", Springfield", ", Springfield, IL"; a district number only before a postcode ("Dublin 6")
    rf"(?:,\s*{_CITY}{_DISTRICT}(?:,?\s+[A-Z]{{2}}(?!\w))?)?"
    # A second place only right before a postcode, or with a district number: ", Co. Cork,
    # P31 X2Y7", ", Clontarf, Dublin 3".
    rf"(?:,\s*(?:Co\.?\s+|County\s+)?{_CITY}"
    rf"(?:{_DISTRICT_NUMBER}|(?={_BEFORE_POSTCODE})))?"
    # "IL 62704", "NSW 2000", "ON M5X 1A9", "SW1A 2AA", "75002", "D06 F2X3"
    rf"(?:,?\s+(?:[A-Z]{{2,3}}\.?\s+)?{_POSTCODE}\b)?"
)
_UNIT_BEFORE = re.compile(rf"\b{_UNIT},?\s+$")
# Matched at a house number: "221B Baker Street", "27-29 North High St, Leeds LS1 4AP".
_STREET = re.compile(
    rf"\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?,?\s+(?:{_DIRECTION}\.?\s+)?"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s+(?i:{_TYPES})\b{_NOT_AFTER_TYPE}\.?"
    rf"(?:\s+{_DIRECTION}\b\.?)?{_TAIL}"
)
# Typed in lower case, with the full street-type word: "42 elm street", "7 kingsway gardens,
# leeds ls8 2jd". The street-name words are checked in code (not everyday words: "a 2 lane road")
# unless a town and a postcode or ZIP follow, which no everyday phrase has: "42 willow lane,
# springfield, il 62704", "221 oak st, austin, tx 78701", "77 harbour road, cork t12 ab34".
_LOWER_TYPES = "street|road|avenue|lane|drive|close|crescent|gardens|grove|terrace|boulevard"
_LOWER_SHORT_TYPES = "st|rd|ave|blvd|dr|ln|ct|court|view|way|place|pl|row|park|hill|square"
_LOWER_TOWN = r"[a-z][a-z'’.-]+(?:\s+[a-z][a-z'’.-]+)?"
_LOWER_POSTCODE = (
    r"(?:[a-z]{2}\s+)?\d{5}(?:-\d{4})?"  # "il 62704", "or 97205-1234"
    r"|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}"  # "ls6 2aa"
    r"|(?:[ac-fhknprtv-y]\d{2}|d6w) ?[0-9ac-fhknprtv-y]{4}"  # "t12 ab34"
)
_LOWER_STREET = re.compile(
    rf"\d{{1,4}}[a-z]?,?\s+(?P<words>[a-z][a-z'’-]+(?:\s+[a-z][a-z'’-]+)?)\s+"
    rf"(?:(?P<full>{_LOWER_TYPES})|{_LOWER_SHORT_TYPES})\b\.?(?![\w-])"
    r"(?:\s+(?:nw|ne|sw|se|n|s|e|w)\b)?"  # "1600 pennsylvania ave nw"
    rf"(?:,?\s+(?:{_DWELLINGS.lower()})\.?\s*#?\w{{1,5}})?"  # "apt 3b"
    rf"(?P<tail>,\s*{_LOWER_TOWN},?\s+(?:{_LOWER_POSTCODE})\b)?"
    r"(?(tail)|(?:,\s*[a-z][a-z'’-]+(?:\s+[a-z][a-z'’-]+)?(?=,?\s+[a-z]{1,2}\d))?"
    r"(?:,?\s+[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}\b)?)"
)
# A house name, then its street: "Rose Cottage, Church Lane".
_HOUSE_THEN_STREET = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:Cottage|House|Farm|Lodge|Barn|Manor|Hall|Mill"
    r"|Rectory|Vicarage|Grange|Villa|Bungalow|Farmhouse)\s*,\s*"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s+"
    r"(?:Street|Road|Avenue|Lane|Drive|Close|Crescent|Gardens|Grove|Terrace|Way|Hill|Row|Walk)\b"
)
# A named street without a house number, only with the full street-type word.
_NAMED_STREET = re.compile(
    rf"{WORD_START}(?P<number>(?i:number|no\.?|#)\s*\d{{1,5}}[A-Za-z]?\s+)?"  # "number 27 on"
    r"(?:on|at|in|of|off|near|along|to|from|past|lives?|living|moved)\s+(?:the\s+)?"
    r"(?P<street>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s+"
    r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Terrace|Crescent|Close|Gardens|Mews|Parkway"
    r"|Grove|Walk|Row)\b)"
)
# Continental Europe: the street word comes before the number ("Hauptstraße 12", "Calle Mayor
# 10", "Kerkstraat 12"), or a postcode and town follow it ("Unter den Linden 77, 10117 Berlin").
_EURO_STREET_BEFORE = re.compile(
    r"(?:(?:\b(?:Calle|Avenida|Carrer|Plaza|Paseo|Via|Viale|Piazza|Corso|Largo|Rua|Travessa|Rue"
    r"|Jalan|Jln\.?|Jl\.|Avda\.|Av\.)|\bC/)"  # "C/ Mayor", "Av. Paulista", "Jalan Ampang"
    r"\s*(?:(?:de|del|della|di|da|do|dos|das|la|las|los|el)\s+)*[A-ZÁÉÍÓÚ][\w'’-]*"
    r"(?:\s+[A-ZÁÉÍÓÚ][\w'’-]*){0,2}"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer"
    r"|straat|laan|gracht|plein|kade|singel|dijk|vej|gade|gatan|vägen|veien|gata)"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*\s+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer)"
    # Polish: "ul. Marszałkowska", "al. Jerozolimskie", "pl. Zbawiciela"
    rf"|(?<!\w)(?:ul\.|ulica|al\.|aleja|pl\.|plac|os\.|osiedle)\s+[{_UP}][\w-]*"
    rf"(?:\s+[{_UP}][\w-]*){{0,2}})(?P<comma>,)?\s+$"  # "Av. Paulista, 1578"
)
_EURO_WORDS_BEFORE = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß'’-]*(?:\s+(?:[a-zäöü]{2,4}\s+)?[A-ZÄÖÜ][\wäöüß'’-]*){0,2}\s+$"
)
# "10115 Berlin", "1015 CJ Amsterdam", "00-514 Warszawa" (Poland), "1100-053 Lisboa" (Portugal),
# "111 51 Stockholm" (Sweden)
_EURO_POSTCODE_TOWN = (
    rf",?\s+(?:\d{{2}}-\d{{3}}|\d{{4,5}}-\d{{3}}|\d{{3}} \d{{2}}|\d{{4,5}}(?:\s?[A-Z]{{2}})?)"
    rf"\s+[{_UP}][\w-]+"
)
_EURO_NUMBER = re.compile(
    rf"\d{{1,4}}\s?[a-zA-Z]?(?:/\d{{1,4}}[a-zA-Z]?)?\b(?P<town>{_EURO_POSTCODE_TOWN})?"
)
# French: "12 rue de la Paix, 75002 Paris", "3 bis avenue Victor Hugo".
_FRENCH = re.compile(
    r"\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|chemin|place|allée|allee"
    r"|impasse|quai|route|cours|square)\s+(?:(?:de|du|des|la|le|l'|d'|l’|d’)\s*)*"
    r"[A-ZÉÈ][\w'’-]*(?:\s+(?:(?:de|du|des|la|le|l'|d'|et)\s+)*[A-ZÉÈ][\w'’-]*){0,3}"
    r"(?:\s+(?:O|E|N|S|Ouest|Est|Nord|Sud)\b\.?)?"  # Montréal: "Rue Sainte-Catherine O"
    rf"(?:,?\s+\d{{5}}\s+[A-Z][\w'’-]+|{_TAIL})"
)
_PO_BOX = re.compile(
    rf"{WORD_START}(?i:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|Postfach)\s+\d{{1,6}}\b{_TAIL}"
)
_POSTCODE_CUE = re.compile(
    rf"{WORD_START}(?:post\s?code|postal\s+code|zip(?:\s?code)?|plz|code\s+postal|eircode"
    r"|pin\s?code|cep)"
    r"(?:\s*(?:is|was|:|of))*\s*(?P<code>"
    rf"{_UK_POSTCODE}|{_NUMERIC_POSTCODE}|[A-Z]\d[A-Z] ?\d[A-Z]\d"  # UK, numeric, Canada
    r"|[A-Z]\d{2} ?[A-Z0-9]{4})\b",  # Ireland
    re.I,
)
# A full UK postcode alone is distinctive (unlike a bare ZIP); "5GB" data plans are not postcodes.
_LONE_UK_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]? \d(?!GB|MB|KB|TB)[A-Z]{2}\b"
    # typed in lower case ("ls1 4ab"), but not "b2 3rd floor"
    r"|\b[a-z]{1,2}\d[a-z\d]? \d(?!gb|mb|kb|tb|st|nd|rd|th)[a-z]{2}\b"
)
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
    ordinary = ordinary_words()
    places = re.findall(r"[^\W\d_]+", words)
    return bool(places) and not any(
        fold(w) in ordinary and fold(w) not in _PLACES for w in places if w[0].isupper()
    )


def _is_street(words: str) -> bool:
    return not any(w.casefold().strip(".") in _NOT_STREET for w in words.split())


_NUMBER = re.compile(r"(?<![\d.,/-])\d+")
_STREET_WORDS = frozenset(
    "street road avenue lane drive boulevard terrace crescent close gardens mews parkway grove walk"
    " row st rd ave blvd dr ln ct court view way place pl park hill square".split()
)


def scrub_addresses(ledger: Ledger) -> None:
    view = ledger.view
    lowered = view.casefold()
    for number in _NUMBER.finditer(view):  # everything that starts at a house number
        if not _street_at(ledger, view, number.start()):
            _continental_street_at(ledger, view, number.start())
    streets = not _STREET_WORDS.isdisjoint(ledger.words)
    if streets:
        _lower_case_streets(ledger)
        _claim_all(ledger, _HOUSE_THEN_STREET.finditer(ledger.view))
    if "box" in lowered or "postfach" in lowered:
        _claim_all(ledger, _PO_BOX.finditer(view))
    if streets:
        _named_streets(ledger, view)
    scrub_cued_postcodes(ledger)
    scrub_indian_addresses(ledger)
    _claim_all(ledger, _LONE_UK_POSTCODE.finditer(view))
    if any(cue in lowered for cue in ("address", "live", "living", "moved", "deliver", "ship")):
        _after_cue(ledger)


def _claim_all(ledger: Ledger, matches: Iterable[re.Match[str]]) -> None:
    for match in matches:
        ledger.claim(match.start(), match.end(), "address")


def _street_at(ledger: Ledger, view: str, start: int) -> bool:
    """Claim an English or French street address at the house number at `start`, with a unit
    written before it ("Flat 3, 27 Elm Rd"); True if there was one."""
    for pattern in (_STREET, _FRENCH):
        match = pattern.match(view, start)
        if match and _is_street(match.group(0)):
            unit = _UNIT_BEFORE.search(view, max(0, start - 24), start)
            ledger.claim(unit.start() if unit else start, match.end(), "address")
            return True
    return False


def _continental_street_at(ledger: Ledger, view: str, start: int) -> None:
    """Claim a street written before its number ("Hauptstraße 12", "Av. Paulista, 1578"), or
    capitalised words before a number that a postcode and a town follow ("Unter den Linden 77,
    10117 Berlin")."""
    house = _EURO_NUMBER.match(view, start)
    if house is None:
        return
    street = _EURO_STREET_BEFORE.search(view, max(0, start - 40), start)
    if street and not _is_street(street.group(0)):
        street = None
    if not street and _plausible_town(house.group("town")):
        street = _EURO_WORDS_BEFORE.search(view, max(0, start - 40), start)
        if street and not _plausible_town(street.group(0)):
            street = None
    if street is None:
        return
    if street.groupdict().get("comma") and not re.match(r"\s*(?:[,.;-]|$)", view[house.end() :]):
        return  # "Plaza Mayor, 3 people": a comma form ends at its number
    ledger.claim(street.start(), house.end(), "address")


def _named_streets(ledger: Ledger, view: str) -> None:
    """ "on Maple Avenue", "number 27 on Church Lane": a named street without a house number."""
    for match in _NAMED_STREET.finditer(view):
        if _is_street(match.group("street")):
            start = match.start("number") if match.group("number") else match.start("street")
            ledger.claim(start, match.end("street"), "address")


_POSTCODE_CUE_WORDS = frozenset(
    "post postcode postal zip zipcode plz code eircode pin pincode cep".split()
)


def scrub_cued_postcodes(ledger: Ledger) -> None:
    """A postcode after "postcode", "zip", "CEP"...: its own pass, run before phones, since
    some numeric postcodes ("CEP 01310-200") look like phone numbers."""
    if not _POSTCODE_CUE_WORDS.isdisjoint(ledger.words):
        for match in _POSTCODE_CUE.finditer(ledger.view):
            ledger.claim(match.start("code"), match.end("code"), "address")


def _lower_case_streets(ledger: Ledger) -> None:
    view = ledger.view
    ordinary = ordinary_words()
    street_types = frozenset(_LOWER_TYPES.split("|")) | {"way", "st", "rd", "ave"}
    for match in _LOWER_STREET.finditer(view):
        words = match.group("words").split()
        if any(w in street_types or w in _NOT_STREET for w in words):
            continue
        if match.group("tail") or (
            match.group("full") and not any(fold(w) in ordinary for w in words)
        ):
            ledger.claim(match.start(), match.end(), "address")


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
