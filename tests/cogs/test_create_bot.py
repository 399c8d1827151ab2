"""The Discord adapter's composition root is one plain call, like Slack's create_slack_app."""

from __future__ import annotations

import inspect

from cogs._bot import CoachBot, create_bot, extension_names


async def test_create_bot_is_a_plain_call_that_returns_the_loaded_bot(app, settings):
    bot = create_bot(app, settings)
    try:
        assert isinstance(bot, CoachBot) and bot.app is app
        assert set(bot.extensions) == set(extension_names())
        assert not inspect.iscoroutinefunction(create_bot)
        assert not inspect.isawaitable(bot)  # one way to call it: no `await create_bot(...)`
    finally:
        await bot.close()
