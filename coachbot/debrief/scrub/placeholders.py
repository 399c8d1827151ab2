"""The typed placeholders the scrubber leaves in place of personal data: one home for the kinds.

`[email]`, `[phone]`, … `[id-number]`: the scrubber writes them, keeps them when they are already
in its input (which makes it idempotent), and readers of scrubbed text (the debrief service's
"is anything left to read" check, the theme grouping) look past them.
"""

from __future__ import annotations

import re

KINDS = (
    "email",
    "phone",
    "card",
    "iban",
    "account",
    "address",
    "name",
    "dob",
    "ip",
    "url",
    "id-number",
)
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(re.escape(k) for k in KINDS) + r")\]")


def placeholder(kind: str) -> str:
    """The text that stands for one removed value of `kind`: "[phone]"."""
    return f"[{kind}]"


def without_placeholders(text: str) -> str:
    """The text with each placeholder read as a space: what is left to read."""
    return PLACEHOLDER.sub(" ", text)
