"""Core `Action`s (buttons as data) drawn as Discord buttons.

The buttons are plain `discord.ui.Button`s carrying the action's id; a click is answered by the
DynamicItem class registered for that id's pattern (see coachbot.actions), so a view of them
needs no memory in the bot and works after a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord

from coachbot.actions import Action, Style, is_known
from cogs._render import button_label
from cogs._views import DynamicView

STYLES = {
    Style.PRIMARY: discord.ButtonStyle.primary,
    Style.SECONDARY: discord.ButtonStyle.secondary,
    Style.SUCCESS: discord.ButtonStyle.success,
    Style.DANGER: discord.ButtonStyle.danger,
}


def button(action: Action) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=button_label(action.label),
        style=STYLES[action.style],
        custom_id=action.id,
        row=action.row,
        emoji=action.emoji,
        disabled=action.disabled,
    )


class ActionView(DynamicView):
    """A DynamicView that also takes buttons drawn from actions whose ids the codec knows."""

    def __init__(self, actions: Iterable[Action] = ()) -> None:
        super().__init__()
        for action in actions:
            self.add_item(button(action))

    def add_item(self, item: discord.ui.Item[Any]) -> ActionView:
        custom_id = getattr(item, "custom_id", None)
        if isinstance(item, discord.ui.Button) and custom_id and is_known(custom_id):
            discord.ui.View.add_item(self, item)
            return self
        super().add_item(item)
        return self
