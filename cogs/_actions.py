"""Core `Action`s (buttons as data) drawn as Discord buttons.

The buttons are plain `discord.ui.Button`s carrying the action's id; a click is answered by the
DynamicItem class registered for that id's pattern (see coachbot.actions), so a view of them
needs no memory in the bot and works after a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord
from discord.ui import DynamicItem

from coachbot.actions import Action, Style, is_known
from cogs._render import button_label

STYLES = {
    Style.PRIMARY: discord.ButtonStyle.primary,
    Style.SECONDARY: discord.ButtonStyle.secondary,
    Style.SUCCESS: discord.ButtonStyle.success,
    Style.DANGER: discord.ButtonStyle.danger,
}


class DynamicView(discord.ui.View):
    """A view made only of DynamicItems, which discord.py dispatches by their registered class
    (bot.add_dynamic_items), not through the view. It reports itself finished, so discord.py
    does not keep it in its view store: otherwise every ephemeral reply would keep its view
    and a 15-minute timeout task alive (hundreds of MB and a busy timer heap under load)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def add_item(self, item: discord.ui.Item[Any]) -> DynamicView:
        if not isinstance(item, DynamicItem):
            raise TypeError(f"{type(item).__name__} is not a DynamicItem: its clicks would be lost")
        super().add_item(item)
        return self

    def is_finished(self) -> bool:
        return True  # nothing listens through this view: its items are dispatched by class


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
