"""Debriefs as data: one debrief's sections, and a digest cut into pages for posting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coachbot import actions
from coachbot.actions import Action, Style
from coachbot.debrief.service import FIELDS, LABELS, MIN_BATCH, Digest
from coachbot.store.debriefs import StoredDebrief

DIGEST_HEADING = "Team debriefs"
DISCARDED = "Discarded. Nothing was stored."
NOTHING_TO_REVIEW = "Nothing waiting for review."


@dataclass(frozen=True)
class DebriefView:
    """A scrubbed debrief under a title: its answered questions as (label, text), in order."""

    title: str
    sections: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DigestEntry:
    debrief: DebriefView
    helped: Action  # "This helped me (#n)"


@dataclass(frozen=True)
class DigestPage:
    """One message of a digest. Only the first page has a heading (`heading`: `text`)."""

    guild_id: str
    channel_id: str
    heading: str | None
    text: str | None
    entries: tuple[DigestEntry, ...]


def debrief_view(fields: Mapping[str, str], title: str) -> DebriefView:
    return DebriefView(title, tuple((LABELS[k], fields[k]) for k in FIELDS if fields.get(k)))


def review_actions(debrief_id: str) -> tuple[Action, Action]:
    """A trainer's Approve and Reject of a debrief waiting for review."""
    return (
        Action(actions.review(debrief_id, True), "Approve", Style.SUCCESS),
        Action(actions.review(debrief_id, False), "Reject", Style.DANGER),
    )


def helped_action(debrief_id: str, number: int = 0) -> Action:
    label = f"This helped me (#{number})" if number else "This helped me"
    return Action(actions.helped(debrief_id), label)


def digest_pages(digest: Digest, size: int) -> list[tuple[DigestPage, tuple[StoredDebrief, ...]]]:
    """The digest in pages of at most `size` debriefs (a platform's limit per message), each
    with the debriefs it shares, numbered on from page to page."""
    if size < 1:
        raise ValueError("a digest page holds at least one debrief")
    debriefs = digest.debriefs
    pages = []
    for start in range(0, len(debriefs), size):
        batch = debriefs[start : start + size]
        entries = tuple(
            DigestEntry(
                debrief_view({k: getattr(d, k) for k in FIELDS}, f"Tough call #{n}"),
                helped_action(d.id, n),
            )
            for n, d in enumerate(batch, start + 1)
        )
        first = start == 0
        page = DigestPage(
            digest.channel.guild_id,
            digest.channel.channel_id,
            DIGEST_HEADING if first else None,
            f"{len(debriefs)} tough calls, shared anonymously." if first else None,
            entries,
        )
        pages.append((page, batch))
    return pages


# ---- the replies every platform gives (each writes its own command and bold) ---------------


def thanks_text(code: str, *, delete_hint: str) -> str:
    """After Submit: no name stored, when the team reads it, and the code shown only now.
    `code` arrives in the platform's bold; `delete_hint` says how the code deletes it."""
    return (
        "Thank you. Your debrief is stored with no name on it and will reach the team in the "
        f"next digest of {MIN_BATCH} or more.\nDeletion code: {code}. Keep it: it is shown "
        f"only now, and {delete_hint} removes the debrief."
    )


def deleted_text(deleted: bool) -> str:
    return "Deleted. It is gone for good." if deleted else "No debrief has that code."


def channel_text(local_time: str, timezone: str, review: bool) -> str:
    """Where and when the digest goes (`timezone` as the platform shows a user's text)."""
    return (
        f"Debriefs will be shared here daily at {local_time} {timezone}, in shuffled batches "
        f"of {MIN_BATCH} or more" + (", after a trainer approves each." if review else ".")
    )


def helped_text(first: bool | None) -> str:
    """A "This helped me" click: None when the author deleted the debrief."""
    if first is None:
        return "That debrief has been deleted by its author."
    return "Noted, thank you." if first else "You already said so; it counts once."


def reviewed_text(approve: bool, done: bool) -> str:
    if not done:
        return "Already reviewed."
    return "Approved for the next digest." if approve else "Rejected and deleted."
