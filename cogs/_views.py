"""Buttons and menus for cards and topic pages.

Every component is a `DynamicItem` whose custom_id carries its state (`cb:<what>:<args>`), so
a click on a message sent before a restart still works. Ids from clients are parsed by strict
patterns and looked up again in the live knowledge base: they are never trusted.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ui import Button, DynamicItem, Select

from coachbot.actions import PICK_TOKEN, TAG, TOPIC_ID  # the one home of the id formats
from coachbot.browse import topic_page
from coachbot.errors import CoachError
from coachbot.feedback import VoteOutcome
from coachbot.knowledge.models import Topic
from coachbot.suggestions import CLARIFY, DECLINE
from cogs._errors import guarded
from cogs._render import button_label, card_embed, topics_embed

if TYPE_CHECKING:
    from cogs._bot import CoachBot

NONE = discord.AllowedMentions.none()

CARD_GONE = "That card is no longer in the knowledge base. Try `/topics` to browse what is there."
NOT_SHAREABLE = "I can't post in this channel. Ask me in a server channel to share a card there."
NONE_OF_THESE = (
    "Noted: the trainers will see that question. Try other words, or `/topics` to browse "
    "every card."
)


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


class ShareButton(DynamicItem[Button], template=rf"cb:share:(?P<topic>{TOPIC_ID})"):
    def __init__(self, topic_id: str) -> None:
        super().__init__(
            Button(
                label="Share in channel",
                emoji="📣",
                style=discord.ButtonStyle.primary,
                custom_id=f"cb:share:{topic_id}",
            )
        )
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
        try:
            await channel.send(
                embed=card_embed(topic),
                view=card_view(topic, kb.by_id, shareable=False),
                allowed_mentions=NONE,
            )
        except discord.Forbidden as exc:
            raise CoachError(NOT_SHAREABLE) from exc
        await interaction.followup.send("Shared in this channel.", ephemeral=True)


VOTE_REPLIES = {
    (VoteOutcome.RECORDED, True): "Thanks, glad it helped.",
    (VoteOutcome.RECORDED, False): "Thanks for saying so: trainers see which cards need work.",
    (VoteOutcome.UNCHANGED, True): "You already marked this card helpful; it counts once.",
    (VoteOutcome.UNCHANGED, False): "You already marked this card not helpful; it counts once.",
    (VoteOutcome.CHANGED, True): "Changed your vote to helpful.",
    (VoteOutcome.CHANGED, False): "Changed your vote to not helpful.",
}


class VoteButton(DynamicItem[Button], template=rf"cb:vote:(?P<topic>{TOPIC_ID}):(?P<helpful>[01])"):
    def __init__(self, topic_id: str, helpful: bool) -> None:
        super().__init__(
            Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:vote:{topic_id}:{int(helpful)}",
            )
        )
        self.topic_id = topic_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> VoteButton:
        return cls(match["topic"], match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._vote)

    async def _vote(self, interaction: discord.Interaction) -> None:
        topic = _topic(interaction, self.topic_id)
        feedback = _app(interaction).feedback
        card = str(interaction.message.id) if interaction.message else str(interaction.id)
        outcome = await feedback.vote(
            topic.id,
            self.helpful,
            card=card,
            voter=str(interaction.user.id),
            guild_id=str(interaction.guild_id) if interaction.guild_id else None,
        )
        await interaction.response.send_message(VOTE_REPLIES[outcome, self.helpful], ephemeral=True)


class OpenTopicButton(DynamicItem[Button], template=rf"cb:open:(?P<topic>{TOPIC_ID})"):
    def __init__(self, topic_id: str, label: str = "Open card") -> None:
        super().__init__(
            Button(
                label=button_label(label),
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:open:{topic_id}",
            )
        )
        self.topic_id = topic_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> OpenTopicButton:
        return cls(match["topic"], item.label or "Open card")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._open)

    async def _open(self, interaction: discord.Interaction) -> None:
        await send_card(interaction, _topic(interaction, self.topic_id))


class ChoiceButton(
    DynamicItem[Button],
    template=rf"cb:choose:(?P<via>[cd]):(?P<topic>{TOPIC_ID}|-):(?P<token>{PICK_TOKEN})",
):
    """One of the topics offered after a clarify (`c`) or a decline (`d`), or "None of these"
    (topic `-`): opens the card and tells the suggestions what the agent picked. The question
    itself is not in the id, only the token it was remembered under (no identity)."""

    def __init__(self, via: str, topic_id: str | None, token: str, label: str) -> None:
        custom_id = f"cb:choose:{via}:{topic_id or '-'}:{token}"
        style = discord.ButtonStyle.primary if topic_id else discord.ButtonStyle.secondary
        super().__init__(Button(label=button_label(label), style=style, custom_id=custom_id))
        self.via, self.topic_id, self.token = via, topic_id, token

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> ChoiceButton:
        topic = None if match["topic"] == "-" else match["topic"]
        return cls(match["via"], topic, match["token"], item.label or "Open card")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._choose)

    async def _choose(self, interaction: discord.Interaction) -> None:
        topic = _topic(interaction, self.topic_id) if self.topic_id else None
        suggestions = _app(interaction).suggestions
        if self.token and suggestions is not None:
            via = CLARIFY if self.via == "c" else DECLINE
            await suggestions.pick(self.token, self.topic_id, via)
        if topic is None:
            await interaction.response.send_message(NONE_OF_THESE, ephemeral=True)
        else:
            await send_card(interaction, topic)


class TopicPageButton(
    DynamicItem[Button], template=rf"cb:topics:(?P<page>\d{{1,4}}):(?P<tag>{TAG})"
):
    def __init__(self, page: int, tag: str, label: str) -> None:
        super().__init__(
            Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:topics:{page}:{tag}",
            )
        )
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
        view = topics_view(page.tag, page.page, page.pages, page.topics)
        if interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(embed=topics_embed(page), view=view)
        else:
            await interaction.response.send_message(
                embed=topics_embed(page), view=view, ephemeral=in_guild(interaction)
            )


class TopicPicker(DynamicItem[Select], template=r"cb:pick"):
    def __init__(self, topics: tuple[Topic, ...] = ()) -> None:
        options = [
            discord.SelectOption(label=button_label(t.title), value=t.id[:100]) for t in topics
        ] or [discord.SelectOption(label="No topics", value="-")]
        super().__init__(Select(custom_id="cb:pick", placeholder="Open a card…", options=options))

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> TopicPicker:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._pick)

    async def _pick(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or []
        chosen = values[0] if values and isinstance(values[0], str) else ""
        if not re.fullmatch(TOPIC_ID, chosen):
            raise CoachError(CARD_GONE)
        await send_card(interaction, _topic(interaction, chosen))


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


DYNAMIC_ITEMS: tuple[type[DynamicItem[Any]], ...] = (
    ShareButton,
    VoteButton,
    OpenTopicButton,
    ChoiceButton,
    TopicPageButton,
    TopicPicker,
)


def card_view(topic: Topic, topics: Any, *, shareable: bool) -> discord.ui.View:
    """Share (private cards only), Helpful, Not helpful, then up to 3 related topics."""
    related = tuple((other.id, other.title) for r in topic.related if (other := topics.get(r)))
    return _card_view(topic.id, related[:3], shareable)


@functools.lru_cache(maxsize=2048)
def _card_view(topic_id: str, related: tuple[tuple[str, str], ...], shareable: bool) -> DynamicView:
    """Built once per card and shared by every reply (a few buttons cost ~80 µs to build):
    discord.py only reads a finished view (to_components), and the key holds all it shows."""
    view = DynamicView()
    if shareable:
        view.add_item(ShareButton(topic_id))
    view.add_item(VoteButton(topic_id, True))
    view.add_item(VoteButton(topic_id, False))
    for other_id, title in related:
        item = OpenTopicButton(other_id, title)
        item.item.row = 1
        view.add_item(item)
    return view


def suggestions_view(topics: tuple[Topic, ...], token: str = "") -> discord.ui.View:
    """A decline's closest topics; a pick is counted for the question under `token`."""
    view = DynamicView()
    for topic in topics[:3]:
        view.add_item(ChoiceButton("d", topic.id, token, topic.title))
    view.add_item(TopicPageButton(0, "", "Browse all topics"))
    return view


def choices_view(topics: tuple[Topic, ...], token: str = "") -> discord.ui.View:
    """The "Which is closest?" choices: a button per offered topic, then "None of these"."""
    view = DynamicView()
    for topic in topics:
        view.add_item(ChoiceButton("c", topic.id, token, topic.title))
    none = ChoiceButton("c", None, token, "None of these")
    none.item.row = 1
    view.add_item(none)
    return view


def topics_view(
    tag: str | None, page: int, pages: int, topics: tuple[Topic, ...]
) -> discord.ui.View:
    view = DynamicView()
    if topics:
        view.add_item(TopicPicker(topics))
    tag_key = tag or ""
    if re.fullmatch(TAG, tag_key) and pages > 1:
        previous = TopicPageButton(max(page - 1, 0), tag_key, "◀ Previous")
        following = TopicPageButton(min(page + 1, pages - 1), tag_key, "Next ▶")
        previous.item.disabled = page == 0
        following.item.disabled = page + 1 >= pages
        previous.item.row = following.item.row = 1
        view.add_item(previous)
        view.add_item(following)
    return view


async def send_card(interaction: discord.Interaction, topic: Topic) -> None:
    """A card for the person who clicked: private in a server, a plain reply in a DM."""
    kb = _app(interaction).knowledge.kb
    private = in_guild(interaction)
    await interaction.response.send_message(
        embed=card_embed(topic),
        view=card_view(topic, kb.by_id, shareable=private),
        ephemeral=private,
        allowed_mentions=NONE,
    )
