"""The preview an author sees after the debrief form, the same on every platform.

The raw text is kept as a draft (memory only, coachbot.debrief.drafts) whatever happens, so a
refused or rate-limited preview loses nothing: Edit brings the text back. Scrubbing is CPU
work, so it runs off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from coachbot import actions
from coachbot.actions import Action, Style
from coachbot.debrief.drafts import DraftStore
from coachbot.debrief.service import DebriefService
from coachbot.errors import CoachError
from coachbot.replies import slow_down
from coachbot.views.debrief import DebriefView, debrief_view

KEPT = "Your text is kept for 30 minutes: press Edit."
TITLE = "Preview: this is what the team will see"
PROMISE = "No name, no time of day. Nothing is stored until you submit."
DRAFT_BUTTONS = {
    "submit": ("Submit anonymously", Style.SUCCESS),
    "edit": ("Edit", Style.SECONDARY),
    "discard": ("Discard", Style.DANGER),
}


@dataclass(frozen=True)
class Preview:
    """The scrubbed debrief with Submit, Edit and Discard; or, when it cannot be submitted
    yet, `text` saying why, with Edit and Discard only."""

    text: str | None
    debrief: DebriefView | None
    footer: str | None
    actions: tuple[Action, ...]


def draft_action(action: str, token: str) -> Action:
    label, style = DRAFT_BUTTONS[action]
    return Action(actions.draft(action, token), label, style)


async def preview(
    service: DebriefService,
    drafts: DraftStore,
    *,
    token: str,
    author: str,
    guild_id: str,
    raw: dict[str, str],
    topic: str,
    known_names: Iterable[str] = (),
) -> Preview:
    pending = drafts.put(token, author, raw, topic)  # kept whatever happens next
    fix = tuple(draft_action(a, token) for a in ("edit", "discard"))
    wait = await drafts.slow_down(author)
    if wait:
        return Preview(f"{slow_down(wait)} {KEPT}", None, None, fix)
    names = tuple(known_names)
    try:  # scrubbing a long debrief takes tens of milliseconds: off the event loop
        pending.draft = await asyncio.to_thread(
            service.prepare, guild_id, raw, topic_hint=topic, known_names=names
        )
    except CoachError as problem:  # bad input, or the scrubber failed (closed)
        return Preview(f"{problem.user_message}\n{KEPT}", None, None, fix)
    draft = pending.draft
    removed = ", ".join(f"{n} {kind}" for kind, n in sorted(draft.redactions.items()))
    footer = (f"Removed: {removed}. " if removed else "") + PROMISE
    every = tuple(draft_action(a, token) for a in ("submit", "edit", "discard"))
    return Preview(None, debrief_view(draft.fields, TITLE), footer, every)
