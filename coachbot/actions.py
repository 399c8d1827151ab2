"""Button ids: the one `cb:` format every adapter puts on its buttons and reads back.

An id carries all the state a click needs, so a button from before a restart still works.
Ids coming back from a client are matched against these strict patterns (`re.fullmatch`) and
what they name is looked up again in the live knowledge base or the store: never trusted.
Discord puts them in a component's custom_id (at most 100 characters), Slack in a button's
action_id (255): every id built here stays under 100.

An `Action` is a button as data: its id, label and style. Core view models carry them;
each adapter draws them in its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from coachbot.knowledge.fields import TOPIC_ID_IN_TEXT

TOPIC_ID = TOPIC_ID_IN_TEXT  # topic and quiz item ids (the validator's rule, bounded)
TAG = r"[a-z0-9-]{0,40}"
PICK_TOKEN = r"[A-Za-z0-9_-]{0,16}"  # suggestions.remember's token, or empty: record nothing
DRAFT_TOKEN = r"[A-Za-z0-9_-]{8,16}"
DEBRIEF_ID = r"[0-9a-f]{24}"
USER_ID = r"[A-Za-z0-9]{1,24}"  # a platform's own user id: digits on Discord, U… on Slack

# One regular expression per kind of button, with named groups for its state.
SHARE = rf"cb:share:(?P<topic>{TOPIC_ID})"
# Not helpful and a card's related topics may carry the suggestions' token of the ask (older
# buttons have none): a related card opened after "Not helpful" is what the agent looked for.
VOTE = rf"cb:vote:(?P<topic>{TOPIC_ID}):(?P<helpful>[01])(?::(?P<token>{PICK_TOKEN}))?"
OPEN = rf"cb:open:(?P<topic>{TOPIC_ID})(?::(?P<token>{PICK_TOKEN}))?"
CHOOSE = rf"cb:choose:(?P<via>[cd]):(?P<topic>{TOPIC_ID}|-):(?P<token>{PICK_TOKEN})"
TOPICS = rf"cb:topics:(?P<page>\d{{1,4}}):(?P<tag>{TAG})"
PICK = r"cb:pick"
QUIZ_ANSWER = r"cb:quiz:(?P<post>\d{1,12}):(?P<pos>[0-2]):(?P<choice>[0-3])"
PRACTICE_ANSWER = rf"cb:practice:(?P<item>{TOPIC_ID}):(?P<choice>[0-3])"
DRAFT = rf"cb:debrief:(?P<action>submit|edit|discard):(?P<token>{DRAFT_TOKEN})"
HELPED = rf"cb:debrief-helped:(?P<id>{DEBRIEF_ID})"
REVIEW = rf"cb:debrief-review:(?P<id>{DEBRIEF_ID}):(?P<ok>[01])"
FORGET = rf"cb:me-forget:(?P<action>yes|no):(?P<user>{USER_ID})"
# a trainer's Accept (a) or Reject (r) of suggestion n, on a list for one topic or all (empty)
SUGGESTION = rf"cb:sug:(?P<id>[1-9][0-9]{{0,8}}):(?P<act>[ar]):(?P<topic>(?:{TOPIC_ID})?)"

PATTERNS: tuple[str, ...] = (
    SHARE,
    VOTE,
    OPEN,
    CHOOSE,
    TOPICS,
    PICK,
    QUIZ_ANSWER,
    PRACTICE_ANSWER,
    DRAFT,
    HELPED,
    REVIEW,
    FORGET,
    SUGGESTION,
)


class Style(StrEnum):
    """How strongly a button asks to be pressed; adapters map it to their own styles."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True)
class Action:
    """A button as data. `row` groups buttons into lines (0 first); `emoji` is optional."""

    id: str
    label: str
    style: Style = Style.SECONDARY
    row: int = 0
    emoji: str | None = None
    disabled: bool = False


def is_known(action_id: str) -> bool:
    """True if `action_id` is one of the formats above (a button nothing would answer is not)."""
    return any(re.fullmatch(pattern, action_id) for pattern in PATTERNS)


# ---- building ids ---------------------------------------------------------------------------


def share(topic_id: str) -> str:
    return f"cb:share:{topic_id}"


def _with(token: str) -> str:
    return f":{token}" if token else ""


def vote(topic_id: str, helpful: bool, token: str = "") -> str:
    return f"cb:vote:{topic_id}:{int(helpful)}{_with(token)}"


def open_topic(topic_id: str, token: str = "") -> str:
    return f"cb:open:{topic_id}{_with(token)}"


def choose(via: str, topic_id: str | None, token: str) -> str:
    """A topic offered after a clarify (`c`) or a decline (`d`); None is "None of these"."""
    return f"cb:choose:{via}:{topic_id or '-'}:{token}"


def topics(page: int, tag: str) -> str:
    return f"cb:topics:{page}:{tag}"


def quiz_answer(post_id: int, position: int, choice: int) -> str:
    return f"cb:quiz:{post_id}:{position}:{choice}"


def practice_answer(item_id: str, choice: int) -> str:
    return f"cb:practice:{item_id}:{choice}"


def draft(action: str, token: str) -> str:
    return f"cb:debrief:{action}:{token}"


def helped(debrief_id: str) -> str:
    return f"cb:debrief-helped:{debrief_id}"


def review(debrief_id: str, approve: bool) -> str:
    return f"cb:debrief-review:{debrief_id}:{int(approve)}"


def forget(action: str, user_id: str) -> str:
    return f"cb:me-forget:{action}:{user_id}"


def suggestion(suggestion_id: int, accept: bool, topic_id: str | None) -> str:
    return f"cb:sug:{suggestion_id}:{'a' if accept else 'r'}:{topic_id or ''}"
