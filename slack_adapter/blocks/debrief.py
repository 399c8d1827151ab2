"""Debriefs in Block Kit: the form and preview modals, a debrief's sections, digest pages and
the review card. Every text an agent typed is escaped (slack_adapter.text.escape) and clipped
to Slack's limits; button ids are the core codec's (coachbot.actions)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from coachbot import actions, limits
from coachbot.actions import Action
from coachbot.debrief.preview import Preview
from coachbot.debrief.service import FIELDS, LABELS
from coachbot.views.debrief import DebriefView, DigestPage, review_actions
from coachbot.views.debrief_report import SECTION_CHARS, ReportLine, ReportView
from slack_adapter.blocks.actions import Block, actions_blocks, context, plain, section
from slack_adapter.text import escape

FORM_CALLBACK = "cb:debrief-form"
PREVIEW_CALLBACK = "cb:debrief-preview"
MAX_INPUT = 3000  # Slack's own limit for a text input; the service asks for less, in words
TOPIC_INPUT = "topic"
BLOCKS_PER_DEBRIEF = 1 + len(FIELDS) + 1  # header, its answers, the "This helped me" button
DIGEST_PAGE_SIZE = (limits.SLACK.blocks - 1) // BLOCKS_PER_DEBRIEF  # debriefs in one message
PLACEHOLDER = "No names or numbers needed: they are removed anyway."
SUBMIT_LABEL = "Submit anonymously"
INPUT_LABEL = 2000  # an input block's label
PLACEHOLDER_LIMIT = 150


def debrief_blocks(shown: DebriefView) -> list[Block]:
    """A debrief's title as a header, then one section per answered question."""
    blocks: list[Block] = [{"type": "header", "text": plain(shown.title, limits.SLACK.title)}]
    for label, text in shown.sections:
        blocks.append(section(f"*{escape(label)}*\n{escape(text)}"))
    return blocks


# ---- modals -----------------------------------------------------------------------------------


def _modal(title: str, blocks: list[Block], *, metadata: str = "", **extra: Any) -> Block:
    view: Block = {
        "type": "modal",
        "title": plain(title, limits.SLACK.modal_title),
        "close": plain(extra.pop("close", "Cancel"), limits.SLACK.modal_title),
        "blocks": blocks,
        "private_metadata": metadata,
    }
    view.update(extra)
    return view


def form_view(metadata: str, raw: Mapping[str, str], topic: str) -> Block:
    """The four questions of Discord's form, and the optional topic, filled with `raw`."""
    blocks = []
    for key in FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": key,
            "multiline": True,
            "max_length": MAX_INPUT,
            "placeholder": plain(PLACEHOLDER, PLACEHOLDER_LIMIT),
        }
        if raw.get(key):
            element["initial_value"] = raw[key][:MAX_INPUT]
        blocks.append(
            {
                "type": "input",
                "block_id": key,
                "label": plain(LABELS[key], INPUT_LABEL),
                "optional": key != "what_happened",
                "element": element,
            }
        )
    topic_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": TOPIC_INPUT,
        "max_length": 100,
        "placeholder": plain("e.g. abusive customer", PLACEHOLDER_LIMIT),
    }
    if topic:
        topic_input["initial_value"] = topic[:100]
    blocks.append(
        {
            "type": "input",
            "block_id": TOPIC_INPUT,
            "label": plain("Topic (optional)", INPUT_LABEL),
            "optional": True,
            "element": topic_input,
        }
    )
    return _modal(
        "Debrief a tough call",
        blocks,
        metadata=metadata,
        callback_id=FORM_CALLBACK,
        submit=plain("Preview", limits.SLACK.modal_title),
    )


def preview_view(shown: Preview, metadata: str) -> Block:
    """The scrubbed debrief with Submit (the modal's own button), Edit and Discard; or why it
    cannot be submitted yet, with Edit and Discard only."""
    if shown.debrief is None:
        blocks = [section(escape(shown.text or ""))]
    else:
        blocks = debrief_blocks(shown.debrief)
        if shown.footer:
            blocks.append(context(escape(shown.footer)))
    can_submit = any(_verb(a) == "submit" for a in shown.actions)
    blocks += actions_blocks(a for a in shown.actions if _verb(a) != "submit")
    extra: dict[str, Any] = {"callback_id": PREVIEW_CALLBACK}
    if can_submit:
        extra["submit"] = plain(SUBMIT_LABEL, limits.SLACK.modal_title)
    return _modal("Debrief preview", blocks, metadata=metadata, **extra)


def _verb(action: Action) -> str:
    """submit, edit or discard: read with the core codec's pattern."""
    found = re.fullmatch(actions.DRAFT, action.id)
    return found["action"] if found else ""


def notice_view(text: str, title: str = "Debrief") -> Block:
    """A last word in the modal (thanks and the code, discarded, expired): Close only."""
    return _modal(title, [section(text)], close="Close")


# ---- digests and review -----------------------------------------------------------------------


def digest_blocks(page: DigestPage) -> list[Block]:
    """One digest page as a message's blocks: the heading, then each debrief with its
    "This helped me" button. A page of DIGEST_PAGE_SIZE debriefs fits in one message with a
    section per answer; a longer page gets one section per debrief, so it still fits."""
    head: list[Block] = []
    if page.heading:
        head.append(section(f"*{escape(page.heading)}*: {escape(page.text or '')}"))
    blocks = head + [b for e in page.entries for b in _entry(e.debrief, e.helped, False)]
    if len(blocks) > limits.SLACK.blocks:
        blocks = head + [b for e in page.entries for b in _entry(e.debrief, e.helped, True)]
    return blocks


def _entry(shown: DebriefView, helped: Action, compact: bool) -> list[Block]:
    if not compact:
        return [*debrief_blocks(shown), *actions_blocks([helped])]
    text = "\n".join(f"*{escape(label)}*\n{escape(body)}" for label, body in shown.sections)
    return [
        {"type": "header", "text": plain(shown.title, limits.SLACK.title)},
        section(text),
        *actions_blocks([helped]),
    ]


def digest_message(page: DigestPage) -> dict[str, Any]:
    """One digest page as the keyword arguments of `chat.postMessage` (no link_names)."""
    text = f"{page.heading}: {page.text}" if page.heading else "Team debriefs, continued"
    return {"text": escape(text), "blocks": digest_blocks(page)}


def review_blocks(shown: DebriefView, debrief_id: str) -> list[Block]:
    """A debrief waiting for review, with the core's Approve and Reject."""
    return [*debrief_blocks(shown), *actions_blocks(review_actions(debrief_id))]


# ---- the team's report ------------------------------------------------------------------------


def _line(line: ReportLine) -> str:
    text = escape(line.text)
    if line.count is not None:
        text = f"*{line.count} ×* {text}"
    return text + (f" _({escape(line.note)})_" if line.note else "")


def report_blocks(shown: ReportView) -> list[Block]:
    """The core's report view (coachbot.views.debrief_report): a header, one section per part
    (its heading in bold, its lines clipped like Discord's), the footer as context."""
    blocks: list[Block] = [{"type": "header", "text": plain(shown.title, limits.SLACK.title)}]
    for part in shown.sections:
        text = "\n".join(_line(line) for line in part.lines) or escape(part.empty)
        blocks.append(section(f"*{escape(part.heading)}*\n{limits.clip(text, SECTION_CHARS)}"))
    blocks.append(context(escape(shown.footer)))
    return blocks
