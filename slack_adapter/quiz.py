"""Daily quizzes on Slack: `/coach quiz subscribe|unsubscribe|now|leaderboard|teams|stats|
practice|pause`, the answer buttons, and the scheduler ticks for Slack teams.

Like cogs/quiz.py: the options are Discord's, positional; validation and texts are the core's
(coachbot.quiz.schedule, QuizService). Trainers schedule and post; everyone answers. A click is
acknowledged at once and answered privately; the post and its buttons stay as they are for the
others. The ticks run the core Scheduler with the SlackPoster (see `start_ticks`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coachbot import actions
from coachbot.errors import InvalidInput
from coachbot.quiz.schedule import parse_schedule
from coachbot.quiz.service import AnswerFeedback, Period, QuizService
from coachbot.replies import NO_PERMISSION
from coachbot.scheduler import Scheduler
from coachbot.views import quiz as views
from slack_adapter import ids
from slack_adapter.blocks import quiz as blocks
from slack_adapter.buttons import Click, on_button
from slack_adapter.commands import CoachRequest, subcommand
from slack_adapter.context import SlackContext
from slack_adapter.poster import SlackPoster
from slack_adapter.text import escape

log = logging.getLogger(__name__)

TICK_SECONDS = 30
PRACTICE_COMMAND = "/coach quiz practice"
NOT_A_CHANNEL = "Run this in the channel the team uses for quizzes."
NOT_POSTED = "I couldn't post here: invite me to this channel first (/invite @CoachBot)."
SOMEONE = "a teammate"  # a leaderboard name Slack would not tell us
USAGE = {
    "subscribe": "quiz subscribe HH:MM Zone [weekdays] [questions] [window_hours]",
    "unsubscribe": "quiz unsubscribe",
    "now": "quiz now [questions]",
    "leaderboard": "quiz leaderboard [week|month|all]",
    "teams": "quiz teams [week|month|all]",
    "stats": "quiz stats",
    "practice": "quiz practice",
    "pause": "quiz pause DAYS",
}
DAY_JOINS = (",", "-", "–", "&", "/", "+")
JOIN_WORDS = frozenset({"to", "and", "through", "thru", "-"})  # "mon to fri"
DAY_WORDS = JOIN_WORDS | {"day", "days"}  # glued to the word before: "every day"
DAY_STARTS = JOIN_WORDS | {"every", "work", "working", "business", "all"}
TRAINERS_ONLY = frozenset({"subscribe", "unsubscribe", "now"})
IN_A_CHANNEL = frozenset({"subscribe", "now", "leaderboard"})


def _service(ctx: SlackContext) -> QuizService:
    return ctx.core.quiz


def scheduler(ctx: SlackContext, client: AsyncWebClient) -> Scheduler:
    """The core scheduler posting through Slack (the teams with `slack:` keys only)."""
    return Scheduler(SlackPoster(client), ctx.core.quiz, ctx.core.debriefs)


# ---- /coach quiz ... ------------------------------------------------------------------------


@subcommand("quiz")
async def quiz(request: CoachRequest, args: list[str]) -> None:
    """Dispatch `/coach quiz <word> …`; a bad argument gets its problem and the usage."""
    word = args[0].lower() if args else ""
    if word not in USAGE:
        usages = "\n".join(f"`/coach {usage}`" for usage in USAGE.values())
        problem = "Say what to do with quizzes." if not word else "That is not a quiz command."
        await request.reply(f"{problem} Usage:\n{usages}")
        return
    if word in IN_A_CHANNEL and request.in_dm:
        await request.reply(NOT_A_CHANNEL)
        return
    if word in TRAINERS_ONLY and not await request.is_trainer():
        await request.reply(NO_PERMISSION)
        return
    try:
        await COMMANDS[word](request, args[1:])
    except InvalidInput as problem:
        await request.usage(escape(problem.user_message), USAGE[word])  # it may quote input


def _number(text: str | None, name: str) -> int | None:
    """A whole number argument, or None when left out."""
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise InvalidInput(f"The {name} must be a whole number, not “{text[:20]}”.")
    return int(text)


def _period(args: list[str], default: Period) -> Period:
    if not args:
        return default
    if len(args) > 1 or args[0].lower() not in {p.value for p in Period}:
        raise InvalidInput(f"The period must be week, month or all, not “{' '.join(args)[:20]}”.")
    return Period(args[0].lower())


def _at_most(args: list[str], count: int) -> None:
    if len(args) > count:
        extra = " ".join(args[count:])[:40]
        raise InvalidInput(f"Too many arguments: “{extra}”.")


def _days_glued(args: list[str]) -> list[str]:
    """The words with a list of days that has spaces in it ("mon, wed, fri", "mon to fri",
    "every day") made one argument again: Slack splits nothing, we split on spaces."""
    glued: list[str] = []
    for word in args:
        prev = glued[-1] if len(glued) > 2 else ""  # days come third, after time and zone
        if prev and (
            prev.endswith(DAY_JOINS)
            or word.startswith(DAY_JOINS)
            or word.lower() in DAY_WORDS
            or prev.split()[-1].lower() in DAY_STARTS
        ):
            glued[-1] = f"{prev} {word}"
        else:
            glued.append(word)
    return glued


async def subscribe(request: CoachRequest, args: list[str]) -> None:
    args = _days_glued(args)
    _at_most(args, 5)
    time_text, zone, weekdays, questions, window = [*args, *[None] * 5][:5]
    schedule = parse_schedule(
        guild_id=request.team,
        channel_id=request.channel,
        time_text=time_text or "",
        timezone_text=zone or "",
        weekdays_text=weekdays,
        questions=_whole(questions),
        window_hours=_whole(window),
    )
    service = _service(request.ctx)
    saved = await service.schedules.save(schedule, today=request.ctx.core.clock().date())
    await request.reply(f"Quizzes for this channel: {saved.describe()}.")


def _whole(text: str | None) -> Any:
    """A number for parse_schedule; anything else goes in as typed, for its own message."""
    return int(text) if text is not None and text.isdigit() else text


async def unsubscribe(request: CoachRequest, args: list[str]) -> None:
    _at_most(args, 0)
    removed = await _service(request.ctx).schedules.remove(request.channel)
    await request.reply(
        "Daily quizzes stopped here." if removed else "This channel has no daily quiz."
    )


async def now(request: CoachRequest, args: list[str]) -> None:
    _at_most(args, 1)
    questions = _number(args[0] if args else None, "number of questions")
    service = _service(request.ctx)
    opened = await service.quiz_now(request.team, request.channel, questions or 1)
    posted = await scheduler(request.ctx, request.client).post_quiz(opened)
    await request.reply("Quiz posted." if posted else NOT_POSTED)


async def leaderboard(request: CoachRequest, args: list[str]) -> None:
    period = _period(args, Period.WEEK)
    standings = await _service(request.ctx).leaderboard(request.channel, period)
    names = await _names(request.client, [s.agent_id for s in standings])
    shown = blocks.ranking(views.leaderboard(standings, period.value), names.__getitem__)
    await request.reply(**shown)


async def teams(request: CoachRequest, args: list[str]) -> None:
    period = _period(args, Period.MONTH)
    rows = await _service(request.ctx).teams(request.team, period)
    await request.reply(**blocks.ranking(views.teams(rows), lambda who: who))


async def stats(request: CoachRequest, args: list[str]) -> None:
    _at_most(args, 0)
    result = await _service(request.ctx).stats(request.agent, request.team)
    shown = views.stats(result, request.ctx.core.knowledge.kb, PRACTICE_COMMAND)
    await request.reply(**blocks.stats(shown))


async def practice(request: CoachRequest, args: list[str]) -> None:
    _at_most(args, 0)
    question = await _service(request.ctx).practice_next(request.agent)
    if question.item is None:
        await request.reply(views.nothing_to_practise(question.next_due))
        return
    await request.reply(**blocks.practice(views.practice(question.item, question.box)))


async def pause(request: CoachRequest, args: list[str]) -> None:
    _at_most(args, 1)
    days = _number(args[0] if args else None, "number of days")
    if days is None:
        raise InvalidInput("Say how many days you are away, from 1 to 60.")
    first, last = await _service(request.ctx).pause(request.agent, request.team, days)
    await request.reply(f"Streak paused from {first:%a %d %b} to {last:%a %d %b}. See you back!")


COMMANDS = {
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "now": now,
    "leaderboard": leaderboard,
    "teams": teams,
    "stats": stats,
    "practice": practice,
    "pause": pause,
}


async def _names(client: AsyncWebClient, agents: list[str]) -> dict[str, str]:
    """Display names for a leaderboard: shown as text, so nobody is notified (a `<@U…>`
    would be). A name Slack will not give is "a teammate"."""

    async def name(agent: str) -> str:
        try:
            info = await client.users_info(user=ids.user_id(agent))
        except (SlackApiError, ValueError):
            return SOMEONE
        user = info.get("user") or {}
        profile = user.get("profile") or {}
        return str(
            profile.get("display_name") or profile.get("real_name") or user.get("name") or SOMEONE
        )

    found = await asyncio.gather(*(name(a) for a in agents))
    return dict(zip(agents, found, strict=True))


# ---- buttons --------------------------------------------------------------------------------


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    """The answer buttons of quiz posts and practice questions (ids from coachbot.actions)."""

    @on_button(bolt, ctx, actions.QUIZ_ANSWER)
    async def answer(click: Click) -> None:
        found = click.match
        result = await _service(ctx).answer(
            int(found["post"]), int(found["pos"]), click.agent, int(found["choice"])
        )
        await _feedback(click, result)

    @on_button(bolt, ctx, actions.PRACTICE_ANSWER)
    async def practice_answer(click: Click) -> None:
        found = click.match
        result = await _service(ctx).practice_answer(
            click.agent, found["item"], int(found["choice"])
        )
        await _feedback(click, result)


async def _feedback(click: Click, result: AnswerFeedback) -> None:
    """The clicker's private reply (a new ephemeral message: the post stays as it is)."""
    shown = views.feedback(result, click.ctx.core.knowledge.kb)
    await click.reply(**blocks.feedback(shown))


# ---- ticks ----------------------------------------------------------------------------------


async def tick(ctx: SlackContext, client: AsyncWebClient) -> None:
    """One round for Slack teams: post due quizzes, close ended ones, post due digests."""
    posting = scheduler(ctx, client)
    await posting.tick_quizzes()
    await posting.tick_digests()


def start_ticks(
    ctx: SlackContext, client: AsyncWebClient, *, every: float = TICK_SECONDS
) -> asyncio.Task[None]:
    """Run `tick` every `every` seconds until the task is cancelled (the Slack runner owns
    it). One failed round is logged and the next one comes as usual."""

    async def loop() -> None:
        while True:
            try:
                await tick(ctx, client)
            except Exception:  # one bad tick must not stop the schedule
                log.exception("Slack quiz/digest tick failed")
            await asyncio.sleep(every)

    return asyncio.create_task(loop(), name="slack-scheduler-ticks")
