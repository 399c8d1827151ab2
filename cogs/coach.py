"""`/coach report`: the trainers' "what to train next" report for this server, privately,
with the weakness chart (PNG) and every figure (CSV) attached."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from coachbot.insights.models import OTHER, AskGroup, Report, parse_period
from coachbot.insights.render import nothing_yet, render_csv
from coachbot.insights.service import InsightsService
from cogs._checks import trainers_only
from cogs._render import COLOUR, FIELD_VALUE_LIMIT, clip
from cogs._views import NONE

if TYPE_CHECKING:
    from cogs._bot import CoachBot

PERIODS = [
    Choice(name="last 7 days", value="7d"),
    Choice(name="last 30 days", value="30d"),
    Choice(name="last 90 days", value="90d"),
]
SHOWN_GROUPS = 5


def _plain(text: str) -> str:
    """Agents typed these words: shown as text, never as markdown or a mention."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(" ".join(text.split())))


def _group_line(group: AskGroup) -> str:
    topic = f" → {_plain(group.topic_title)}" if group.topic_title else ""
    return f"**{group.count}** × “{_plain(clip(group.label, 120))}”{topic}"


def report_embed(report: Report) -> discord.Embed:
    embed = discord.Embed(title=f"What to train next · {report.period}", colour=COLOUR)
    embed.description = (
        "Every figure is this server's; none names a person. "
        f"No quiz figure covers fewer than {report.min_people} people."
    )
    train = [
        f"**{n}. {_plain(s.title)}** (score {s.score:.2f})\n{s.evidence}"
        for n, s in enumerate(report.train_next, 1)
    ]
    embed.add_field(
        name="Train next",
        value=clip("\n".join(train) or "No topic shows a weakness.", FIELD_VALUE_LIMIT),
        inline=False,
    )
    groups = [_group_line(g) for g in report.ask_groups[:SHOWN_GROUPS]]
    more = len(report.ask_groups) - SHOWN_GROUPS
    if more > 0:
        groups.append(f"… and {more} more groups in the CSV")
    unsure = sum(g.low_confidence for g in report.ask_groups)
    embed.add_field(
        name=f"Asks not answered well ({report.asks_declined} declined, {unsure} unsure)",
        value=clip("\n".join(groups) or "None.", FIELD_VALUE_LIMIT),
        inline=False,
    )
    votes = [
        f"{v.not_helpful} of {v.total} not helpful · {_plain(v.title)}"
        for v in report.votes
        if v.not_helpful
    ][:5]
    embed.add_field(
        name="Card votes", value=clip("\n".join(votes) or "No unhelpful votes.", 1000), inline=False
    )
    channels = [
        f"{r.accuracy:.0%} of {r.answered} · "
        + (r.label if r.key == OTHER else f"<#{r.key.partition('/')[2]}>")
        for r in report.quiz_channels.rows
    ]
    embed.add_field(
        name="Quiz accuracy by channel",
        value=clip("\n".join(channels) or "Not enough people answered.", 1000),
        inline=False,
    )
    debriefs = report.debriefs
    top = ", ".join(f"{_plain(title)} ({n})" for _, title, n in debriefs.by_topic[:4])
    embed.add_field(
        name=f"Debriefs ({debriefs.total})", value=clip(top or "None.", 1000), inline=False
    )
    embed.set_footer(text="Chart: every topic by weakness. CSV: every figure, one per row.")
    return embed


@app_commands.guild_only()
class CoachCog(
    commands.GroupCog, group_name="coach", group_description="Trainers: what to train next"
):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        super().__init__()

    @property
    def service(self) -> InsightsService:
        return self.bot.app.insights

    @app_commands.command(
        name="report", description="What to train next, with a chart and a CSV (trainers)"
    )
    @app_commands.describe(
        period="How far back to look (default: the last 30 days)",
        since="Or a first day, YYYY-MM-DD, up to today (overrides period)",
    )
    @app_commands.choices(period=PERIODS)
    @trainers_only
    async def report(
        self,
        interaction: discord.Interaction,
        period: Choice[str] | None = None,
        since: str | None = None,
    ) -> None:
        chosen = parse_period(since or (period.value if period else None), self.service.today())
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.service.report(chosen, str(interaction.guild_id))
        if report.empty:
            await interaction.followup.send(nothing_yet(report), ephemeral=True)
            return
        from coachbot.insights.chart import render_chart

        png = await asyncio.to_thread(render_chart, report)
        name = f"coachbot-{report.period.since}-{report.period.until}"
        files = [
            discord.File(io.BytesIO(png), filename=f"{name}.png", description="Topics by weakness"),
            discord.File(
                io.BytesIO(render_csv(report).encode("utf-8-sig")),  # the BOM: Excel reads UTF-8
                filename=f"{name}.csv",
                description="Every figure of the report",
            ),
        ]
        await interaction.followup.send(
            embed=report_embed(report), files=files, ephemeral=True, allowed_mentions=NONE
        )


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(CoachCog(bot))
