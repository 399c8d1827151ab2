"""An agent types something that is not a question: a short helpful reply, never a card."""

from __future__ import annotations

from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv


async def test_no_gets_asked_for_a_question_not_the_saying_no_card(env: DiscordEnv):
    reply = await env.slash("ask", question="no")
    assert reply.ephemeral and reply.embeds == []
    assert "doesn't look like a question" in reply.content
    assert button_ids(reply) == []


async def test_a_command_typed_to_the_bot_points_at_the_slash_commands(env: DiscordEnv):
    [answer] = await env.say("clear", mentions=[env.bot_user])
    assert answer["embeds"] == []
    assert "`clear` is not a command" in answer["content"] and "`/topics`" in answer["content"]

    [answer] = await env.dm("!help")
    assert "/ask" in answer["content"] and answer["embeds"] == []


async def test_everyone_in_a_question_still_gets_the_card(env: DiscordEnv, app):
    reply = await env.slash("ask", question="@everyone customer keeps screaming at me")
    stay_calm = app.knowledge.kb.by_id["stay-calm"]
    assert reply.embeds and reply.embeds[0]["title"] == stay_calm.title

    [answer] = await env.say(
        "@here <#41771983423143937> customer keeps screaming at me :angry:",
        mentions=[env.bot_user],
    )
    assert answer["embeds"][0]["title"] == stay_calm.title
