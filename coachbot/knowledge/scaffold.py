"""`coachbot kb new <id>`: a new topic file from a template that explains every field.

The file starts as a draft (`draft: true`): the loader lints it on every load and lists what
it still needs, but never serves it, and its problems never stop a start or a reload. Why an
explicit line rather than "a file with TODOs left is a draft": a TODO typed into a live card
must fail loudly (the old version stays live), not quietly take the card away from agents;
and a card whose words are all written may still wait for a review. With automatic reload
a card goes live the moment its `draft: true` line is deleted and it has no problem.

Where the trainer must write, the template says "TODO: ...", and the validator refuses any
text that starts with TODO, so even with the draft line deleted too early, a half-finished
card never goes live: the reload is refused and the version that is live stays.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coachbot.errors import InvalidInput
from coachbot.knowledge.fields import TOPIC_FIELDS, TOPIC_ID
from coachbot.knowledge.yamlsource import display_path

MAX_ID = next(rule.max_length for rule in TOPIC_FIELDS if rule.name == "id") or 60
MAX_TITLE = next(rule.max_length for rule in TOPIC_FIELDS if rule.name == "title") or 100
BAD_ID = (
    "A topic id is lowercase letters (a-z) and digits, in words joined by single hyphens, "
    f"at most {MAX_ID} characters, for example angry-about-delivery. Got {{shown}}."
)

TEMPLATE = """\
# yaml-language-server: $schema=../schema/topic.schema.json
# A new coaching card. Replace every TODO with your own words, and check the file with
# `coachbot kb lint {path}`. The guide is docs/trainers.md. Lines starting with # are
# notes for you: the bot ignores them, and you may delete them.

# While this line is here the card is a draft: lint checks it, but the bot never shows it to
# agents, and it never stops the bot from starting. Delete the line when the card is done.
draft: true

# The card's id: lowercase words joined by '-'. It must stay the same as the file name.
id: {id}

# The situation, as an agent would name it (at most 100 characters).
title: {title}

# 1 to 10 words to browse by in /topics (lowercase, e.g. anger, refunds, phone).
tags:
  - "TODO: a tag"

# How agents really ask for this card, in their own words: at least 8, and 20 or more is
# better. Write them the way people type mid-shift: short, with typos and slang, a bit of
# story, non-native English. For example, for a card about a shouting caller:
#   - customer keeps screaming at me
#   - cusotmer yelling wat do i do
#   - guy was going off about his bill and i froze
#   - how I make client stop to shout
questions:
  - "TODO: how an agent would ask for this card"
  - "TODO: another way, the way they would type it in a hurry"
  - "TODO: a short story: what happened on the call, then the question"

# The short answer in 2 to 4 sentences: what to do, and why it works.
summary: "TODO: the short answer"

# What to do, in order: 3 to 6 steps, each one sentence an agent can act on.
steps:
  - "TODO: the first thing to do"
  - "TODO: then"
  - "TODO: then"

# Phrasings an agent can say word for word (at least 2).
say:
  - "TODO: a sentence the agent can say as it is"
  - "TODO: another one"

# Phrasings to avoid (1 to 5), each with why it goes wrong.
avoid:
  - phrase: "TODO: what not to say"
    why: "TODO: why it makes the call worse"

# Optional: one memorable sentence for the tip of the day. Delete the line if there is none.
tip: "TODO: one sentence worth remembering"

# Ids of other topics worth opening next (up to 8), e.g. [stay-calm, offer-options]. May stay empty.
related: []

# Where the advice comes from (an article, a course, the team's experience): at least 1.
sources:
  - "TODO: where this advice comes from"

# Freshness (optional: delete these three keys if you want no review reminders). Once
# reviewed + review_every has passed, `kb lint` warns and /kb stale lists the card.
# Who keeps this card true: a name or a team. /kb stale shows it.
owner: "TODO: your name or your team"
# The day the card was last checked, YYYY-MM-DD.
reviewed: {today}
# How often it must be checked: a number and d, w, m or y (90d, 12w, 6m, 1y).
review_every: 6m
"""


@dataclass(frozen=True)
class NewTopic:
    path: Path
    topic_id: str


def new_topic(knowledge_dir: Path, topic_id: str, title: str | None, today: date) -> NewTopic:
    """Write `topics/<topic_id>.yaml` from the template; refuse a bad or existing id."""
    topic_id = topic_id.strip()
    if not topic_id or len(topic_id) > MAX_ID or not TOPIC_ID.match(topic_id):
        shown = f"'{topic_id[:80]}'" if topic_id else "nothing"
        raise InvalidInput(BAD_ID.format(shown=shown))
    title_text = _title(title)
    topics = Path(knowledge_dir) / "topics"
    if not topics.is_dir():
        raise InvalidInput(f"There is no topics folder at {display_path(topics)}.")
    for suffix in (".yaml", ".yml"):
        existing = topics / f"{topic_id}{suffix}"
        if existing.exists():
            raise InvalidInput(
                f"A topic with the id '{topic_id}' already exists: {display_path(existing)}. "
                "Edit that file, or choose another id."
            )
    path = topics / f"{topic_id}.yaml"
    text = TEMPLATE.format(
        id=topic_id, title=title_text, today=today.isoformat(), path=f"topics/{topic_id}.yaml"
    )
    try:
        with path.open("x", encoding="utf-8") as out:  # never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        raise InvalidInput(f"{display_path(path)} already exists.") from None
    except OSError as exc:
        raise InvalidInput(f"Could not write {display_path(path)}: {exc.strerror}.") from None
    return NewTopic(path, topic_id)


def _title(title: str | None) -> str:
    """The title as a YAML scalar: given and quoted, or the TODO placeholder."""
    if title is None:
        return '"TODO: the situation, as an agent would name it"'
    text = " ".join(title.split())
    if not text:
        raise InvalidInput("The title is empty. Leave out --title to fill it in later.")
    if not text.isprintable():
        raise InvalidInput("The title has control characters; type it as plain text.")
    if len(text) > MAX_TITLE:
        raise InvalidInput(f"The title has {len(text)} characters; the limit is {MAX_TITLE}.")
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def next_steps(created: NewTopic) -> str:
    shown = display_path(created.path)
    return (
        f"Created {shown}, a draft: the bot does not serve it, and keeps the knowledge it has.\n"
        f"Replace every TODO in it (`coachbot kb lint {shown}` lists those left), then delete "
        "its `draft: true` line to publish it, and run `coachbot kb check`. "
        "The guide is docs/trainers.md."
    )


def add_parser(kb_commands: argparse._SubParsersAction) -> None:
    """`coachbot kb new <id> [--title TITLE] [--path FOLDER]`."""
    new = kb_commands.add_parser("new", help="start a new topic file from the template")
    new.add_argument("id", help="the topic id: lowercase words joined by '-', e.g. late-refund")
    new.add_argument("--title", help="the card's title (else a TODO to fill in)")
    new.add_argument("--path", type=Path, help="knowledge folder (default: configured)")


def run(args: argparse.Namespace, knowledge_dir: Path, today: date) -> int:
    created = new_topic(args.path or knowledge_dir, args.id, args.title, today)
    print(next_steps(created))
    return 0
