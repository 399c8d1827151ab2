"""The one content-limits rule: what must fit on both platforms fits the smaller of the two.

Discord and Slack cap the same things at different sizes (a button's text: Discord 80, Slack
75). The knowledge lint (`kb lint`) checks cards and quiz items against the smaller limit, so
content that passes shows whole on both; each adapter still clips defensively at its own
platform's limit (content from a reload that skipped the lint must never break a reply).

Discord: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
Slack: https://api.slack.com/reference/block-kit/blocks (sections, headers, actions) and
https://api.slack.com/reference/block-kit/block-elements#button
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlatformLimits:
    """The sizes an adapter must respect on one platform (characters unless said)."""

    button_label: int  # a button's visible text
    action_id: int  # a button's id (Discord custom_id, Slack action_id)
    section: int  # one block of a card: an embed field value / a section's text
    title: int  # a card's title: an embed title / a header block
    message: int  # a plain message's text
    modal_title: int
    blocks: int  # blocks (Slack) or embeds (Discord) in one message


DISCORD = PlatformLimits(
    button_label=80,
    action_id=100,
    section=1024,
    title=256,
    message=2000,
    modal_title=45,
    blocks=10,
)
SLACK = PlatformLimits(
    button_label=75,
    action_id=255,
    section=3000,
    title=150,
    message=40000,
    modal_title=24,
    blocks=50,
)
SLACK_BUTTON_VALUE = 2000  # only Slack has button values; CoachBot keeps state in the id


def _smaller(field: str) -> int:
    return min(getattr(DISCORD, field), getattr(SLACK, field))


# What content must fit everywhere (the lint's rule).
BOTH = PlatformLimits(**{field: _smaller(field) for field in PlatformLimits.__dataclass_fields__})
BUTTON_LABEL = BOTH.button_label  # quiz choices are buttons: 75
CARD_SECTION = BOTH.section  # a card's Steps / Say / Avoid as shown: 1024
CARD_TITLE = BOTH.title  # 150


def clip(text: str, limit: int) -> str:
    """Trim to `limit` characters at a word boundary, marking the cut (adapters' last resort)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
