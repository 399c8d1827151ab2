"""The name pass's cues and context: what points at a name, and what says a word is not one.

A cue word ("Mr", "Hi", "named", "my supervisor", "spoke to") points at the word it names, with a
strength (`cue_target`); a neighbour can tell too ("Xiomara asked", "Jack from Sales", "the
Okafors", "Li Na"). A listed word with no such help may still read as a place or a brand
(`place_or_brand`: "in Lima", "Rogers and Telus").
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.name_words import (
    ACTIONS,
    CUE_WORDS,
    GREETINGS,
    LINKS,
    NAMING,
    PARTICLES,
    QUOTE,
    ROLES,
    SAID,
    SELF,
    TITLED,
    TITLES,
    Tok,
    adjacent,
    can_name,
    grow,
    is_listed,
    is_listed_word,
    spaced,
)
from coachbot.debrief.scrub.vocab import (
    common_words,
    fold,
    keep_words,
    name_places,
    ordinary_words,
    surnames,
)


def _after_quote(view: str, gap: str) -> bool:
    """A gap of a space or two, or a colon, with an opening quote: ' ', ': ', ' "'."""
    return bool(re.fullmatch(rf"(?:\s{{1,2}}|:\s*)[{QUOTE}]?|[{QUOTE}]", gap))


def _title_target(view: str, toks: list[Tok], i: int) -> tuple[int, str] | None:
    """ "Mr Smith", "Dr. Oyelaran", "Mr J. Smith", "Mrs van Dijk"; typed sloppily, "mr smith"."""
    tok, nxt = toks[i], toks[i + 1]
    gap = view[tok.end : nxt.start]
    if not re.fullmatch(r"\.?\s{1,2}", gap):
        return None
    # "mr smith"; after a title that can be nothing else, any word but an everyday one
    strength = "strong" if tok.cap or gap.startswith(".") else "listed"
    if strength == "listed" and tok.folded in TITLED:
        strength = "titled"
    target = i + 1
    while target + 1 < len(toks) and toks[target].folded in PARTICLES:
        if not spaced(view, toks[target], toks[target + 1]):
            return None
        target += 1  # "Mrs van Dijk", "Ms Van Buren": the particles join in grow
    if len(toks[target].text) == 1 and toks[target].cap and target + 1 < len(toks):
        return target + 1, strength  # "Mr J. Smith"
    return target, strength


_SIGN_OFFS = frozenset({"regards", "thanks", "cheers", "sincerely"})  # may sit above the name
_NAME_NOUNS = frozenset({"name", "names", "nickname"})
_NAMING_PHRASES = _NAME_NOUNS | {"call", "as", "known", "goes"}
_GREETING_GAP = re.compile(r"[ \t]*[,!]?\s{1,3}")  # "Hi Ana", "Thanks, Ana", "Dear  Ana"
Target = tuple[int, str] | None


def cue_target(view: str, toks: list[Tok], i: int) -> Target:
    """If token i is a cue, the index of the word it points at and the cue's strength."""
    if i + 1 >= len(toks):
        return None
    word = toks[i].folded
    gap = view[toks[i].end : toks[i + 1].start]
    if "\n" in gap and word not in _SIGN_OFFS:
        return None
    if word in TITLES:
        return _title_target(view, toks, i)
    if word in GREETINGS:
        return _greeting_target(view, toks, i, gap)
    if word in NAMING or word in _NAMING_PHRASES:
        return _naming_target(view, toks, i, gap)
    if word in ROLES:
        return _role_target(toks, i, gap)
    if word in ACTIONS:
        return _action_target(view, toks, i)
    return None


def _greeting_target(view: str, toks: list[Tok], i: int, gap: str) -> Target:
    """ "Hi Ana", "thank you Ana", "thanks to Ana", "kudos to Ana": a strong cue."""
    tok, nxt = toks[i], toks[i + 1]
    target = i + 1
    if i + 2 < len(toks) and (
        (tok.folded == "thank" and nxt.folded == "you")
        or (nxt.folded == "to" and spaced(view, tok, nxt))
    ):
        target, gap = i + 2, view[nxt.end : toks[i + 2].start]
    return (target, "strong") if _GREETING_GAP.fullmatch(gap) else None


def _naming_target(view: str, toks: list[Tok], i: int, gap: str) -> Target:
    """ "named Sunny", "her name is Ana", "call me Big Tony", "introduced herself as Mo",
    "known as Mo": whatever word follows is the name it gives."""
    tok, nxt = toks[i], toks[i + 1]
    word = tok.folded
    if word in NAMING:
        named = _after_quote(view, gap) and (word != "called" or nxt.cap)
        return (i + 1, "naming") if named else None
    if word in _NAME_NOUNS:
        return _name_noun_target(view, toks, i, gap)
    if word == "as":
        after_self = i and toks[i - 1].folded in SELF and spaced(view, toks[i - 1], tok)
        return (i + 1, "naming") if after_self and _after_quote(view, gap) else None
    return _two_word_naming_target(view, toks, i)


def _two_word_naming_target(view: str, toks: list[Tok], i: int) -> Target:
    """ "call me Big Tony", "known as Mo", "goes by Mo": the name is two words on."""
    tok, nxt = toks[i], toks[i + 1]
    if i + 2 >= len(toks) or not _quoted_next(view, toks, i + 1):
        return None
    if tok.folded == "call" and nxt.folded == "me" and toks[i + 2].cap:
        return i + 2, "naming"
    if tok.folded in ("known", "goes") and nxt.folded in ("as", "by") and spaced(view, tok, nxt):
        return i + 2, "naming"
    return None


def _name_noun_target(view: str, toks: list[Tok], i: int, gap: str) -> Target:
    """ "her name is Ana", "gave her name as 'Mo'", "Name: Ana"."""
    if toks[i + 1].folded in ("is", "was", "as") and i + 2 < len(toks):
        return (i + 2, "naming") if _quoted_next(view, toks, i + 1) else None
    return (i + 1, "naming") if re.fullmatch(rf"\s*:\s*[{QUOTE}]?", gap) else None


def _quoted_next(view: str, toks: list[Tok], j: int) -> bool:
    """Does the word after token j follow it as a name is given (a space, a colon, a quote)?"""
    return _after_quote(view, view[toks[j].end : toks[j + 1].start])


def _role_target(toks: list[Tok], i: int, gap: str) -> Target:
    """ "Customer: Okafor" (a label), "my supervisor Kevin", "his wife, Precious"."""
    if re.fullmatch(r"\s*:\s*", gap):
        return i + 1, "strong"
    if re.fullmatch(r",?\s{1,2}", gap) and toks[i + 1].cap:
        # in Title Case ("Supervisor Approval", "Customer Journey") only a listed name counts
        return i + 1, "listed" if toks[i].cap else "naming"
    return None


def _action_target(view: str, toks: list[Tok], i: int) -> Target:
    """ "spoke to Okafor", "transferred over to Ines": a weak cue, not a team or a town."""
    target = i + 1
    while target < len(toks) - 1 and toks[target].folded in LINKS:
        target += 1
    in_a_row = all(spaced(view, toks[j], toks[j + 1]) for j in range(i, target))
    if not in_a_row or _names_a_team(view, toks, target):
        return None
    if toks[target - 1].folded == "from" and toks[target].folded in name_places():
        return None  # "calling from Kilkenny": a town
    return target, "weak"


def _names_a_team(view: str, toks: list[Tok], i: int) -> bool:
    """ "asked Financial Support", "passed to Network Ops": an unlisted word before a team word."""
    if i + 1 >= len(toks) or is_listed(toks[i]):
        return False
    after = toks[i + 1]
    return after.cap and after.folded in keep_words() and spaced(view, toks[i], after)


def before_said(view: str, toks: list[Tok], i: int) -> bool:
    """ "Xiomara asked", "Tamsin replied": an unknown capitalised word where a person is."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    if view[toks[i].end : nxt.start] != " " or toks[i].text.isupper():
        return False
    if not can_name(toks[i], "weak"):
        return False
    prev = toks[i - 1] if i else None  # "Quality Assurance replied" is a team
    in_team_name = prev and prev.cap and prev.folded in keep_words()
    return nxt.folded in SAID and not (in_team_name and adjacent(view, prev, toks[i]))


# After a first and last name, a few lower-case words, then what a person does: "Zebedee
# Featherstonehaugh on the next desk told me", "Lysander Gotobed, my buddy on nights, warned me".
_THEN_SAID = re.compile(
    r"(?:,?[ \t]+[a-z][\w'’-]*){1,7}?,?[ \t]+(?:said|says|told|tells|asked|warned|explained"
    r"|mentioned|suggested|advised|reckoned|reckons|replied|agreed|confirmed|showed|helped)\b"
)


def pair_then_said(view: str, toks: list[Tok], i: int) -> bool:
    """Two unknown capitalised words, then a person's verb a few words on."""
    if i + 1 >= len(toks) or not spaced(view, toks[i], toks[i + 1]):
        return False
    pair = (toks[i], toks[i + 1])
    if i and adjacent(view, toks[i - 1], toks[i]) and toks[i - 1].cap:
        return False  # the middle of a longer run of capitalised words
    return (
        all(t.cap and not t.text.isupper() and can_name(t, "weak") for t in pair)
        and _THEN_SAID.match(view, toks[i + 1].end) is not None
    )


def from_team(view: str, toks: list[Tok], i: int) -> bool:
    """ "Jack from Sales", "Karen from the Leeds office": a listed name before "from" a team."""
    if i + 2 >= len(toks) or toks[i + 1].folded != "from" or toks[i].text.isupper():
        return False
    tok, team = toks[i], toks[i + 2]
    if not (is_listed(tok) and tok.folded not in keep_words() and tok.folded not in CUE_WORDS):
        return False
    between = view[toks[i + 1].end : team.start]
    return (
        spaced(view, tok, toks[i + 1])
        and re.fullmatch(r" (?:the |our )?", between) is not None
        and team.cap
        and team.folded in keep_words()
    )


def family_name(view: str, toks: list[Tok], i: int) -> bool:
    """ "the Okafors", "the Nguyens": a family by its surname."""
    tok = toks[i]
    return (
        tok.cap
        and len(tok.folded) > 4
        and tok.folded.endswith("s")
        and tok.folded[:-1] in surnames()
        and tok.folded[:-1] not in common_words()
        and tok.folded not in keep_words()
        and view[max(0, tok.start - 4) : tok.start].lower() == "the "
    )


def short_pair(view: str, toks: list[Tok], i: int) -> bool:
    """ "Li Na", "Wu Lei": two capitalised listed words, too short to be a name alone."""
    if i + 1 >= len(toks) or not adjacent(view, toks[i], toks[i + 1]):
        return False
    return all(
        t.cap
        and not t.text.isupper()
        and is_listed(t)
        and t.folded not in ordinary_words()
        and t.folded not in CUE_WORDS
        and t.folded not in PARTICLES
        for t in (toks[i], toks[i + 1])
    )


_LOCATIVE = re.compile(r"(?i:\b(?:in|near|around|across|outside|inside|throughout|within))\s+$")


_JOINED_BEFORE = re.compile(r"([^\W_][\w'’-]*)(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|/)$")


_JOINED_AFTER = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|/)([^\W_][\w'’-]*)")


def place_or_brand(view: str, toks: list[Tok], taken: list[bool], seed: int) -> bool:
    """Is a listed word with no cue, alone, more likely a place or a brand than a person?

    "in Lima", "near Hamilton": after a locative word. "Rogers and Telus", "MTN, Glo and
    Etisalat": listed with words that cannot be names, it is one of their kind.
    """
    first, last = grow(view, toks, taken, seed)
    if first != last:
        return False
    tok = toks[seed]
    if _LOCATIVE.search(view, max(0, tok.start - 12), tok.start):
        return view[tok.end : tok.end + 2] not in ("'s", "’s")
    siblings = []
    before = _JOINED_BEFORE.search(view, max(0, tok.start - 40), tok.start)
    after = _JOINED_AFTER.match(view, tok.end)
    if before:
        siblings.append(before.group(1))
    if after:
        siblings.append(after.group(1))
    return any(not_a_name(word) for word in siblings)


def not_a_name(word: str) -> bool:
    """A capitalised word that no name rule would take: a brand, a place, an acronym."""
    folded = fold(word)
    if (
        not word[0].isupper() or word == "I" or folded in CUE_WORDS
    ):  # "Shreya and I", "Best, Fatima"
        return False
    if word.isupper() and len(word) > 1:
        return True
    return folded in keep_words() or folded in common_words() or not is_listed_word(folded)


def named_again(view: str, toks: list[Tok], i: int) -> bool:
    """Is this capitalised word, already a name elsewhere in the text, a name here too? Yes,
    unless it is an everyday word ("Will", "Price", "Rose") that its neighbours do not mark
    as a person: "Will is off" and "Rose said" are, "the Price Promise" is not."""
    tok = toks[i]
    if not tok.cap or tok.folded in keep_words():
        return False
    if tok.folded not in common_words():
        return True
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return bool(
        nxt
        and spaced(view, tok, nxt)
        and (nxt.folded in SAID or nxt.folded in ("is", "was", "and"))
    )
