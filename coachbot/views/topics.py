"""Browsing the cards as every adapter shows it: the page turns, a tip's opener, a label.

Topic pages and tips come from coachbot.browse; these are their buttons (`Action`s), with ids
from the core codec, so both adapters offer the same turns with the same words.
"""

from __future__ import annotations

import re

from coachbot import actions, limits
from coachbot.actions import Action
from coachbot.browse import Tip, TopicPage

BROWSE_ALL = "Browse all topics"
PREVIOUS, NEXT = "◀ Previous", "Next ▶"


def label(text: str) -> str:
    """A button's text within the one content-limits rule."""
    return limits.clip(text, limits.BUTTON_LABEL) or "…"


def browse_action(row: int = 1) -> Action:
    """The first page of every card."""
    return Action(actions.topics(0, ""), BROWSE_ALL, row=row)


def page_actions(page: TopicPage) -> tuple[Action, ...]:
    """Previous and Next when there is more than one page (disabled at either end: an adapter
    without disabled buttons leaves those out)."""
    tag = page.tag or ""
    if page.pages <= 1 or not re.fullmatch(actions.TAG, tag):  # no id could carry that tag
        return ()
    before, after = max(page.page - 1, 0), min(page.page + 1, page.pages - 1)
    return (
        Action(actions.topics(before, tag), PREVIOUS, row=1, disabled=page.page == 0),
        Action(actions.topics(after, tag), NEXT, row=1, disabled=page.page + 1 >= page.pages),
    )


def tip_action(tip: Tip) -> Action:
    """Opens the card a tip comes from."""
    return Action(actions.open_topic(tip.topic.id), label(f"Open: {tip.topic.title}"))
