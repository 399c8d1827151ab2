"""People's names, found from cues and from the shipped name lists.

A name is seeded by a cue — a title ("Mrs Patel"), a greeting or sign-off ("Hi Tom", "Thanks,
Ana"), a naming phrase ("named", "called", "my name is"), a role ("my supervisor Kevin", "customer
Jane"), an action ("spoke to Okafor") — or by a capitalised word in the first-name or surname list.
The seed then grows over adjacent capitalised words, initials and particles ("Maria de la Cruz",
"John F. Kennedy"). Words a debrief needs (departments, plans, weekdays, months) never seed or
join a name; words that are also names (Will, Grace, May) need a strong cue or a listed neighbour.
The server's own members (`known_names`) are in `members.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import common_words, first_names, fold, keep_words, surnames

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")
TITLES = frozenset(
    "mr mrs ms miss mx dr prof sir dame mister missus madame mme mlle herr frau".split()
)
_GREETINGS = frozenset(
    """hi hello hey heya hiya howdy dear thanks thank thankyou cheers regards sincerely bye
    goodbye ta yo congrats congratulations welcome""".split()
)
_NAMING = frozenset("named called aka surname nicknamed".split())
_ROLES = frozenset(
    """customer caller client colleague coworker co-worker teammate agent rep representative
    supervisor manager lead boss coach trainer mentor tenant patient guest passenger member
    cardholder policyholder holder husband wife son daughter mother father mom mum dad partner
    brother sister friend neighbour neighbor technician engineer driver courier nurse doctor
    landlord director owner specialist advisor adviser buyer seller user account-holder""".split()
)
_ACTIONS = frozenset(
    """spoke speaking speak talked talking talk chatted transferred escalated handed passed put
    asked told emailed phoned texted messaged thanked helped assisted informed reassured
    apologised apologized connected forwarded assigned met contacted greeted introduced calmed
    calling""".split()
)
# Verbs that follow a person: an unknown capitalised word right before one is a name
# ("Then Xiomara asked", "Tamsin replied"); departments and products are in keep_words.
_SAID = frozenset(
    """said asked told explained replied complained demanded mentioned agreed refused yelled
    shouted screamed insisted cried sighed laughed apologised apologized thanked threatened
    swore admitted interrupted hung rang emailed texted messaged wrote responded""".split()
)
_LINKS = frozenset("to with for over through back from by".split())
_SELF = frozenset("herself himself themselves themself name".split())
_OTHER_CUES = frozenset(("known", "goes", "nickname", "as"))
CUE_WORDS = _GREETINGS | _NAMING | _ROLES | _ACTIONS | TITLES | {"name", "names"}
_PARTICLES = frozenset(
    "de da del della di du van von der den la le bin binti al el ibn dos das ter ten y".split()
)
_MAX_WORDS = 4


class _Tok(NamedTuple):
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
        | _LINKS
        | _PARTICLES
        | _SAID
        | _OTHER_CUES
        | _SELF
        | {"is", "was", "you", "by"}
        | first_names()
    )


def _tokens(view: str) -> list[_Tok]:
    """The words the name rules can use. Other lower-case words are left out (a fast path on
    long texts): they can neither be a name nor join one, so leaving them out only makes the
    gap between their neighbours non-blank, which is what keeps those neighbours apart."""
    found = []
    wanted = _lowercase_that_matters()
    for match in _TOKEN.finditer(view):
        text = match.group(0)
        if (
            not text[0].isupper()
            and text.lower() not in wanted
            and (text.isascii() or fold(text) not in wanted)
        ):
            continue
        start, end = match.span()
        if len(text) > 3 and text[-2:] in ("'s", "’s"):
            text, end = text[:-2], end - 2  # possessive: "Sarah's" -> "Sarah"
        found.append(_Tok(start, end, text, fold(text), text[0].isupper()))
    return found


def _listed(tok: _Tok) -> bool:
    return tok.folded in first_names() or tok.folded in surnames()


@lru_cache(maxsize=16384)
def _standalone(text: str) -> bool:
    """May this word be a name with no cue at all? (Cached: most words recur.)"""
    folded = fold(text)
    return _can_name(_Tok(0, 0, text, folded, text[0].isupper()), "none")


def _can_name(tok: _Tok, strength: str) -> bool:
    """May `tok` be a name here? strength: "strong" cue, "weak" cue, "listed" (only a name from
    the lists) or "none" (standalone)."""
    if len(tok.folded) < 2 or tok.folded in CUE_WORDS:
        return False
    keep, common, listed = tok.folded in keep_words(), tok.folded in common_words(), _listed(tok)
    if strength == "listed":
        return listed and (not keep or tok.folded in first_names())
    if strength == "strong":
        if keep:
            return tok.folded in first_names()  # "Hi Max", "Dear April"
        return listed if common or not tok.cap else True
    if keep:
        return False
    if strength == "weak":
        return tok.cap and (listed or not common)
    if common:
        return False
    if tok.cap:  # an all-caps short word is an acronym ("PAN", "LEE"? "TED"): cue needed
        return listed and len(tok.folded) >= 3 and not (tok.text.isupper() and len(tok.text) <= 3)
    return tok.folded in first_names() and len(tok.folded) >= 3


def _joinable(tok: _Tok) -> bool:
    """May `tok` extend a name next to it ("Sarah Whitfield", "Grace Kim")?"""
    if tok.folded in CUE_WORDS or tok.folded in keep_words():
        return False
    if not tok.cap or (len(tok.text) > 1 and tok.text.isupper()):  # "sarah", or "DROP TABLE"
        return _listed(tok) and tok.folded not in common_words()
    return _listed(tok) or tok.folded not in common_words()


def _adjacent(view: str, left: _Tok, right: _Tok) -> bool:
    gap = view[left.end : right.start]
    if left.cap and len(left.text) == 1:  # an initial: "J. Smith"
        return gap in (". ", ".", " ")
    return gap in (" ", "  ", "\t")


def _grow(view: str, toks: list[_Tok], taken: list[bool], seed: int) -> tuple[int, int]:
    """Extend a name over adjacent name-like words, initials and particles, both ways."""
    first = last = seed
    while last + 1 < len(toks) and last - first + 1 < _MAX_WORDS and not taken[last + 1]:
        nxt = toks[last + 1]
        if not _adjacent(view, toks[last], nxt):
            break
        if nxt.folded in _PARTICLES and not nxt.cap:  # "de la Cruz", "van der Berg"
            end = last + 1
            while end + 1 < len(toks) and toks[end + 1].folded in _PARTICLES:
                if not _adjacent(view, toks[end], toks[end + 1]) or toks[end + 1].cap:
                    break
                end += 1
            after = toks[end + 1] if end + 1 < len(toks) else None
            if after and _adjacent(view, toks[end], after) and after.cap and _joinable(after):
                last = end + 1
                continue
            break
        if (len(nxt.text) == 1 and nxt.cap and view[nxt.end : nxt.end + 1] == ".") or _joinable(
            nxt
        ):
            last += 1
            continue
        break
    while first > 0 and last - first + 1 < _MAX_WORDS and not taken[first - 1]:
        prev = toks[first - 1]
        if not _adjacent(view, prev, toks[first]):
            break
        if (len(prev.text) == 1 and prev.cap and prev.text != "I") or (
            prev.cap and _joinable(prev)
        ):
            first -= 1
            continue
        break
    if len(toks[last].text) == 1:  # never end on a lone initial
        last -= 1
    return first, last


def _spaced(view: str, left: _Tok, right: _Tok) -> bool:
    return view[left.end : right.start] in (" ", "  ", "\t")


def _cue_target(view: str, toks: list[_Tok], i: int) -> tuple[int, str] | None:
    """If token i is a cue, the index of the word it points at and the cue's strength."""
    tok = toks[i]
    word = tok.folded
    if i + 1 >= len(toks):
        return None
    nxt = toks[i + 1]
    gap = view[tok.end : nxt.start]
    if "\n" in gap and word not in ("regards", "thanks", "cheers", "sincerely"):
        return None
    if word in TITLES and (tok.cap or gap.startswith(".")):
        if re.fullmatch(r"\.?\s{1,2}", gap):
            if len(nxt.text) == 1 and nxt.cap and i + 2 < len(toks):  # "Mr J. Smith"
                return i + 2, "strong"
            return i + 1, "strong"
        return None
    if word in _GREETINGS:
        target = i + 1
        if word == "thank" and nxt.folded == "you" and i + 2 < len(toks):
            target, gap = i + 2, view[nxt.end : toks[i + 2].start]
        if re.fullmatch(r"[ \t]*[,!]?\s{1,3}", gap) or re.fullmatch(r",?\s{1,3}", gap):
            return target, "strong"
        return None
    if word in _NAMING:
        if re.fullmatch(r"\s{1,2}|:\s*", gap) and (word != "called" or nxt.cap):
            return i + 1, "strong"
        return None
    if word in ("name", "names", "nickname"):
        if nxt.folded in ("is", "was") and i + 2 < len(toks) and _spaced(view, nxt, toks[i + 2]):
            return i + 2, "strong"
        if re.fullmatch(r"\s*:\s*", gap):
            return i + 1, "strong"
        return None
    if word == "as" and i and toks[i - 1].folded in _SELF and _spaced(view, toks[i - 1], tok):
        return (i + 1, "strong") if _spaced(view, tok, nxt) else None  # "introduced herself as"
    if word in ("known", "goes") and nxt.folded in ("as", "by") and i + 2 < len(toks):
        if _spaced(view, tok, nxt) and _spaced(view, nxt, toks[i + 2]):
            return i + 2, "strong"
        return None
    if word in _ROLES and re.fullmatch(r"\s*:\s*", gap):  # a label: "Customer: Okafor"
        return i + 1, "strong"
    if word in _ROLES and re.fullmatch(r",?\s{1,2}", gap) and nxt.cap:
        # "my supervisor Kevin", but in Title Case ("Supervisor Approval", "Customer Journey")
        # only a listed name counts.
        return i + 1, "listed" if tok.cap else "strong"
    if word in _ACTIONS:  # "spoke to Okafor", "transferred over to Ines"
        target = i + 1
        while target < len(toks) - 1 and toks[target].folded in _LINKS:
            target += 1
        spaced = all(_spaced(view, toks[j], toks[j + 1]) for j in range(i, target))
        return (target, "weak") if spaced else None
    return None


def _before_said(view: str, toks: list[_Tok], i: int) -> bool:
    """ "Xiomara asked", "Tamsin replied": an unknown capitalised word where a person is."""
    nxt = toks[i + 1]
    if view[toks[i].end : nxt.start] != " " or toks[i].text.isupper():
        return False
    if not _can_name(toks[i], "weak"):
        return False
    prev = toks[i - 1] if i else None  # "Quality Assurance replied" is a team
    in_team_name = prev and prev.cap and prev.folded in keep_words()
    return nxt.folded in _SAID and not (in_team_name and _adjacent(view, prev, toks[i]))


def scrub_names(ledger: Ledger) -> None:
    view = ledger.view
    toks = _tokens(view)
    taken = [False] * len(toks)
    seeds: list[int] = []
    for i, tok in enumerate(toks):
        if tok.folded in CUE_WORDS or tok.folded in _OTHER_CUES:
            cue = _cue_target(view, toks, i)
            if cue is not None:
                target, strength = cue
                if strength != "none" and _can_name(toks[target], strength):
                    seeds.append(target)
        elif _standalone(tok.text) or (
            tok.cap and i + 1 < len(toks) and _before_said(view, toks, i)
        ):
            seeds.append(i)
    for seed in sorted(set(seeds)):
        if taken[seed]:
            continue
        first, last = _grow(view, toks, taken, seed)
        if last < first:
            continue
        if ledger.claim(toks[first].start, toks[last].end, "name"):
            for index in range(first, last + 1):
                taken[index] = True
