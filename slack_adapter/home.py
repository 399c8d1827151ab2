"""The App Home tab: what CoachBot does, the tip of the day, and the agent's own quiz stats.

Published with `views.publish` each time the agent opens the Home tab, so it is always fresh.
The stats are the agent's own (their Slack key in this workspace), never anyone else's.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from coachbot.browse import tip_of_the_day
from coachbot.views import quiz as quiz_views
from slack_adapter import ids
from slack_adapter.ask import HELP_TEXT
from slack_adapter.blocks import quiz as quiz_blocks
from slack_adapter.blocks.actions import Block, section
from slack_adapter.blocks.card import header, tip_message
from slack_adapter.context import SlackContext

PRACTICE_COMMAND = "/coach quiz practice"
DIVIDER: Block = {"type": "divider"}


async def home_view(ctx: SlackContext, team_id: str, user_id: str) -> dict[str, Any]:
    """The Home tab for one agent."""
    core = ctx.core
    blocks: list[Block] = [header("CoachBot"), section(HELP_TEXT), DIVIDER]
    tip = tip_of_the_day(core.knowledge.kb, core.clock().date())
    if tip is not None:
        blocks += tip_message(tip, "Tip of the day")["blocks"]
    stats = await core.quiz.stats(ids.agent_key(team_id, user_id), ids.team_key(team_id))
    shown = quiz_views.stats(stats, core.knowledge.kb, PRACTICE_COMMAND)
    blocks += [DIVIDER, *quiz_blocks.stats(shown)["blocks"]]
    return {"type": "home", "blocks": blocks}


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    @bolt.event("app_home_opened")
    async def opened(ack: Any, body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        await ack()
        if event.get("tab", "home") != "home":
            return  # the Messages tab: nothing to draw
        user = str(event.get("user") or "")
        team = str(body.get("team_id") or "")
        await client.views_publish(user_id=user, view=await home_view(ctx, team, user))
