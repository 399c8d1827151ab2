"""The rules for a topic file, in one table that the validator and the schema test share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coachbot import limits

TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_ID_MAX = 60
# A topic or quiz item id inside a button id (coachbot.actions): bounded, so a forged id cannot
# be long, and a superset of TOPIC_ID (what it names is looked up again, never trusted).
TOPIC_ID_IN_TEXT = rf"[a-z0-9][a-z0-9-]{{0,{TOPIC_ID_MAX - 1}}}"

# Freshness: `reviewed` is a date written YYYY-MM-DD, `review_every` a count and a unit.
REVIEWED = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
REVIEW_EVERY = re.compile(r"^[1-9][0-9]{0,2}[dwmy]$")

Kind = Literal["text", "text_list", "avoid_list", "date", "interval"]


@dataclass(frozen=True)
class FieldRule:
    name: str
    kind: Kind
    required: bool = True
    min_items: int = 0
    max_items: int | None = None
    max_length: int | None = None  # of the text, or of each item of a list
    help: str = ""


TOPIC_FIELDS: tuple[FieldRule, ...] = (
    FieldRule(
        "id", "text", max_length=TOPIC_ID_MAX, help="lowercase words joined by '-', the file's name"
    ),
    # a title is also a button's text (related topics, "Which is closest?"): whole on both
    FieldRule(
        "title",
        "text",
        max_length=limits.BUTTON_LABEL,
        help="the situation, as an agent would name it",
    ),
    FieldRule("tags", "text_list", min_items=1, max_items=10, max_length=40),
    FieldRule("questions", "text_list", min_items=8, max_items=200, max_length=300),
    FieldRule("summary", "text", max_length=1000, help="the short answer, 2-4 sentences"),
    FieldRule("steps", "text_list", min_items=3, max_items=6, max_length=300),
    FieldRule("say", "text_list", min_items=2, max_items=8, max_length=300),
    FieldRule("avoid", "avoid_list", min_items=1, max_items=5, max_length=300),
    FieldRule("tip", "text", required=False, max_length=300),
    FieldRule("related", "text_list", max_items=8, max_length=60),
    FieldRule("sources", "text_list", min_items=1, max_items=20, max_length=200),
    FieldRule("owner", "text", required=False, max_length=100, help="who keeps this card true"),
    FieldRule("reviewed", "date", required=False, help="when it was last checked, YYYY-MM-DD"),
    FieldRule("review_every", "interval", required=False, help="how often: 90d, 12w, 6m, 1y"),
)

AVOID_KEYS = ("phrase", "why")
# not a Topic field: `draft: true` keeps a topic file from agents (see validator.py)
DRAFT_KEY = "draft"

FIELD_NAMES = tuple(rule.name for rule in TOPIC_FIELDS)
