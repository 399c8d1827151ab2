"""People's names, found from cues and from the shipped name lists.

A name is seeded by a cue — a title ("Mrs Patel", "mr smith", "Sra. Ortega"), a greeting or
sign-off ("Hi Tom", "Thanks, Ana", "Best, Fatima", "kudos to Ines"), a naming phrase ("named",
"called 'Baz'", "my name is", "call me"), a role ("my supervisor Kevin", "his wife, Precious"), an
action ("spoke to Okafor"), a person's verb ("Xiomara asked"), a team ("Jack from Sales"), a
family ("the Okafors") — or by a capitalised word in the first-name or surname lists. The seed
then grows over adjacent capitalised words, initials and particles ("Maria de la Cruz", "John F.
Kennedy", "Nguyen Van An", "Ms Van Buren"). Once a word is a name, its other capitalised
occurrences are too ("asked for Will. Will is off today").

Words a debrief needs (departments, plans, weekdays, months) never seed or join a name; words
that are also names or places (Will, Grace, May, Bolton) need a cue or a listed neighbour. A
listed word with nothing else for it stays when it reads as a place or a brand: after "in" ("in
Lima") or in a list with words that cannot be names ("Rogers and Telus"). The server's own
members (`known_names`) are in `members.py`.
"""

from __future__ import annotations

from coachbot.debrief.scrub.name_cues import (
    before_said,
    cue_target,
    family_name,
    from_team,
    named_again,
    pair_then_said,
    place_or_brand,
    short_pair,
)
from coachbot.debrief.scrub.name_words import (
    CUE_WORDS,
    OTHER_CUES,
    PARTICLES,
    TITLES,
    Tok,
    can_name,
    grow,
    is_standalone,
    tokens,
)
from coachbot.debrief.scrub.spans import Ledger

__all__ = ["CUE_WORDS", "TITLES", "scrub_names"]


def scrub_names(ledger: Ledger) -> None:
    view = ledger.view
    toks = tokens(view)
    taken = [False] * len(toks)
    seeds: list[int] = []
    backed: set[int] = set()  # seeds with a cue or a telling neighbour, not just the lists
    for i, tok in enumerate(toks):
        if tok.folded in CUE_WORDS or tok.folded in OTHER_CUES:
            cue = cue_target(view, toks, i)
            if cue is not None:
                target, strength = cue
                if strength != "none" and can_name(toks[target], strength):
                    seeds.append(target)
                    backed.add(target)
        elif tok.cap and (
            before_said(view, toks, i)
            or short_pair(view, toks, i)
            or from_team(view, toks, i)
            or family_name(view, toks, i)
            or pair_then_said(view, toks, i)
        ):
            seeds.append(i)
            backed.add(i)
        elif is_standalone(tok.text):
            seeds.append(i)
    found: set[str] = set()
    for seed in sorted(set(seeds)):
        if taken[seed]:
            continue
        if seed not in backed and place_or_brand(view, toks, taken, seed):
            continue
        _claim(ledger, view, toks, taken, seed, found)
    for i, tok in enumerate(toks):  # the same name again: "asked for Will. Will is off today"
        if not taken[i] and tok.folded in found and named_again(view, toks, i):
            _claim(ledger, view, toks, taken, i, found)


def _claim(
    ledger: Ledger, view: str, toks: list[Tok], taken: list[bool], seed: int, found: set[str]
) -> None:
    first, last = grow(view, toks, taken, seed)
    if last < first:
        return
    if ledger.claim(toks[first].start, toks[last].end, "name"):
        for index in range(first, last + 1):
            taken[index] = True
            word = toks[index]
            if len(word.folded) > 2 and word.folded not in PARTICLES and word.cap:
                found.add(word.folded)
