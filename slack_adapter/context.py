"""What every Slack feature module gets: the one core App and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from coachbot.app import App
from coachbot.settings import Settings
from slack_adapter import access


@dataclass(frozen=True)
class SlackContext:
    """Shared by the modules `create_slack_app` registers. `core` is the same App the Discord
    bot holds when both run, so a reload from either platform serves both."""

    core: App
    settings: Settings

    async def is_trainer(self, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
        return await access.is_trainer(client, team_id, user_id, self.settings)
