"""URLs that carry personal data: query strings, user info, ids, keys or handles in the path,
profile pages on social networks, shortened links, personal sites ("jane-doe.com").

A plain help or product page ("https://example.com/help", ".../iphone-15/") stays: it tells the
team where the agent looked, and names no one.
"""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import urlsplit

from coachbot.debrief.scrub.spans import Ledger
from coachbot.debrief.scrub.vocab import first_names, fold

_SOCIAL = (
    "facebook.com fb.com fb.me instagram.com twitter.com x.com linkedin.com tiktok.com "
    "youtube.com github.com gitlab.com reddit.com t.me wa.me venmo.com paypal.me cash.app "
    "calendly.com pinterest.com snapchat.com medium.com threads.net bsky.app about.me "
    "onlyfans.com patreon.com twitch.tv discord.gg discord.com"
).split()
_SHORTENERS = "bit.ly t.co tinyurl.com goo.gl ow.ly buff.ly rebrand.ly is.gd cutt.ly".split()
_URL = re.compile(
    r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'`\ue000]+"
    r"|\b(?:" + "|".join(re.escape(d) for d in _SOCIAL) + r")/[^\s<>\"'`\ue000]+",
    re.IGNORECASE,
)
_PERSONAL_PARENTS = frozenset(
    """u user users profile profiles people person member members account accounts customer
    customers in pub id me my orders order tickets ticket invoice invoices track tracking
    reset verify unsubscribe confirm booking bookings reservation reservations patient
    patients client clients employee employees staff author authors case cases incident
    incidents contact contacts complaint complaints""".split()
)
# A CRM link written without its scheme: "crm.internal/case/77120", "crm/case/66120".
_BARE_PATH = re.compile(r"(?<![\w/.@\ue000-])[A-Za-z][\w-]*(?:\.[\w-]+)*(?:/[\w.~%+=-]+)+")
_TRAILING = ".,;:!?'\")]}>*_~"


def _url_end(raw: str) -> str:
    """Drop sentence punctuation after a URL, keeping a `)` that closes one inside it."""
    while raw and raw[-1] in _TRAILING:
        if raw[-1] == ")" and raw.count("(") >= raw.count(")"):
            break
        raw = raw[:-1]
    return raw


def _random_looking(segment: str) -> bool:
    """A generated key ("a8f3k2l9x", "1aBcD_efGhIjKlMnOp"), not a slug ("HowToReset",
    "MacBookAirM2")."""
    runs = len(re.findall(r"\d+|[^\W\d_]+", segment))
    flips = sum(a.islower() and b.isupper() for a, b in pairwise(segment))
    if runs >= 4 or (runs >= 3 and flips) or re.search(r"\d{4}", segment):
        return True
    chunks = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", segment)
    words = [c for c in chunks if len(c) >= 3]
    return len(chunks) >= 4 and len(words) * 2 < len(chunks)


def _host_is_personal(host: str) -> bool:
    """A personal site: "jane-doe.com", "www.sarah-mitchell.co.uk"."""
    for label in host.split(".")[:-1]:
        parts = label.split("-")
        if len(parts) in (2, 3) and any(fold(p) in first_names() for p in parts):
            return True
    return False


def _segment_is_personal(segment: str, parent: str) -> bool:
    if not segment:
        return False
    if segment[0] in "@~" or "@" in segment:
        return True
    if parent.casefold() in _PERSONAL_PARENTS:
        return True
    parts = re.split(r"[-._+]", segment)
    if any(_random_looking(p) for p in parts) or (
        "_" in segment and _random_looking(segment.replace("_", ""))
    ):
        return True  # an id, a token, a key ("iphone-15" is a product page, not one)
    return len(parts) in (2, 3) and any(fold(p) in first_names() for p in parts)


def url_is_personal(url: str) -> bool:
    """Query strings, user info, fragments with values, ids or handles in the path."""
    text = url if "://" in url else f"http://{url}"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").casefold()
    except ValueError:
        return True  # unparseable: do not risk keeping it
    if parts.query or "@" in parts.netloc or "=" in parts.fragment:
        return True
    segments = [s for s in parts.path.split("/") if s]
    if segments and any(host == d or host.endswith("." + d) for d in _SOCIAL + _SHORTENERS):
        return True
    if _host_is_personal(host):
        return True
    parent = ""
    for segment in segments:
        if _segment_is_personal(segment, parent):
            return True
        parent = segment
    return False


def _bare_paths(ledger: Ledger) -> None:
    """A record's id under a personal parent, in a link typed without "https://"."""
    if "/" not in ledger.view or _PERSONAL_PARENTS.isdisjoint(ledger.words):
        return
    for match in _BARE_PATH.finditer(ledger.view):
        raw = _url_end(match.group(0))
        segments = raw.split("/")
        if any(
            parent.casefold() in _PERSONAL_PARENTS and any(c.isdigit() for c in segment)
            for parent, segment in pairwise(segments)
        ):
            ledger.claim(match.start(), match.start() + len(raw), "url")


def scrub_urls(ledger: Ledger) -> None:
    lowered = ledger.view.casefold()
    if "://" in lowered or "www." in lowered or any(d in lowered for d in _SOCIAL):
        for match in _URL.finditer(ledger.view):
            raw = _url_end(match.group(0))
            if url_is_personal(raw):
                ledger.claim(match.start(), match.start() + len(raw), "url")
    _bare_paths(ledger)
