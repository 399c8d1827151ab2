"""Daily quizzes: /quiz subscribe, unsubscribe, now, leaderboard, teams, stats, practice, pause.

A background loop runs the core scheduler's quiz tick (coachbot.scheduler: due quizzes are
claimed exactly once in the store, closed ones edited to show the answers and the tally)
through the Discord poster.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from coachbot.errors import CoachError
from coachbot.quiz.schedule import parse_schedule
from coachbot.quiz.service import Period, QuizService
from coachbot.scheduler import Scheduler
from coachbot.views import quiz as views
from cogs._checks import trainers_only
from cogs._poster import DiscordPoster
from cogs._quiz_render import (
    PRACTICE_COMMAND,
    QUIZ_ITEMS,
    practice_message,
    ranking_embed,
    stats_embed,
)
from cogs._views import NONE

if TYPE_CHECKING:
    from cogs._bot import CoachBot

log = logging.getLogger(__name__)

TICK_SECONDS = 30
NOT_A_CHANNEL = "Run this in the text channel the team uses for quizzes."
PERIODS = [app_commands.Choice(name=p.value, value=p.value) for p in Period]


@app_commands.guild_only()
class QuizCog(commands.GroupCog, group_name="quiz", group_description="Daily team quizzes"):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.scheduler = Scheduler(DiscordPoster(bot), bot.app.quiz, bot.app.debriefs)
        super().__init__()

    @property
    def service(self) -> QuizService:
        return self.bot.app.quiz

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if not self.loop.is_running():  # READY comes again after a reconnect
            self.loop.start()

    async def cog_unload(self) -> None:
        self.loop.cancel()

    @tasks.loop(seconds=TICK_SECONDS)
    async def loop(self) -> None:
        try:
            await self.tick()
        except Exception:  # one bad tick must not stop the schedule
            log.exception("quiz tick failed")

    async def tick(self) -> None:
        """Post what is due, then close what has ended. Safe to run from several places."""
        await self.scheduler.tick_quizzes()

    @app_commands.command(
        name="subscribe", description="Post a quiz in this channel every working day"
    )
    @app_commands.describe(
        time="Local time, 24-hour HH:MM, e.g. 09:00",
        timezone="IANA time zone, e.g. Europe/Berlin or America/New_York",
        weekdays="Days to post, e.g. mon-fri (default), daily, mon,wed,fri",
        questions="Questions per quiz, 1 to 3 (default 1)",
        window_hours="Hours the answers stay open (default: until the next quiz)",
    )
    @trainers_only
    async def subscribe(
        self,
        interaction: discord.Interaction,
        time: str,
        timezone: str,
        weekdays: str | None = None,
        questions: int | None = None,
        window_hours: int | None = None,
    ) -> None:
        channel = interaction.channel
        if interaction.guild_id is None or not isinstance(channel, discord.TextChannel):
            raise CoachError(NOT_A_CHANNEL)
        schedule = parse_schedule(
            guild_id=str(interaction.guild_id),
            channel_id=str(channel.id),
            time_text=time,
            timezone_text=timezone,
            weekdays_text=weekdays,
            questions=questions,
            window_hours=window_hours,
        )
        saved = await self.service.schedules.save(schedule, today=self.bot.app.clock().date())
        await interaction.response.send_message(
            f"Quizzes for this channel: {saved.describe()}.", ephemeral=True
        )

    @app_commands.command(name="unsubscribe", description="Stop the daily quiz in this channel")
    @trainers_only
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        removed = await self.service.schedules.remove(str(interaction.channel_id))
        text = "Daily quizzes stopped here." if removed else "This channel has no daily quiz."
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="now", description="Post a quiz in this channel right away")
    @app_commands.describe(questions="Questions, 1 to 3 (default 1)")
    @trainers_only
    async def now(self, interaction: discord.Interaction, questions: int = 1) -> None:
        if not isinstance(interaction.channel, discord.TextChannel):
            raise CoachError(NOT_A_CHANNEL)
        await interaction.response.defer(ephemeral=True, thinking=True)
        quiz = await self.service.quiz_now(
            str(interaction.guild_id), str(interaction.channel_id), questions
        )
        posted = await self.scheduler.post_quiz(quiz)
        text = "Quiz posted." if posted else "I couldn't post here: check my permissions."
        await interaction.followup.send(text, ephemeral=True)

    @app_commands.command(name="leaderboard", description="Top scorers in this channel")
    @app_commands.describe(period="This week, this month or all time (default: week)")
    @app_commands.choices(period=PERIODS)
    async def leaderboard(
        self, interaction: discord.Interaction, period: app_commands.Choice[str] | None = None
    ) -> None:
        chosen = Period(period.value) if period else Period.WEEK
        standings = await self.service.leaderboard(str(interaction.channel_id), chosen)
        await interaction.response.send_message(
            embed=ranking_embed(views.leaderboard(standings, chosen.value)),
            ephemeral=True,
            allowed_mentions=NONE,
        )

    @app_commands.command(name="teams", description="Team against team: accuracy per quiz channel")
    @app_commands.describe(period="This week, this month or all time (default: month)")
    @app_commands.choices(period=PERIODS)
    async def teams(
        self, interaction: discord.Interaction, period: app_commands.Choice[str] | None = None
    ) -> None:
        chosen = Period(period.value) if period else Period.MONTH
        teams = await self.service.teams(str(interaction.guild_id), chosen)
        await interaction.response.send_message(
            embed=ranking_embed(views.teams(teams)), ephemeral=True, allowed_mentions=NONE
        )

    @app_commands.command(name="stats", description="Your points, streak and what to practise")
    async def stats(self, interaction: discord.Interaction) -> None:
        stats = await self.service.stats(str(interaction.user.id), str(interaction.guild_id))
        shown = views.stats(stats, self.bot.app.knowledge.kb, PRACTICE_COMMAND)
        await interaction.response.send_message(embed=stats_embed(shown), ephemeral=True)

    @app_commands.command(name="practice", description="A practice question from your due items")
    async def practice(self, interaction: discord.Interaction) -> None:
        question = await self.service.practice_next(str(interaction.user.id))
        if question.item is None:
            text = views.nothing_to_practise(question.next_due)
            await interaction.response.send_message(text, ephemeral=True)
            return
        embed, view = practice_message(question.item, question.box)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(name="pause", description="Keep your streak while you are away")
    @app_commands.describe(days="Days away, starting today (1 to 60)")
    async def pause(self, interaction: discord.Interaction, days: int) -> None:
        first, last = await self.service.pause(
            str(interaction.user.id), str(interaction.guild_id), days
        )
        await interaction.response.send_message(
            f"Streak paused from {first:%a %d %b} to {last:%a %d %b}. See you back!",
            ephemeral=True,
        )


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(*QUIZ_ITEMS)
    await bot.add_cog(QuizCog(bot))
