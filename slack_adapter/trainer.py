"""Trainers' commands on Slack: `/coach kb reload | stale | status | suggestions [topic]` and
`/coach report [7d|30d|90d] [since]`. Everything is private: the report's text as an ephemeral
reply, its chart (PNG) and CSV uploaded to the trainer's DM with the app, never to a channel.

Trainers are workspace admins and owners and the members of COACHBOT_SLACK_TRAINER_GROUP
(slack_adapter.access); everyone else gets the core's refusal and nothing changes.
"""

from __future__ import annotations

import asyncio

from slack_bolt.async_app import AsyncApp

from coachbot import actions
from coachbot.errors import CoachError
from coachbot.insights.models import parse_period
from coachbot.insights.render import nothing_yet, render_csv
from coachbot.insights.service import InsightsService
from coachbot.knowledge.watch import is_watching
from coachbot.replies import NO_PERMISSION
from coachbot.suggestions import SuggestionService, decision_actions
from slack_adapter.blocks import trainer as render
from slack_adapter.blocks.actions import Block, actions_blocks, section
from slack_adapter.buttons import Click, on_button
from slack_adapter.commands import CoachRequest, subcommand
from slack_adapter.context import SlackContext
from slack_adapter.text import escape

KB_USAGE = "kb reload | kb stale | kb status | kb suggestions [topic]"
REPORT_USAGE = "report [7d | 30d | 90d] [since YYYY-MM-DD]"


def _suggestions(ctx: SlackContext) -> SuggestionService:
    return ctx.core.suggestions


def _insights(ctx: SlackContext) -> InsightsService:
    return ctx.core.insights


async def _trainer(request: CoachRequest) -> bool:
    if await request.is_trainer():
        return True
    await request.reply(NO_PERMISSION)
    return False


# ---- /coach kb ------------------------------------------------------------------------------


@subcommand("kb")
async def kb_command(request: CoachRequest, args: list[str]) -> None:
    if not await _trainer(request):
        return
    word = args[0].lower() if args else ""
    core = request.ctx.core
    if word == "reload" and len(args) == 1:
        result = await core.reloader.reload()
        await _say(request, render.KB.reload_text(result, core.settings.knowledge_dir))
    elif word == "stale" and len(args) == 1:
        await _say(request, render.KB.stale_text(await core.freshness.stale()))
    elif word == "status" and len(args) == 1:
        watching = is_watching(core)  # the App's one watcher (slack_adapter.runner)
        await _say(request, render.KB.status_text(core.reloader.status(), watching=watching))
    elif word == "suggestions" and len(args) <= 2:
        await suggestions(request, args[1] if len(args) == 2 else None)
    else:
        problem = f"There is no `kb {escape(' '.join(args)[:40])}`." if args else "Which one?"
        await request.usage(problem, KB_USAGE)


async def _say(request: CoachRequest, text: str) -> None:
    await request.reply(text, blocks=[section(text)])


def _suggestion_blocks(text: str, found: list, topic: str | None) -> list[Block]:
    return [section(text), *actions_blocks(decision_actions(found, topic))]


async def suggestions(request: CoachRequest, topic: str | None) -> None:
    service = _suggestions(request.ctx)
    topic = (topic or "").strip().casefold() or None
    if topic is not None and request.ctx.core.knowledge.kb.topic(topic) is None:
        shown = escape(topic[:60].replace("`", "'"))
        await request.usage(f"There is no topic `{shown}`. `/coach topics` lists them.", KB_USAGE)
        return
    found = await service.open(topic)
    text = render.KB.suggestions_text(found)
    await request.reply(text, blocks=_suggestion_blocks(text, found, topic))


# ---- /coach report --------------------------------------------------------------------------


@subcommand("report")
async def report_command(request: CoachRequest, args: list[str]) -> None:
    if not await _trainer(request):
        return
    service = _insights(request.ctx)
    if len(args) > 2:
        await request.usage("Give a period, a first day, or both.", REPORT_USAGE)
        return
    try:  # a first day overrides the period, as on Discord
        chosen = parse_period(args[-1] if args else None, service.today())
        if len(args) == 2:
            parse_period(args[0], service.today())  # a bad period is named even so
    except CoachError as problem:
        await request.usage(escape(problem.user_message), REPORT_USAGE)
        return
    report = await service.report(chosen, request.team)
    if report.empty:
        await request.reply(escape(nothing_yet(report)))
        return
    blocks = render.report_blocks(report)
    await request.reply(escape(f"What to train next · {report.period}"), blocks=blocks)
    await upload_privately(request, report)


async def upload_privately(request: CoachRequest, report) -> None:
    """The chart and the CSV, in the trainer's DM with the app: never in a channel."""
    from coachbot.insights.chart import render_chart  # matplotlib: only when asked

    png = await asyncio.to_thread(render_chart, report)
    name = f"coachbot-{report.period.since}-{report.period.until}"
    opened = await request.client.conversations_open(users=request.user_id)
    await request.client.files_upload_v2(
        channel=opened["channel"]["id"],
        initial_comment=escape(f"Your report for {report.period}: the chart and every figure."),
        file_uploads=[
            {"content": png, "filename": f"{name}.png", "title": "Topics by weakness"},
            {
                "content": render_csv(report).encode("utf-8-sig"),  # the BOM: Excel reads UTF-8
                "filename": f"{name}.csv",
                "title": "Every figure of the report",
            },
        ],
    )


# ---- buttons --------------------------------------------------------------------------------


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    """Accept / Reject under `/coach kb suggestions`, checked again on every click."""

    @on_button(bolt, ctx, actions.SUGGESTION)
    async def decided(click: Click) -> None:
        if not await click.is_trainer():
            await click.reply(NO_PERMISSION)
            return
        service = _suggestions(ctx)
        number, accept = int(click.match["id"]), click.match["act"] == "a"
        topic = click.match["topic"] or None
        try:
            decide = service.accept if accept else service.reject
            head = render.KB.decision_text(await decide(number))
        except CoachError as exc:  # already decided, gone, or would fail the lint: say so
            head = render.KB.refusal_text(exc, ctx.core.settings.knowledge_dir)
        found = await service.open(topic)
        text = render.KB.suggestions_text(found, head=head)
        blocks = _suggestion_blocks(text, found, topic)
        await click.respond(text=text, blocks=blocks, replace_original=True)
