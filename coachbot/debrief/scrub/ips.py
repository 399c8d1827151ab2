"""IP addresses, v4 and v6, checked as real addresses (a version number "v1.2.3.4" stays)."""

from __future__ import annotations

import ipaddress
import re

from coachbot.debrief.scrub.spans import Ledger

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{1,4})?(?![\w:]|\.\d)",
    re.I,
)
_VERSION_CUE = re.compile(r"(?:\bv|version|firmware|build|release)\s*$", re.I)


_IP_GATE = re.compile(r"\d\.\d{1,3}\.\d|::|[0-9a-f]:[0-9a-f]{1,4}:", re.I)


def scrub_ips(ledger: Ledger) -> None:
    view = ledger.view
    if not _IP_GATE.search(view):
        return
    for match in _IPV6.finditer(view):  # first: "::ffff:192.0.2.128" is one address
        raw = match.group(0)
        if raw.count(":") < 2 or not any(c.isalnum() for c in raw):
            continue
        try:
            ipaddress.IPv6Address(raw)
        except ValueError:
            continue
        ledger.claim(match.start(), match.end(), "ip")
    view = ledger.view
    for match in _IPV4.finditer(view):
        if _VERSION_CUE.search(view[max(0, match.start() - 12) : match.start()]):
            continue
        if all(int(octet) <= 255 for octet in match.group(0).split(".")):  # "192.168.001.001" too
            ledger.claim(match.start(), match.end(), "ip")
