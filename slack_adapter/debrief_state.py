"""What a debrief modal carries in its own `private_metadata`, so any process can take the
next step (Slack may send each click to a different connection).

The raw answers travel with the modal while they fit in Slack's 3,000 characters (compact
JSON, or zlib-compressed when that is what fits). Only when they do not is the raw text kept in
this process's draft store (memory, coachbot.debrief.drafts) and the modal carries the token
alone; with several processes the form refuses such text instead (`shorten_by` says how much to
cut). Nothing here writes to disk or logs; the metadata lives in Slack's copy of the modal.

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
_FINGERPRINT = 20  # characters of `fingerprint`
# What the form accepts leaves this much of LIMIT free, so the preview's metadata fits whatever
# its fingerprint (compressed, one hex string differs from another by a few bytes).
HEADROOM = 40
_SOME_FINGERPRINT = hashlib.sha256(b"a preview").hexdigest()[:_FINGERPRINT]


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

    @property
    def fits(self) -> bool:
        """Whether `pack` carries the raw answers (True when there are none to carry)."""
        return self.raw is None or _with_raw(self) is not None


def fingerprint(fields: Mapping[str, str]) -> str:
    text = "\x1f".join(fields.get(k, "") for k in FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:_FINGERPRINT]


def shorten_by(token: str, raw: Mapping[str, str], topic: str) -> int:
    """0 when the answers will travel with the preview modal (its fingerprint included, within
    LIMIT - HEADROOM), else about how many characters to cut: the fewest that fit when every
    answer is shortened in proportion (compression makes any figure an estimate)."""
    answers = {k: raw.get(k, "") for k in FIELDS}
    total = sum(len(text) for text in answers.values())

    def fits(cut: int) -> bool:
        kept = {k: text[: len(text) * (total - cut) // total] for k, text in answers.items()}
        state = ModalState(token, kept, topic, _SOME_FINGERPRINT)
        return _with_raw(state, LIMIT - HEADROOM) is not None

    if total == 0 or fits(0):
        return 0
    low, high = 0, total  # fits(high): nothing left; not fits(low)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle, high)
    return high


def pack(state: ModalState) -> str:
    """The metadata string: with the raw answers if they fit, else the token alone."""
    return _with_raw(state) or json.dumps(_head(state), separators=(",", ":"))


def _head(state: ModalState) -> dict[str, object]:
    data: dict[str, object] = {"t": state.token}
    if state.seen:
        data["s"] = state.seen
    return data


def _with_raw(state: ModalState, limit: int = LIMIT) -> str | None:
    """The metadata with the raw answers (JSON, or compressed), or None when over `limit`."""
    if state.raw is None:
        return None
    full = {**_head(state), "r": [state.raw.get(k, "") for k in FIELDS], "p": state.topic}
    text = json.dumps(full, separators=(",", ":"), ensure_ascii=False)
    if len(text) <= limit:
        return text
    zipped = _ZIPPED + base64.b64encode(zlib.compress(text.encode(), 9)).decode()
    return zipped if len(zipped) <= limit else None


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
