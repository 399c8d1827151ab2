"""What a debrief modal carries in its own `private_metadata`, so any process can take the
next step (Slack may send each click to a different connection).

The raw answers travel with the modal while they fit in Slack's 3,000 characters (compact
JSON, or zlib-compressed when that is what fits). Only when they do not is the raw text kept in
this process's draft store (memory, coachbot.debrief.drafts) and the modal carries the token
alone. Nothing here writes to disk or logs; the metadata lives in Slack's copy of the modal.

`seen` is a fingerprint of the scrubbed text the author was shown: Submit scrubs the raw text
again and stores it only if it is exactly what the preview showed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from coachbot.debrief.service import FIELDS

LIMIT = 3000  # Slack's private_metadata limit
_ZIPPED = "z"


@dataclass(frozen=True)
class ModalState:
    """The draft token, and the raw answers when they travel with the modal."""

    token: str
    raw: dict[str, str] | None = None
    topic: str = ""
    seen: str = ""  # fingerprint of the previewed scrubbed fields

    @property
    def in_modal(self) -> bool:
        return self.raw is not None


def fingerprint(fields: Mapping[str, str]) -> str:
    text = "\x1f".join(fields.get(k, "") for k in FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def pack(state: ModalState) -> str:
    """The metadata string: with the raw answers if they fit, else the token alone."""
    data: dict[str, object] = {"t": state.token}
    if state.seen:
        data["s"] = state.seen
    if state.raw is not None:
        full = {**data, "r": [state.raw.get(k, "") for k in FIELDS], "p": state.topic}
        text = json.dumps(full, separators=(",", ":"), ensure_ascii=False)
        if len(text) <= LIMIT:
            return text
        zipped = _ZIPPED + base64.b64encode(zlib.compress(text.encode(), 9)).decode()
        if len(zipped) <= LIMIT:
            return zipped
    return json.dumps(data, separators=(",", ":"))


def unpack(metadata: str) -> ModalState | None:
    """The state a modal carries, or None when it is not one of ours (or damaged)."""
    try:
        if metadata.startswith(_ZIPPED):
            metadata = zlib.decompress(base64.b64decode(metadata[1:], validate=True)).decode()
        data = json.loads(metadata)
    except (ValueError, zlib.error, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        return None
    answers = data.get("r")
    raw = None
    if isinstance(answers, list) and len(answers) == len(FIELDS):
        raw = {k: str(v) for k, v in zip(FIELDS, answers, strict=True)}
    return ModalState(data["t"], raw, str(data.get("p") or ""), str(data.get("s") or ""))
