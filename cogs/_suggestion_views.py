"""Accept / Reject buttons under `/kb suggestions`, persistent across restarts.

The ids come from the core codec (coachbot.actions.SUGGESTION: the suggestion's number, the
decision, and the topic the list was for). Every click is checked again: trainers only, the
number looked up in the store. The message is then redrawn with what is still open.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ui import Button, DynamicItem

from coachbot import actions
from coachbot.errors import CoachError
from coachbot.suggestions import Suggestion, decision_actions
from cogs._actions import ActionView
from cogs._checks import is_trainer
from cogs._errors import NO_PERMISSION, guarded
from cogs._kb_render import KB

if TYPE_CHECKING:
    from cogs._bot import CoachBot


class DecideButton(DynamicItem[Button], template=actions.SUGGESTION):
    def __init__(self, suggestion_id: int, accept: bool, topic: str = "") -> None:
        super().__init__(
            Button(
                label="Accept" if accept else "Reject",
                custom_id=actions.suggestion(suggestion_id, accept, topic),
            )
        )
        self.suggestion_id = suggestion_id
        self.accept = accept
        self.topic = topic

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> DecideButton:
        return cls(int(match["id"]), match["act"] == "a", match["topic"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._decide)

    async def _decide(self, interaction: discord.Interaction) -> None:
        if not is_trainer(interaction):
            raise CoachError(NO_PERMISSION)
        bot: CoachBot = interaction.client  # type: ignore[assignment]
        service = bot.app.suggestions
        await interaction.response.defer()  # accepting writes a file and reloads
        try:
            decide = service.accept if self.accept else service.reject
            head = KB.decision_text(await decide(self.suggestion_id))
        except CoachError as exc:  # already decided, gone, or would fail the lint: say so
            head = KB.refusal_text(exc, bot.app.settings.knowledge_dir)
        found = await service.open(self.topic or None)
        await interaction.edit_original_response(
            content=KB.suggestions_text(found, head=head), view=suggestions_view(found, self.topic)
        )


def suggestions_view(suggestions: list[Suggestion], topic: str | None) -> discord.ui.View:
    return ActionView(decision_actions(suggestions, topic))


SUGGESTION_ITEMS: tuple[type[DynamicItem[Any]], ...] = (DecideButton,)
