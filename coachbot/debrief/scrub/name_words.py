"""The name pass's words: cue vocabularies, tokens, and the checks on one word.

Which words may be a name, with which strength of cue (`can_name`), which may join one
(`joinable`), and how a seed grows over its neighbours (`grow`). The rules that read a word's
context are in `name_cues.py`; the pass itself is in `names.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from coachbot.debrief.scrub.vocab import (
    common_words,
    curated_first_names,
    curated_surnames,
    first_names,
    fold,
    keep_words,
    ordinary_words,
    places,
    surnames,
)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")


TITLES = frozenset(
    """mr mrs ms miss mx dr prof sir dame mister missus madame mme mlle herr frau sr sra srta
    monsieur signor signora rev reverend pastor imam rabbi sheikh chief alhaji capt captain sgt
    lady lord""".split()
)


GREETINGS = frozenset(
    """hi hello hey heya hiya howdy dear thanks thank thankyou cheers regards sincerely bye
    goodbye ta yo congrats congratulations welcome shoutout kudos props best""".split()
)


NAMING = frozenset("named called aka surname nicknamed".split())


ROLES = frozenset(
    """customer caller client colleague coworker co-worker teammate agent rep representative
    supervisor manager lead boss coach trainer mentor tenant patient guest passenger member
    cardholder policyholder holder husband wife son daughter mother father mom mum dad partner
    brother sister friend neighbour neighbor technician engineer driver courier nurse doctor
    landlord director owner specialist advisor adviser buyer seller user account-holder""".split()
)


ACTIONS = frozenset(
    """spoke speaking speak talked talking talk chatted transferred escalated handed passed put
    asked told emailed phoned texted messaged thanked helped assisted informed reassured
    apologised apologized connected forwarded assigned met contacted greeted introduced calmed
    calling""".split()
)


# Verbs that follow a person: an unknown capitalised word right before one is a name
# ("Then Xiomara asked", "Tamsin replied"); departments and products are in keep_words.
SAID = frozenset(
    """said asked told explained replied complained demanded mentioned agreed refused yelled
    shouted screamed insisted cried sighed laughed apologised apologized thanked threatened
    swore admitted interrupted hung rang emailed texted messaged wrote responded came phoned
    wanted needed kept sobbed paid promised called""".split()
)


PRONOUNS = frozenset("me him her them us you it he she they we i".split())


LINKS = frozenset("to with for over through back from by".split())


SELF = frozenset("herself himself themselves themself name".split())


OTHER_CUES = frozenset(("known", "goes", "nickname", "as", "call"))


CUE_WORDS = GREETINGS | NAMING | ROLES | ACTIONS | TITLES | {"name", "names"}


PARTICLES = frozenset(
    "de da del della di du van von der den la le bin binti al el ibn dos das ter ten y".split()
)


# Capitalised inside a name: Vietnamese middle names ("Nguyen Van An", "Tran Thi Mai").
INNER = frozenset(("van", "thi"))


_MAX_WORDS = 4


_PREFIXED = re.compile(r"[^\W\d_]{1,3}['’-][^\W\d_]")  # "al-Mansouri", "d'Angelo", "bin-Ali"


QUOTE = "\"'“”‘’«»"


class Tok(NamedTuple):
    start: int
    end: int
    text: str
    folded: str
    cap: bool


@lru_cache(maxsize=1)
def _lowercase_that_matters() -> frozenset[str]:
    """Lower-case words the name rules read: cues, links, particles, and first names."""
    return (
        CUE_WORDS
        | LINKS
        | PARTICLES
        | SAID
        | OTHER_CUES
        | SELF
        | {"is", "was", "you", "by", "me"}
        | first_names()
        | surnames()
    )


# Where a word follows a title typed in lower case ("mrs patel", "mr o'brien", "mrs van der
# berg"): such a word is a name unless it is an everyday one, so it is kept as a token. Not
# after "ms", "dr" or "miss" ("ms paint", "dr appointment", "miss calls"): a listed name only.
TITLED = frozenset("mr mrs mx mister missus".split())
_AFTER_TITLE = re.compile(
    r"(?<![^\W\d_])(?i:mr|mrs|mx|mister|missus)\.?\s{1,2}"
    r"(?:(?:de|da|del|della|di|du|van|von|der|den|la|le|al|el|bin|ibn|dos|das|ter|ten)\s)*"
    r"(?=[^\W\d_])"
)


def tokens(view: str) -> list[Tok]:
    """The words the name rules can use. Other lower-case words are left out (a fast path on
    long texts): they can neither be a name nor join one, so leaving them out only makes the
    gap between their neighbours non-blank, which is what keeps those neighbours apart."""
    found = []
    wanted = _lowercase_that_matters()
    titled = {m.end() for m in _AFTER_TITLE.finditer(view)} if "m" in view else ()
    for match in _TOKEN.finditer(view):
        text = match.group(0)
        start, end = match.span()
        if len(text) > 3 and text[-2:] in ("'s", "’s"):
            text, end = text[:-2], end - 2  # possessive: "Sarah's" -> "Sarah"
        prefixed = _PREFIXED.match(text)
        cap = text[0].isupper() or bool(prefixed and text[prefixed.end() - 1].isupper())
        if (
            not cap
            and text.lower() not in wanted
            and (text.isascii() or fold(text) not in wanted)
            and start not in titled
        ):
            continue
        found.append(Tok(start, end, text, fold(text), cap))
    return found


def is_listed(tok: Tok) -> bool:
    return is_listed_word(tok.folded)


@lru_cache(maxsize=16384)
def is_listed_word(folded: str) -> bool:
    """In the name lists; a double-barrelled name counts when one part is ("Adebayo-Smith")."""
    if folded in first_names() or folded in surnames():
        return True
    parts = folded.split("-")
    ordinary = ordinary_words()
    return (
        len(parts) > 1
        and all(len(part) > 1 for part in parts)
        and any(p in first_names() or p in surnames() for p in parts)
        and not any(p in ordinary and not (p in first_names() or p in surnames()) for p in parts)
    )


def is_curated(tok: Tok) -> bool:
    return tok.folded in curated_first_names() or tok.folded in curated_surnames()


@lru_cache(maxsize=16384)
def is_standalone(text: str) -> bool:
    """May this word be a name with no cue at all? (Cached: most words recur.)"""
    folded = fold(text)
    return can_name(Tok(0, 0, text, folded, text[0].isupper()), "none")


def can_name(tok: Tok, strength: str) -> bool:
    """May `tok` be a name here? strength: "strong" cue, "weak" cue, "listed" (only a name from
    the lists) or "none" (standalone)."""
    if len(tok.folded) < 2 or tok.folded in CUE_WORDS or tok.folded in PRONOUNS:
        return False  # "SHE CALLED ME A LIAR"
    keep = tok.folded in keep_words() or tok.folded in places()
    common, listed = tok.folded in common_words(), is_listed(tok)
    if strength == "naming":  # "named Sunny", "called Rose": any capitalised word but a keep word
        if keep:
            return tok.folded in first_names()
        return tok.cap or listed
    if strength == "listed":
        return listed and (not keep or tok.folded in first_names())
    if strength == "strong":
        if keep:
            return tok.folded in first_names()  # "Hi Max", "Dear April"
        return listed if common or not tok.cap else True
    if strength == "titled":  # after a title in lower case: "mrs patel", "mr o'brien"
        return not keep and (listed if common else len(tok.folded) >= 2)
    if keep:
        return False
    if strength == "weak":  # "spoke to Okafor", "transferred to dave"
        return (listed or not common) if tok.cap else listed and not common
    if common:
        return False
    if tok.cap:  # an all-caps short word is an acronym ("PAN", "LEE"? "TED", "IBAN"): cue needed
        acronym = tok.text.isupper() and len(tok.text) <= (3 if is_curated(tok) else 4)
        return listed and len(tok.folded) >= 3 and not acronym
    return tok.folded in curated_first_names() and len(tok.folded) >= 3


def joinable(tok: Tok) -> bool:
    """May `tok` extend a name next to it ("Sarah Whitfield", "Grace Kim")?"""
    if tok.folded in CUE_WORDS or tok.folded in keep_words():
        return False
    if not tok.cap or (len(tok.text) > 1 and tok.text.isupper()):  # "sarah", or "DROP TABLE"
        return is_listed(tok) and tok.folded not in common_words()
    return is_listed(tok) or tok.folded not in common_words()


def adjacent(view: str, left: Tok, right: Tok) -> bool:
    gap = view[left.end : right.start]
    if left.cap and len(left.text) == 1:  # an initial: "J. Smith"
        return gap in (". ", ".", " ")
    return gap in (" ", "  ", "\t")


def spaced(view: str, left: Tok, right: Tok) -> bool:
    return view[left.end : right.start] in (" ", "  ", "\t")


def is_particle(tok: Tok) -> bool:
    return (tok.folded in PARTICLES and not tok.cap) or (tok.folded in INNER and tok.cap)


def grow(view: str, toks: list[Tok], taken: list[bool], seed: int) -> tuple[int, int]:
    """Extend a name over adjacent name-like words, initials and particles, both ways."""
    last = _grow_right(view, toks, taken, seed)
    first = _grow_left(view, toks, taken, seed, last)
    if len(toks[last].text) == 1:  # never end on a lone initial
        last -= 1
    return _with_particles_after_title(view, toks, taken, first), last


def _grow_right(view: str, toks: list[Tok], taken: list[bool], seed: int) -> int:
    """The last word of the name that starts at `seed`: joinable words, dotted initials and
    particles before a capitalised word ("Ana J. de la Cruz")."""
    last = seed
    while last + 1 < len(toks) and last - seed + 1 < _MAX_WORDS and not taken[last + 1]:
        nxt = toks[last + 1]
        if not adjacent(view, toks[last], nxt):
            break
        if is_particle(nxt):  # "de la Cruz", "van der Berg", "Nguyen Van An"
            beyond = _past_particles(view, toks, last + 1)
            if beyond is None:
                break
            last = beyond
        elif _dotted_initial(view, nxt) or joinable(nxt):
            last += 1
        else:
            break
    return last


def _past_particles(view: str, toks: list[Tok], start: int) -> int | None:
    """The capitalised word after the run of particles at `start`, if the name goes on there."""
    end = start
    while (
        end + 1 < len(toks)
        and is_particle(toks[end + 1])
        and adjacent(view, toks[end], toks[end + 1])
    ):
        end += 1
    if end + 1 >= len(toks):
        return None
    after = toks[end + 1]
    if (
        adjacent(view, toks[end], after)
        and after.cap
        and after.folded not in CUE_WORDS
        and after.folded not in keep_words()
    ):
        return end + 1
    return None


def _dotted_initial(view: str, tok: Tok) -> bool:
    """ "J." in "Mary J. Blige"."""
    return len(tok.text) == 1 and tok.cap and view[tok.end : tok.end + 1] == "."


def _grow_left(view: str, toks: list[Tok], taken: list[bool], first: int, last: int) -> int:
    """The first word of the name: capitalised joinable words and initials (not "I") before."""
    while first > 0 and last - first + 1 < _MAX_WORDS and not taken[first - 1]:
        prev = toks[first - 1]
        if not adjacent(view, prev, toks[first]):
            break
        initial = len(prev.text) == 1 and prev.cap and prev.text != "I"
        if not (initial or (prev.cap and joinable(prev))):
            break
        first -= 1
    return first


def _with_particles_after_title(view: str, toks: list[Tok], taken: list[bool], first: int) -> int:
    """ "Mrs van Dijk", "Ms Van Buren": particles right after a title join too."""
    before = first
    while before > 0 and toks[before - 1].folded in PARTICLES:
        if taken[before - 1] or not adjacent(view, toks[before - 1], toks[before]):
            break
        before -= 1
    if before < first and before > 0 and toks[before - 1].folded in TITLES:
        return before
    return first
