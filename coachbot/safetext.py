"""Text that can always be written: to SQLite, to a log line, to stdout.

Why: Python keeps bytes that are not UTF-8 (from stdin, argv, the environment) as lone
surrogates (`\\udcff`), and so does a decoded `\\xed\\xa0\\x80`. Such a str is valid in memory
but raises `UnicodeEncodeError` the moment anything encodes it, which lost every later line
of `ask --json` and ended the chat. Input is decoded with `errors="replace"` at the boundary
(`decode_line`); `well_formed` is the same promise for text that arrives as str.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD, so it encodes as UTF-8."""
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def decode_line(raw: bytes) -> str:
    """One input line as text: bad UTF-8 becomes U+FFFD; the `\\n` or `\\r\\n` ending goes."""
    return raw.removesuffix(b"\n").removesuffix(b"\r").decode("utf-8", errors="replace")
