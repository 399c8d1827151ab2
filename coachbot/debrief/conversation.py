"""The terminal's debrief: the same four questions as the Discord form, one per line."""

from __future__ import annotations

from coachbot.debrief.service import FIELDS, LABELS, DebriefService, Draft
from coachbot.errors import CoachError

LOCAL_TEAM = "local"
SKIP_WORDS = frozenset({"skip", "-", "none", "n/a"})
PROMPTS = {
    "what_happened": "What happened? (no names or numbers needed: they are removed anyway)",
    "what_tried": "What did you try? ('skip' to leave it out)",
    "what_worked": "What worked, or did not? ('skip' to leave it out)",
    "next_time": "What would you do differently next time? ('skip' to leave it out)",
}


class DebriefConversation:
    """Walks through the questions, shows the scrubbed preview, then asks to confirm."""

    def __init__(self, service: DebriefService) -> None:
        self._service = service
        self._raw: dict[str, str] = {}
        self._draft: Draft | None = None

    def first_prompt(self) -> str:
        return "Debrief a tough call. Type 'cancel' at any time.\n" + PROMPTS[FIELDS[0]]

    async def step(self, line: str) -> tuple[str, bool]:
        """The reply to one line, and whether the conversation is over."""
        text = line.strip()
        if text.lower() in ("cancel", "discard"):
            return "Discarded. Nothing was stored.", True
        if self._draft is not None:
            return await self._confirm(text.lower())
        field = FIELDS[len(self._raw)]
        self._raw[field] = "" if text.lower() in SKIP_WORDS else text
        if len(self._raw) < len(FIELDS):
            return PROMPTS[FIELDS[len(self._raw)]], False
        try:
            self._draft = self._service.prepare(LOCAL_TEAM, self._raw)
        except CoachError as problem:  # bad input, or the scrubber failed (closed)
            self._raw = {}
            return f"{problem.user_message}\nLet's start again.\n{PROMPTS[FIELDS[0]]}", False
        return self._preview(self._draft), False

    def _preview(self, draft: Draft) -> str:
        lines = ["This is what the team will see:"]
        for key in FIELDS:
            if draft.fields[key]:
                lines.append(f"  {LABELS[key]}: {draft.fields[key]}")
        if draft.redactions:
            removed = ", ".join(f"{n} {kind}" for kind, n in sorted(draft.redactions.items()))
            lines.append(f"Removed: {removed}.")
        lines.append("Submit anonymously? (yes / no)")
        return "\n".join(lines)

    async def _confirm(self, answer: str) -> tuple[str, bool]:
        if answer in ("yes", "y", "submit"):
            assert self._draft is not None
            code = await self._service.submit(self._draft)
            return (
                f"Stored with no name on it. Deletion code: {code} (shown only now).",
                True,
            )
        if answer in ("no", "n"):
            return "Discarded. Nothing was stored.", True
        return "Please answer yes or no.", False
