"""Asking on Slack: `/coach <question>`, `topics [tag]`, `tip [random]`, `help`, mentions, DMs,
and the answer's buttons (Share in channel, Helpful, Not helpful, related topics, choices).

Behaves like cogs/ask.py: the core answers and decides what the reply shows
(coachbot.views.card); this parses what Slack sends and draws (slack_adapter.blocks.card).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from coachbot import actions
from coachbot.browse import random_tip, tip_of_the_day, topic_page
from coachbot.errors import CoachError
from coachbot.feedback import VOTE_REPLIES
from coachbot.knowledge.models import Topic
from coachbot.replies import slow_down
from coachbot.suggestions import CLARIFY, DECLINE, RELATED
from coachbot.views.card import (
    NO_TIPS,
    SHARED,
    VIA_CLARIFY,
    CommandNames,
    ask_view,
    card_gone_text,
    card_view,
    help_text,
    needs_token,
    none_of_these_text,
)
from slack_adapter import ids
from slack_adapter.blocks.card import Message, message, tip_message, topics_message
from slack_adapter.buttons import Click, on_button
from slack_adapter.commands import QUESTION, CoachRequest, subcommand
from slack_adapter.context import SlackContext
from slack_adapter.text import escape, private

log = logging.getLogger(__name__)

COMMANDS = CommandNames(ask="/coach", topics="/coach topics", tip="/coach tip", help="/coach help")
HELP_TEXT = (
    help_text(COMMANDS) + "\n• `/coach quiz …` for daily quizzes, `/coach debrief` to share "
    "a hard call, `/coach me data` for what I keep about you"
)
NOT_SHAREABLE = "I can't post here. Ask me in a channel to share a card there."


async def answer(ctx: SlackContext, question: str, team: str, *, shareable: bool) -> Message:
    """Ask the core and draw its answer; for choices (or a card with related topics) the
    suggestions remember the scrubbed question under the token the buttons carry."""
    result = await ctx.core.asks.ask(question, guild_id=team)
    token = ""
    if needs_token(result):
        token = await ctx.core.suggestions.remember(result.question) or ""
    return message(ask_view(result, shareable=shareable, token=token, commands=COMMANDS))


def card_message(ctx: SlackContext, topic: Topic, *, shareable: bool) -> Message:
    kb = ctx.core.knowledge.kb  # one version for the card and its related buttons
    return message(card_view(topic, kb.by_id, shareable=shareable))


# ---- /coach … ------------------------------------------------------------------------------


async def wait_for(ctx: SlackContext, route: str, team_id: str, user_id: str) -> float:
    """The core's ask allowance (coachbot.ratelimit.ASK, as on Discord): 0.0 to go ahead, else
    the seconds to wait. `/coach` and mentions/DMs count apart, like Discord's slash and
    message asks. The key names the person as Discord's does; the ask itself never does."""
    return await ctx.core.ask_limits.hit(f"slack:{route}:{ids.agent_key(team_id, user_id)}")


@subcommand(QUESTION)
async def ask(request: CoachRequest, args: list[str]) -> None:
    if not args:
        await request.reply(HELP_TEXT)
        return
    wait = await wait_for(request.ctx, "ask", request.team_id, request.user_id)
    if wait:
        await request.reply(slow_down(wait))
        return
    shown = await answer(request.ctx, request.text, request.team, shareable=not request.in_dm)
    await request.reply(**shown)


@subcommand("help")
async def help_(request: CoachRequest, args: list[str]) -> None:
    await request.reply(HELP_TEXT)


@subcommand("topics")
async def topics(request: CoachRequest, args: list[str]) -> None:
    if len(args) > 1:
        await request.usage("A tag is one word, such as `angry`.", "topics [tag]")
        return
    tag = args[0].lower() if args else None
    await request.reply(**topics_message(topic_page(request.ctx.core.knowledge.kb, tag, 0)))


@subcommand("tip")
async def tip(request: CoachRequest, args: list[str]) -> None:
    if [a.lower() for a in args] not in ([], ["random"]):
        await request.usage(f"I don't know “{escape(' '.join(args)[:40])}”.", "tip [random]")
        return
    core = request.ctx.core
    if args:
        shown, heading = random_tip(core.knowledge.kb, core.rng), "A tip"
    else:
        shown, heading = tip_of_the_day(core.knowledge.kb, core.clock().date()), "Tip of the day"
    if shown is None:
        await request.reply(NO_TIPS)
        return
    await request.reply(**tip_message(shown, heading))


# ---- mentions and DMs ----------------------------------------------------------------------


async def _reply_in_thread(
    ctx: SlackContext, client: AsyncWebClient, body: dict[str, Any], event: dict[str, Any]
) -> None:
    """A question by mention or DM: the answer goes back where it was asked (a mention's in
    its thread), seen by that conversation; cards there have no Share button."""
    channel = str(event.get("channel") or "")
    team_id = str(body.get("team_id") or event.get("team") or "")
    user = str(event.get("user") or "")
    wait = await wait_for(ctx, "message", team_id, user)
    if wait:  # told privately: the thread stays for answers
        await private(client, slow_down(wait), channel=channel, user=user)
        return
    team = ids.team_key(team_id)
    shown = await answer(ctx, str(event.get("text") or ""), team, shareable=False)
    thread = event.get("thread_ts") or (None if channel.startswith("D") else event.get("ts"))
    extra = {"thread_ts": thread} if thread else {}
    await client.chat_postMessage(channel=channel, unfurl_links=False, **shown, **extra)


# ---- buttons ---------------------------------------------------------------------------------


def _topic(ctx: SlackContext, topic_id: str | None) -> Topic:
    topic = ctx.core.knowledge.kb.topic(topic_id) if topic_id else None
    if topic is None:
        raise CoachError(card_gone_text(COMMANDS))
    return topic


async def _send_card(click: Click, topic: Topic) -> None:
    """A card for the person who clicked, privately; the clicked message stays."""
    shareable = bool(click.channel_id) and not click.in_dm and bool(click.body.get("response_url"))
    await click.reply(**card_message(click.ctx, topic, shareable=shareable))


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    @bolt.event("app_mention")
    async def mentioned(ack: Any, body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        await ack()
        await _reply_in_thread(ctx, client, body, event)

    @bolt.event("message")
    async def direct_message(
        ack: Any, body: dict[str, Any], event: dict[str, Any], client: Any
    ) -> None:
        await ack()
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and bots' messages are not questions
        await _reply_in_thread(ctx, client, body, event)

    @on_button(bolt, ctx, actions.SHARE)
    async def share(click: Click) -> None:
        topic = _topic(ctx, click.match["topic"])
        if click.in_dm or not click.body.get("response_url"):
            raise CoachError(NOT_SHAREABLE)
        shown = card_message(ctx, topic, shareable=False)
        await click.respond(response_type="in_channel", replace_original=False, **shown)
        await click.reply(SHARED)

    @on_button(bolt, ctx, actions.VOTE)
    async def vote(click: Click) -> None:
        topic = _topic(ctx, click.match["topic"])
        helpful = click.match["helpful"] == "1"
        outcome = await ctx.core.feedback.vote(
            topic.id,
            helpful,
            card=ids.channel_key(f"{click.channel_id}:{click.message_ts}"),
            voter=click.agent,
            guild_id=click.team,
        )
        token = click.match["token"]
        if not helpful and token:
            await ctx.core.suggestions.not_helpful(token)
        await click.reply(VOTE_REPLIES[outcome, helpful])

    @on_button(bolt, ctx, actions.OPEN)
    async def open_topic(click: Click) -> None:
        topic = _topic(ctx, click.match["topic"])
        token = click.match["token"]
        if token:  # counts only after "Not helpful"
            await ctx.core.suggestions.pick(token, topic.id, RELATED)
        await _send_card(click, topic)

    @on_button(bolt, ctx, actions.CHOOSE)
    async def choose(click: Click) -> None:
        topic_id = None if click.match["topic"] == "-" else click.match["topic"]
        topic = _topic(ctx, topic_id) if topic_id else None
        token = click.match["token"]
        if token:
            via = CLARIFY if click.match["via"] == VIA_CLARIFY else DECLINE
            await ctx.core.suggestions.pick(token, topic_id, via)
        if topic is None:
            await click.reply(none_of_these_text(COMMANDS))
        else:
            await _send_card(click, topic)

    @on_button(bolt, ctx, actions.TOPICS)
    async def turn_page(click: Click) -> None:
        page = topic_page(
            ctx.core.knowledge.kb, click.match["tag"] or None, int(click.match["page"])
        )
        shown = topics_message(page)
        container = click.body.get("container") or {}
        if container.get("is_ephemeral") and click.body.get("response_url"):
            await click.respond(replace_original=True, **shown)  # turn the page in place
        else:
            await click.reply(**shown)
