"""Buttons and menus for cards and topic pages, drawn from the core's view models.

Every component's custom_id is the core codec's (coachbot.actions) and carries its state, so a
click on a message sent before a restart still works: discord.py hands it to the DynamicItem
class registered for that id's pattern. Ids from clients are parsed by those strict patterns
and looked up again in the live knowledge base: they are never trusted. What a reply shows,
and which buttons it carries with which labels, is the core's (coachbot.views.card, .topics).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ui import Button, DynamicItem, Select

from coachbot import actions
from coachbot.browse import TopicPage, topic_page
from coachbot.errors import CoachError
from coachbot.feedback import VOTE_REPLIES
from coachbot.knowledge.models import Topic
from coachbot.suggestions import CLARIFY, DECLINE, RELATED
from coachbot.views import card as cards
from coachbot.views.topics import label, page_actions
from cogs._actions import ActionView, DynamicView, button
from cogs._errors import guarded
from cogs._render import card_embed, topics_embed

if TYPE_CHECKING:
    from cogs._bot import CoachBot

__all__ = ["DynamicView"]  # re-exported for the cogs that build their own views

NONE = discord.AllowedMentions.none()

CARD_GONE = cards.card_gone_text()
NOT_SHAREABLE = "I can't post in this channel. Ask me in a server channel to share a card there."
NONE_OF_THESE = cards.none_of_these_text()


def _app(interaction: discord.Interaction) -> Any:
    bot: CoachBot = interaction.client  # type: ignore[assignment]
    return bot.app


def _topic(interaction: discord.Interaction, topic_id: str) -> Topic:
    topic = _app(interaction).knowledge.kb.topic(topic_id)
    if topic is None:
        raise CoachError(CARD_GONE)
    return topic


def in_guild(interaction: discord.Interaction) -> bool:
    return interaction.guild_id is not None


class ShareButton(DynamicItem[Button], template=actions.SHARE):
    def __init__(self, topic_id: str) -> None:
        super().__init__(button(cards.share_action(topic_id)))
        self.topic_id = topic_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ShareButton:
        return cls(match["topic"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._share)

    async def _share(self, interaction: discord.Interaction) -> None:
        kb = _app(interaction).knowledge.kb  # one version for the card and its buttons
        topic = kb.topic(self.topic_id)
        if topic is None:
            raise CoachError(CARD_GONE)
        channel = interaction.channel
        if not in_guild(interaction) or not isinstance(channel, discord.abc.Messageable):
            raise CoachError(NOT_SHAREABLE)
        await interaction.response.defer(ephemeral=True, thinking=True)
        card = cards.card_view(topic, kb.by_id, shareable=False)
        try:
            await channel.send(
                embed=card_embed(card), view=card_buttons(card), allowed_mentions=NONE
            )
        except discord.Forbidden as exc:
            raise CoachError(NOT_SHAREABLE) from exc
        await interaction.followup.send(cards.SHARED, ephemeral=True)


class VoteButton(DynamicItem[Button], template=actions.VOTE):
    """Helpful / Not helpful. A Not helpful carrying the ask's suggestions token tells the
    suggestions that a related card opened next is what the agent was looking for."""

    def __init__(self, topic_id: str, helpful: bool, token: str = "") -> None:
        super().__init__(button(cards.vote_action(topic_id, helpful, token)))
        self.topic_id, self.helpful, self.token = topic_id, helpful, token

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> VoteButton:
        return cls(match["topic"], match["helpful"] == "1", match["token"] or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._vote)

    async def _vote(self, interaction: discord.Interaction) -> None:
        topic = _topic(interaction, self.topic_id)
        app = _app(interaction)
        card = str(interaction.message.id) if interaction.message else str(interaction.id)
        outcome = await app.feedback.vote(
            topic.id,
            self.helpful,
            card=card,
            voter=str(interaction.user.id),
            guild_id=str(interaction.guild_id) if interaction.guild_id else None,
        )
        if self.token and not self.helpful:
            await app.suggestions.not_helpful(self.token)
        await interaction.response.send_message(VOTE_REPLIES[outcome, self.helpful], ephemeral=True)


class OpenTopicButton(DynamicItem[Button], template=actions.OPEN):
    """Opens a card: a related topic under a card (with the ask's token, if any), or a tip's."""

    def __init__(self, topic_id: str, label_text: str = "Open card", token: str = "") -> None:
        opener = actions.Action(actions.open_topic(topic_id, token), label(label_text))
        super().__init__(button(opener))
        self.topic_id, self.token = topic_id, token

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> OpenTopicButton:
        return cls(match["topic"], item.label or "Open card", match["token"] or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._open)

    async def _open(self, interaction: discord.Interaction) -> None:
        topic = _topic(interaction, self.topic_id)
        if self.token:  # counts only after "Not helpful"
            await _app(interaction).suggestions.pick(self.token, topic.id, RELATED)
        await send_card(interaction, topic)


class ChoiceButton(DynamicItem[Button], template=actions.CHOOSE):
    """One of the topics offered after a clarify (`c`) or a decline (`d`), or "None of these"
    (topic `-`): opens the card and tells the suggestions what the agent picked. The question
    itself is not in the id, only the token it was remembered under (no identity)."""

    def __init__(self, via: str, topic_id: str | None, token: str, label_text: str) -> None:
        chosen = actions.Action(actions.choose(via, topic_id, token), label(label_text))
        super().__init__(button(chosen))
        self.via, self.topic_id, self.token = via, topic_id, token

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ChoiceButton:
        topic = None if match["topic"] == "-" else match["topic"]
        return cls(match["via"], topic, match["token"], item.label or "Open card")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._choose)

    async def _choose(self, interaction: discord.Interaction) -> None:
        topic = _topic(interaction, self.topic_id) if self.topic_id else None
        if self.token:
            via = CLARIFY if self.via == cards.VIA_CLARIFY else DECLINE
            await _app(interaction).suggestions.pick(self.token, self.topic_id, via)
        if topic is None:
            await interaction.response.send_message(NONE_OF_THESE, ephemeral=True)
        else:
            await send_card(interaction, topic)


class TopicPageButton(DynamicItem[Button], template=actions.TOPICS):
    def __init__(self, page: int, tag: str, label_text: str) -> None:
        turn = actions.Action(actions.topics(page, tag), label(label_text))
        super().__init__(button(turn))
        self.page = page
        self.tag = tag

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> TopicPageButton:
        return cls(int(match["page"]), match["tag"], item.label or "Topics")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._turn)

    async def _turn(self, interaction: discord.Interaction) -> None:
        kb = _app(interaction).knowledge.kb
        page = topic_page(kb, self.tag or None, self.page)
        view = topics_view(page)
        if interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(embed=topics_embed(page), view=view)
        else:
            await interaction.response.send_message(
                embed=topics_embed(page), view=view, ephemeral=in_guild(interaction)
            )


class TopicPicker(DynamicItem[Select], template=actions.PICK):
    def __init__(self, topics: tuple[Topic, ...] = ()) -> None:
        options = [
            discord.SelectOption(label=label(t.title), value=t.id[:100]) for t in topics
        ] or [discord.SelectOption(label="No topics", value="-")]
        super().__init__(
            Select(custom_id=actions.PICK, placeholder="Open a card…", options=options)
        )

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> TopicPicker:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._pick)

    async def _pick(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        chosen = values[0] if values and isinstance(values[0], str) else ""
        if not re.fullmatch(actions.TOPIC_ID, chosen):
            raise CoachError(CARD_GONE)
        await send_card(interaction, _topic(interaction, chosen))


DYNAMIC_ITEMS: tuple[type[DynamicItem[Any]], ...] = (
    ShareButton,
    VoteButton,
    OpenTopicButton,
    ChoiceButton,
    TopicPageButton,
    TopicPicker,
)


@functools.lru_cache(maxsize=2048)
def _buttons(drawn: tuple[actions.Action, ...]) -> ActionView:
    """Built once per set of buttons and shared by every reply that shows them (a few buttons
    cost ~80 µs to build): discord.py only reads a finished view (to_components)."""
    return ActionView(drawn)


def card_buttons(card: cards.CardView) -> discord.ui.View:
    """The buttons the core put on a card (one with a token is the only one of its kind)."""
    return ActionView(card.actions) if card.token else _buttons(card.actions)


def card_view(topic: Topic, topics: Any, *, shareable: bool, token: str = "") -> discord.ui.View:
    """Share (private cards only), Helpful, Not helpful, then up to 3 related topics."""
    return card_buttons(cards.card_view(topic, topics, shareable=shareable, token=token))


def choices_buttons(choices: cards.ChoicesView) -> discord.ui.View:
    """A clarify's or a decline's choices, as the core laid them out."""
    return ActionView(choices.actions)


def topics_view(page: TopicPage) -> discord.ui.View:
    view = ActionView()
    if page.topics:
        view.add_item(TopicPicker(page.topics))
    for turn in page_actions(page):
        view.add_item(button(turn))
    return view


async def send_card(interaction: discord.Interaction, topic: Topic) -> None:
    """A card for the person who clicked: private in a server, a plain reply in a DM."""
    kb = _app(interaction).knowledge.kb
    private = in_guild(interaction)
    card = cards.card_view(topic, kb.by_id, shareable=private)
    await interaction.response.send_message(
        embed=card_embed(card),
        view=card_buttons(card),
        ephemeral=private,
        allowed_mentions=NONE,
    )
