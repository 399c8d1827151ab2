"""The App Home tab: help, the tip of the day, and the agent's own quiz stats and streak."""

from __future__ import annotations

from tests.slack_harness import SlackEnv, buttons, message_text


async def test_opening_home_shows_help_tip_and_own_stats(env: SlackEnv):
    await env.open_home(user=env.ben)
    home = env.home_of(env.ben)
    assert home is not None
    text = message_text(home)
    assert "Ask me how to handle a difficult customer" in text
    assert "Tip of the day" in text
    assert "Your quiz stats" in text and "Streak" in text and "0 quiz days" in text
    assert env.home_of(env.ada) is None  # only Ben's own tab was drawn


async def test_the_tips_button_in_home_sends_the_card_to_the_dm(env: SlackEnv):
    await env.open_home(user=env.ben)
    home = env.home_of(env.ben)
    [opener] = [b for b in buttons(home) if b["text"]["text"].startswith("Open: ")]
    await env.click(home, action_id=opener["action_id"])
    [card] = env.messages_in(env.dm_channel(env.ben))
    assert "*Steps*" in message_text(card)
