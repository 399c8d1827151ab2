"""Quiz posts, feedback, standings and stats (core view models) as Discord embeds and buttons."""

from __future__ import annotations

import functools
import re
from typing import Any

import discord
from discord.ui import Button, DynamicItem

from coachbot import actions
from coachbot.knowledge.models import KnowledgeBase, QuizItem
from coachbot.quiz.service import AnswerFeedback
from coachbot.views import quiz as views
from cogs._actions import ActionView
from cogs._errors import guarded
from cogs._render import COLOUR, DECLINED_COLOUR, clip

RIGHT = discord.Colour.from_rgb(39, 174, 96)
WRONG = discord.Colour.from_rgb(192, 57, 43)
PRACTICE_COMMAND = "/quiz practice"


def _service(interaction: discord.Interaction) -> Any:
    return interaction.client.app.quiz  # type: ignore[attr-defined]


class QuizAnswerButton(DynamicItem[Button], template=actions.QUIZ_ANSWER):
    """A choice in a posted quiz; the post id and position find the item in the store."""

    def __init__(self, post_id: int, position: int, choice: int) -> None:
        super().__init__(Button(custom_id=actions.quiz_answer(post_id, position, choice)))
        self.post_id, self.position, self.choice = post_id, position, choice

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> QuizAnswerButton:
        return cls(int(match["post"]), int(match["pos"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._answer)

    async def _answer(self, interaction: discord.Interaction) -> None:
        result = await _service(interaction).answer(
            self.post_id, self.position, str(interaction.user.id), self.choice
        )
        await _send_feedback(interaction, result)


class PracticeAnswerButton(DynamicItem[Button], template=actions.PRACTICE_ANSWER):
    def __init__(self, item_id: str, choice: int) -> None:
        super().__init__(Button(custom_id=actions.practice_answer(item_id, choice)))
        self.item_id, self.choice = item_id, choice

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> PracticeAnswerButton:
        return cls(match["item"], int(match["choice"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._answer)

    async def _answer(self, interaction: discord.Interaction) -> None:
        result = await _service(interaction).practice_answer(
            str(interaction.user.id), self.item_id, self.choice
        )
        await _send_feedback(interaction, result)


QUIZ_ITEMS = (QuizAnswerButton, PracticeAnswerButton)


async def _send_feedback(interaction: discord.Interaction, result: AnswerFeedback) -> None:
    kb: KnowledgeBase = interaction.client.app.knowledge.kb  # type: ignore[attr-defined]
    shown = views.feedback(result, kb)
    if isinstance(shown, str):
        await interaction.response.send_message(shown, ephemeral=True)
        return
    embed, view = _feedback(shown)
    await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


def feedback_embed(result: AnswerFeedback, kb: KnowledgeBase) -> tuple[discord.Embed, Any]:
    shown = views.feedback(result, kb)
    assert not isinstance(shown, str), "only a recorded answer has feedback to draw"
    return _feedback(shown)


@functools.lru_cache(maxsize=1024)
def _feedback(shown: views.Feedback) -> tuple[discord.Embed, Any]:
    """Rendered once per question and outcome, then shared by every click of a 09:00 burst:
    discord.py only reads them (to_dict, to_components), and the key holds all they show."""
    embed = discord.Embed(title=shown.title, colour=RIGHT if shown.correct else WRONG)
    embed.description = clip(f"**Answer:** {shown.answer}\n{shown.explain}", 1500)
    view: Any = discord.utils.MISSING
    if shown.topic_title is not None and shown.open_card is not None:
        embed.set_footer(text=clip(f"Read more: {shown.topic_title}", 200))
        view = ActionView([shown.open_card])
    return embed, view


def quiz_post(post: views.QuizPost) -> tuple[list[discord.Embed], discord.ui.View]:
    embeds = [
        discord.Embed(title=q.title, description=clip(q.prompt, 1500), colour=COLOUR)
        for q in post.questions
    ]
    view = ActionView(action for q in post.questions for action in q.answers)
    embeds[-1].set_footer(text=post.footer)
    closes = int(post.closes_at.timestamp())
    embeds[0].add_field(name=post.closes_label, value=f"<t:{closes}:f>", inline=False)
    return embeds, view


def closed_post(closed: views.ClosedQuizPost) -> list[discord.Embed]:
    """The post once its window ends: the right answers and the tally, no names."""
    embeds = []
    for question in closed.questions:
        if question.prompt is None:
            text = views.RETIRED_TEXT
        else:
            text = (
                f"{clip(question.prompt, 1200)}\n\n"
                f"**Answer:** {question.answer}\n{question.explain}"
            )
        embed = discord.Embed(
            title=question.title, description=clip(text, 3000), colour=DECLINED_COLOUR
        )
        embed.set_footer(text=question.tally)
        embeds.append(embed)
    return embeds


def practice_message(item: QuizItem, box: int) -> tuple[discord.Embed, discord.ui.View]:
    shown = views.practice(item, box)
    embed = discord.Embed(title=shown.title, description=clip(shown.prompt, 1500), colour=COLOUR)
    embed.set_footer(text=shown.footer)
    return embed, ActionView(shown.answers)


def ranking_embed(ranking: views.Ranking) -> discord.Embed:
    """Agents as <@id> and channels as <#id>: shown as names, and pinging nobody (the
    replies carry AllowedMentions.none())."""
    mark = "@" if ranking.kind == "agent" else "#"
    lines = [
        f"**{line.rank}.** <{mark}{line.who}>: {line.score} ({line.detail})"
        for line in ranking.lines
    ]
    text = "\n".join(lines) or ranking.empty
    return discord.Embed(title=ranking.title, description=clip(text, 4000), colour=COLOUR)


def stats_embed(shown: views.StatsView) -> discord.Embed:
    embed = discord.Embed(title=shown.title, colour=COLOUR)
    for name, value in shown.fields:
        embed.add_field(name=name, value=value)
    practise = "\n".join(f"{clip(title, 90)} ({score})" for title, score in shown.practise)
    embed.add_field(name=shown.practise_label, value=practise or shown.practise_empty, inline=False)
    embed.set_footer(text=shown.footer)
    return embed
