"""The real Slack app, built by create_slack_app, served to the loopback Slack over signed HTTP."""

from __future__ import annotations

from dataclasses import replace

import pytest

from slack_adapter import access
from slack_adapter.app import create_slack_app
from slack_adapter.context import SlackContext
from tests.slack_harness import (
    TRAINER_GROUP,
    SlackEnv,
    slack_env_fixture,  # noqa: F401  (provides the `slack_env` fixture)
)


@pytest.fixture
def slack_settings(settings, slack_env: SlackEnv):
    return replace(
        settings,
        slack_bot_token=slack_env.bot_token,
        slack_signing_secret=slack_env.signing_secret,
        slack_trainer_group=TRAINER_GROUP,
        watch_knowledge=False,
    )


@pytest.fixture
async def env(slack_env: SlackEnv, app, slack_settings) -> SlackEnv:
    """A conversation with CoachBot in the Support Floor workspace, over signed HTTP."""
    access.forget_cache()  # who is a trainer is decided afresh in every test
    bolt = create_slack_app(app, slack_settings, client=slack_env.client())
    slack_env.bolt = bolt  # type: ignore[attr-defined]
    await slack_env.serve(bolt)
    slack_env.ctx = SlackContext(core=app, settings=slack_settings)  # type: ignore[attr-defined]
    return slack_env
