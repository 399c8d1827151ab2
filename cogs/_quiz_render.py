"""Quiz posts, feedback, standings and stats as Discord embeds and buttons."""

from __future__ import annotations

import functools
import re
from typing import Any

import discord
from discord.ui import Button, DynamicItem

from coachbot.knowledge.models import KnowledgeBase, QuizItem
from coachbot.quiz.service import AgentStats, AnswerFeedback, AnswerKind, ClosedQuiz, OpenQuiz
from coachbot.store.quiz import Standing, TeamAccuracy
from cogs._errors import guarded
from cogs._render import COLOUR, DECLINED_COLOUR, clip
from cogs._views import TOPIC_ID, DynamicView, OpenTopicButton

LETTERS = "ABCD"
RIGHT = discord.Colour.from_rgb(39, 174, 96)
WRONG = discord.Colour.from_rgb(192, 57, 43)


def _service(interaction: discord.Interaction) -> Any:
    return interaction.client.app.quiz  # type: ignore[attr-defined]


class QuizAnswerButton(
    DynamicItem[Button],
    template=r"cb:quiz:(?P<post>\d{1,12}):(?P<pos>[0-2]):(?P<choice>[0-3])",
):
    """A choice in a posted quiz; the post id and position find the item in the store."""

    def __init__(self, post_id: int, position: int, choice: int, label: str = "") -> None:
        super().__init__(
            Button(
                label=clip(label or LETTERS[choice], 80),
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:quiz:{post_id}:{position}:{choice}",
                row=position,
            )
        )
        self.post_id, self.position, self.choice = post_id, position, choice

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> QuizAnswerButton:
        return cls(int(match["post"]), int(match["pos"]), int(match["choice"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._answer)

    async def _answer(self, interaction: discord.Interaction) -> None:
        result = await _service(interaction).answer(
            self.post_id, self.position, str(interaction.user.id), self.choice
        )
        await _send_feedback(interaction, result)


class PracticeAnswerButton(
    DynamicItem[Button], template=rf"cb:practice:(?P<item>{TOPIC_ID}):(?P<choice>[0-3])"
):
    def __init__(self, item_id: str, choice: int, label: str = "") -> None:
        super().__init__(
            Button(
                label=clip(label or LETTERS[choice], 80),
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:practice:{item_id}:{choice}",
            )
        )
        self.item_id, self.choice = item_id, choice

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]) -> PracticeAnswerButton:
        return cls(match["item"], int(match["choice"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self._answer)

    async def _answer(self, interaction: discord.Interaction) -> None:
        result = await _service(interaction).practice_answer(
            str(interaction.user.id), self.item_id, self.choice
        )
        await _send_feedback(interaction, result)


QUIZ_ITEMS = (QuizAnswerButton, PracticeAnswerButton)

FEEDBACK_TEXT = {
    AnswerKind.ALREADY_ANSWERED: "You already answered this question; your first answer counts.",
    AnswerKind.CLOSED: "This quiz has closed. The next one is on its way!",
    AnswerKind.RETIRED: "This question has been retired by the trainers.",
}


async def _send_feedback(interaction: discord.Interaction, result: AnswerFeedback) -> None:
    if result.kind is not AnswerKind.RECORDED or result.item is None:
        await interaction.response.send_message(FEEDBACK_TEXT[result.kind], ephemeral=True)
        return
    kb: KnowledgeBase = interaction.client.app.knowledge.kb  # type: ignore[attr-defined]
    embed, view = feedback_embed(result, kb)
    await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


def feedback_embed(result: AnswerFeedback, kb: KnowledgeBase) -> tuple[discord.Embed, Any]:
    item = result.item
    assert item is not None
    topic = kb.topic(item.topic_id)
    return _feedback(
        result.correct,
        item.correct_choice,
        item.explain,
        (topic.id, topic.title) if topic is not None else None,
    )


@functools.lru_cache(maxsize=1024)
def _feedback(
    correct: bool, answer: str, explain: str, topic: tuple[str, str] | None
) -> tuple[discord.Embed, Any]:
    """Rendered once per question and outcome, then shared by every click of a 09:00 burst:
    discord.py only reads them (to_dict, to_components), and the key holds all they show."""
    if correct:
        title, colour = "✅ Right!", RIGHT
    else:
        title, colour = "❌ Not quite", WRONG
    embed = discord.Embed(title=title, colour=colour)
    embed.description = clip(f"**Answer:** {answer}\n{explain}", 1500)
    view = discord.utils.MISSING
    if topic is not None:
        topic_id, topic_title = topic
        embed.set_footer(text=clip(f"Read more: {topic_title}", 200))
        view = DynamicView()
        view.add_item(OpenTopicButton(topic_id, f"Open card: {topic_title}"))
    return embed, view


def quiz_post(quiz: OpenQuiz) -> tuple[list[discord.Embed], discord.ui.View]:
    embeds = []
    view = DynamicView()
    for position, item in enumerate(quiz.items):
        embed = discord.Embed(
            title=f"Question {position + 1}" if len(quiz.items) > 1 else "Today's quiz",
            description=clip(item.prompt, 1500),
            colour=COLOUR,
        )
        embeds.append(embed)
        for choice, text in enumerate(item.choices):
            view.add_item(QuizAnswerButton(quiz.post_id, position, choice, text))
    closes = int(quiz.closes_at.timestamp())
    embeds[-1].set_footer(text="Answers are private. One answer per question.")
    embeds[0].add_field(name="Open until", value=f"<t:{closes}:f>", inline=False)
    return embeds, view


def closed_post(closed: ClosedQuiz) -> list[discord.Embed]:
    """The post once its window ends: the right answers and the tally, no names."""
    embeds = []
    for position, (item, tally) in enumerate(closed.results):
        share = f"{tally.correct / tally.answered:.0%}" if tally.answered else "–"
        answered = f"{tally.answered} answered · {share} correct"
        if item is None:
            text = "This question was retired."
        else:
            text = f"{clip(item.prompt, 1200)}\n\n**Answer:** {item.correct_choice}\n{item.explain}"
        embed = discord.Embed(
            title=f"Question {position + 1} (closed)",
            description=clip(text, 3000),
            colour=DECLINED_COLOUR,
        )
        embed.set_footer(text=answered)
        embeds.append(embed)
    return embeds


def practice_message(item: QuizItem, box: int) -> tuple[discord.Embed, discord.ui.View]:
    embed = discord.Embed(title="Practice", description=clip(item.prompt, 1500), colour=COLOUR)
    embed.set_footer(text=f"Box {box} of 5 · misses come back sooner")
    view = DynamicView()
    for choice, text in enumerate(item.choices):
        view.add_item(PracticeAnswerButton(item.id, choice, text))
    return embed, view


def leaderboard_embed(standings: list[Standing], heading: str) -> discord.Embed:
    lines = [
        f"**{n}.** <@{s.agent_id}>: {s.points} point{'s' if s.points != 1 else ''}"
        f" ({s.answered} answered)"
        for n, s in enumerate(standings, 1)
    ]
    return _ranking(heading, lines, "No answers yet. The first quiz is the best time to start!")


def teams_embed(teams: list[TeamAccuracy], heading: str) -> discord.Embed:
    lines = [
        f"**{n}.** <#{t.channel_id}>: {t.correct / t.answered:.0%} correct"
        f" ({t.agents} agents, {t.answered} answers)"
        for n, t in enumerate(teams, 1)
    ]
    return _ranking(heading, lines, "No team has three or more players yet.")


def _ranking(heading: str, lines: list[str], empty: str) -> discord.Embed:
    text = "\n".join(lines) or empty
    return discord.Embed(title=heading, description=clip(text, 4000), colour=COLOUR)


def stats_embed(stats: AgentStats, kb: KnowledgeBase) -> discord.Embed:
    embed = discord.Embed(title="Your quiz stats", colour=COLOUR)
    embed.add_field(name="Points", value=str(stats.points))
    embed.add_field(name="Accuracy", value=f"{stats.accuracy:.0%} of {stats.answered}")
    embed.add_field(
        name="Streak", value=f"{stats.streak} quiz day{'s' if stats.streak != 1 else ''}"
    )
    weakest = [
        f"{clip(kb.by_id[t.topic_id].title if t.topic_id in kb.by_id else t.topic_id, 90)}"
        f" ({t.correct}/{t.answered})"
        for t in stats.weakest
    ]
    embed.add_field(
        name="To practise", value="\n".join(weakest) or "Nothing missed yet.", inline=False
    )
    embed.set_footer(text=f"{stats.practice_due} practice question(s) due: try /quiz practice")
    return embed
