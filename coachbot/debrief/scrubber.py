"""Masks personal data in free text before it is stored or shared anywhere.

`scrub(text)` replaces each piece of personal data with a typed placeholder (`[email]`,
`[phone]`, `[card]`, `[iban]`, `[account]`, `[address]`, `[name]`, `[dob]`, `[ip]`, `[url]`,
`[id-number]`) and counts what it removed, never keeping the values. What makes a debrief useful
— money, percentages, durations, counts, weekdays, months, plans, products, departments — stays.

The passes run in a fixed order over one span ledger (see `scrub/__init__.py`): the most
recognisable shapes first (URLs, emails, IBANs, cards), cue-based ones next, names last, so a
later pass never re-reads what an earlier one took. Placeholders already in the text are kept as
they are, which makes the scrubber idempotent.

A pass that fails fails closed: `scrub` raises `ScrubFailed` (a `CoachError` with a message for
the user) rather than return text that still holds that kind of personal data. The log says
which pass failed, the error's type and where, never the text or the error's message.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coachbot.debrief.scrub import (
    addresses,
    birth_dates,
    cards,
    emails,
    ibans,
    ips,
    keep,
    members,
    mentions,
    names,
    national_ids,
    phones,
    references,
    slack_markup,
    urls,
)
from coachbot.debrief.scrub.checksums import luhn_valid
from coachbot.debrief.scrub.placeholders import KINDS
from coachbot.debrief.scrub.spans import Ledger
from coachbot.errors import ScrubFailed

__all__ = ["KINDS", "ScrubFailed", "Scrubbed", "luhn_valid", "scrub"]

log = logging.getLogger(__name__)

_PASSES: tuple[tuple[str, Callable[[Ledger], None]], ...] = (
    ("slack markup", slack_markup.scrub_slack_markup),  # whole, before any part is read
    ("brands", keep.keep_phrases),
    ("urls", urls.scrub_urls),
    ("emails", emails.scrub_emails),
    ("ibans", ibans.scrub_ibans),  # before handles: "@GB15 AAAA 0000 ..." is an IBAN
    ("handles", mentions.scrub_handles),
    ("cards", cards.scrub_cards),
    ("card endings", cards.scrub_card_endings),
    ("ips", ips.scrub_ips),
    ("national ids", national_ids.scrub_national_ids),
    ("dates of birth", birth_dates.scrub_dates_of_birth),
    ("references", references.scrub_references),
    ("codes", references.scrub_codes),
    ("postcodes", addresses.scrub_cued_postcodes),
    ("phones", phones.scrub_phones),
    ("addresses", addresses.scrub_addresses),
)


_MAX_ROUNDS = 3


@dataclass(frozen=True)
class Scrubbed:
    """The scrubbed text and how many of each kind were removed (never the values)."""

    text: str
    redactions: dict[str, int] = field(default_factory=dict)


def scrub(text: str, *, known_names: Iterable[str] = ()) -> Scrubbed:
    """Replace personal data with typed placeholders such as `[email]`; count what was removed.

    `known_names` are the display names of the server's own members (on Discord): they are
    replaced with `[name]` wherever they appear as whole words, in any case.

    Scrubbing the output again changes nothing: the result is scrubbed once more, and again
    while that finds more (a placeholder can turn a neighbour into a name: "MR A0 [name] AA").

    Raises `ScrubFailed` when a pass fails: nothing half-scrubbed is ever returned.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text.strip():
        return Scrubbed(text=text)
    known = tuple(known_names) if known_names else ()
    result = _scrub_once(text, known)
    for _ in range(_MAX_ROUNDS):
        again = _scrub_once(result.text, known)
        if again.text == result.text:
            break
        counts = dict(result.redactions)
        for kind, count in again.redactions.items():
            counts[kind] = counts.get(kind, 0) + count
        result = Scrubbed(text=again.text, redactions=counts)
    return result


def _scrub_once(text: str, known: tuple[str, ...]) -> Scrubbed:
    ledger = Ledger(text)
    for _ in range(_MAX_ROUNDS):
        claimed = len(ledger)
        for label, run in _PASSES:
            _run(label, run, ledger)
        _run("known names", lambda ledger: members.scrub_known_names(ledger, known), ledger)
        _run("names", names.scrub_names, ledger)
        # A claim glued to a word ("3rdborn on …"): look again, as a second scrub would.
        if len(ledger) == claimed or not ledger.glued():
            break
    scrubbed, counts = ledger.render()
    return Scrubbed(text=scrubbed, redactions=counts)


def _run(label: str, run: Callable[[Ledger], None], ledger: Ledger) -> None:
    """One pass; if it fails, the whole scrub fails (closed), logged without any text."""
    try:
        run(ledger)
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        # no exc_info: the error's message may quote the text, and a logger without
        # coachbot.logs' filter would print it
        log.error("scrubber pass %r failed with %s at %s", label, type(exc).__name__, where)
        raise ScrubFailed() from None
