"""Slack's markup: `<@U123|maria.lopez>`, `<#C1|name>`, `<mailto:a@b.c|a@b.c>`,
`<https://x|label>`. Each is scrubbed whole, label included: the label of a user mention is
the person's own name, and a later pass that saw only part of it would leave the rest
(`<@W0123ABCD|maria.lopez>` became `<[name]|[name].lopez>`, leaking the surname).

Broadcasts (`<!here>`, `<!channel>`, `<!everyone>`) name no one and stay (never sent as pings).
"""

from __future__ import annotations

import re

from coachbot.debrief.scrub.spans import Ledger

_LABEL = r"(?:\|[^<>]*)?"
_KINDS = (
    (re.compile(rf"<@[UWB][A-Z0-9]{{1,20}}{_LABEL}>"), "name"),  # a member (B: a bot)
    (re.compile(rf"<!subteam\^[A-Z0-9]{{1,20}}{_LABEL}>"), "name"),  # a user group
    (re.compile(rf"<#[CGD][A-Z0-9]{{1,20}}{_LABEL}>"), "url"),  # a channel link
    (re.compile(rf"<mailto:[^|<>\s]+{_LABEL}>", re.IGNORECASE), "email"),
    (re.compile(rf"<(?:https?|ftp)://[^|<>\s]+{_LABEL}>", re.IGNORECASE), "url"),
)


def scrub_slack_markup(ledger: Ledger) -> None:
    """Claim each piece of Slack markup whole, before any other pass sees part of it."""
    if "<" not in ledger.view:
        return
    for pattern, kind in _KINDS:
        for match in pattern.finditer(ledger.view):
            ledger.claim(match.start(), match.end(), kind)
