"""Chat platforms' markup inside a message: mentions, channel links, custom emoji, shortcodes.

Why in the core: a question typed in Discord or Slack carries markup that is not words about
the customer (`@everyone`, `<@123>`, `<#C1|general>`, `:smile:`). Left in, it is matched as
words ("everyone" is a word some topics use) and can turn a right answer into a decline; a
user id would also reach the ask log, which keeps no identity. Every adapter gets the same
answer for the same words because the ask service strips it once, before anything else.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(
    r"""
      <@[!&]?\d+>                      # Discord user and role mentions: <@1>, <@!1>, <@&1>
    | <\#\d+>                          # Discord channel links
    | <a?:\w+:\d+>                     # Discord custom emoji, still or animated
    | </[\w -]+:\d+>                   # Discord slash-command mentions: </ask:123>
    | <[@\#][A-Z0-9]+(?:\|[^>]*)?>     # Slack user and channel mentions: <@U1|ann>, <#C1|general>
    | <!(?:here|channel|everyone)(?:\|[^>]*)?>   # Slack broadcasts: <!here>, <!channel>
    | <!subteam\^[A-Z0-9]+(?:\|[^>]*)?>          # Slack user-group mentions
    | (?<![\w@])@(?:everyone|here|channel)\b     # broadcasts typed as text
    | (?<![\w:]):(?:[a-z0-9_+-]*[a-z][a-z0-9_+-]*|[+-]1):(?![\w:])  # shortcodes: :smile:, :+1:
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A Slack link with a label (<https://example.com|the order page>) reads as its label.
_LABELLED_LINK = re.compile(r"<(?:https?|mailto):[^|>\s]+\|([^>]*)>")


def strip_markup(text: str) -> str:
    """`text` without mention, channel and emoji markup (a labelled link keeps its label)."""
    if "<" not in text and "@" not in text and ":" not in text:
        return text  # the common case: plain words
    return _MARKUP.sub(" ", _LABELLED_LINK.sub(r"\1", text))
