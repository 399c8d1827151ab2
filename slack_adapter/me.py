"""`/coach me data` shows an agent what CoachBot stores about them; `/coach me forget` deletes
it after a confirmation only they can give (the button's id names them). Both are private.
The words are the core's (coachbot.views.me), as on Discord's /me."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from coachbot import actions
from coachbot.insights.personal import PersonalData
from coachbot.views.me import (
    CANCELLED,
    confirm_text,
    forget_actions,
    forgotten_text,
    my_data_view,
    not_yours,
    nothing_to_forget,
)
from slack_adapter.blocks.actions import Block, actions_blocks, context, plain, section
from slack_adapter.buttons import Click, on_button
from slack_adapter.commands import COMMAND, CoachRequest, subcommand
from slack_adapter.context import SlackContext
from slack_adapter.text import escape

FORGET = f"{COMMAND} me forget"
USAGE = "me data | me forget"


def _personal(ctx: SlackContext) -> PersonalData:
    return ctx.core.personal


@subcommand("me")
async def me_command(request: CoachRequest, args: list[str]) -> None:
    word = args[0].lower() if args else ""
    if word == "data" and len(args) == 1:
        await show(request)
    elif word == "forget" and len(args) == 1:
        await ask_to_forget(request)
    else:
        problem = f"There is no `me {escape(' '.join(args)[:40])}`." if args else "Data or forget?"
        await request.usage(problem, USAGE)


async def show(request: CoachRequest) -> None:
    team = None if request.in_dm else request.team
    mine = await _personal(request.ctx).show(request.agent, team)
    shown = my_data_view(mine, request.ctx.core.clock().date(), forget_command=FORGET)
    blocks: list[Block] = [{"type": "header", "text": plain(shown.title, 150)}]
    if shown.empty:
        blocks.append(section(escape(shown.empty)))
    for heading, text in shown.sections:
        blocks.append(section(f"*{escape(heading)}*\n{escape(text)}"))
    blocks.append(context(escape(shown.footer)))
    await request.reply(escape(shown.title), blocks=blocks)


async def ask_to_forget(request: CoachRequest) -> None:
    mine = await _personal(request.ctx).show(request.agent)
    if mine.empty:
        await request.reply(escape(nothing_to_forget()))
        return
    text = escape(confirm_text(mine))
    choices = forget_actions(request.user_id)
    await request.reply(text, blocks=[section(text), *actions_blocks(choices)])


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    """The confirm buttons; `/coach me` is in the registry."""

    @on_button(bolt, ctx, actions.FORGET)
    async def forget_clicked(click: Click) -> None:
        if click.user_id != click.match["user"]:
            await click.reply(escape(not_yours(FORGET)))
            return
        if click.match["action"] == "no":
            await click.respond(text=CANCELLED, replace_original=True)
            return
        gone = await _personal(ctx).forget(click.agent)
        await click.respond(text=escape(forgotten_text(gone)), replace_original=True)
