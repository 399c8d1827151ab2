"""Teammates' names leave a debrief: which names the bot knows depends on the members intent.

Discord sends a server's member list only to a bot with the privileged members intent
(COACHBOT_MEMBERS_INTENT=1); without it the bot knows the people it has seen: the author, and
whoever used the bot, wrote in its channels or was mentioned there since it started.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from coachbot.errors import CoachError
from cogs._bot import MEMBERS_REFUSED, _start, create_bot
from tests.cogs.conftest import CLIENT_OPTIONS
from tests.discord_harness import GUILD_ID, INTENT_MEMBERS, DiscordEnv, FakeUser

TEAMMATE_CALL = {
    "what_happened": "Zorvath took the call over halfway because the customer kept shouting.",
    "what_tried": "I explained the refund steps twice.",
    "what_worked": "",
    "next_time": "Hand over sooner.",
    "topic": "",
}


def _teammate(env: DiscordEnv) -> FakeUser:
    """A member of the server whose name is in no name list."""
    zorvath = FakeUser(GUILD_ID + 150, "Zorvath")
    env.members.append(zorvath)
    env.users[zorvath.id] = zorvath
    return zorvath


async def _preview(env: DiscordEnv):
    form = await env.slash("debrief write", user=env.ada)
    return await env.submit_modal(form, TEAMMATE_CALL, user=env.ada)


async def _stored_text(app) -> str:
    async with app.database.connection.execute("SELECT * FROM debriefs") as cursor:
        return str(list(await cursor.fetchall()))


async def test_with_the_members_intent_every_teammate_is_scrubbed(
    discord_env: DiscordEnv, app, bot_settings
):
    _teammate(discord_env)  # never used the bot
    settings = replace(bot_settings, members_intent=True)
    await discord_env.connect(create_bot(app, settings, **CLIENT_OPTIONS))

    preview = await _preview(discord_env)
    done = await discord_env.click(preview, "Submit anonymously", user=discord_env.ada)
    await discord_env.disconnect()

    assert discord_env.identifies[0]["intents"] & INTENT_MEMBERS
    assert "Zorvath" not in str(preview.callback) and "[name] took the call" in str(
        preview.callback
    )
    assert "Deletion code" in done.content
    assert "Zorvath" not in await _stored_text(app)


async def test_without_it_a_teammate_who_used_the_bot_is_scrubbed(env: DiscordEnv, app):
    zorvath = _teammate(env)  # joined after the bot connected: not in its cache either way
    await env.slash("help", user=zorvath)

    preview = await _preview(env)

    assert not env.identifies[0]["intents"] & INTENT_MEMBERS  # the default asks for no members
    assert "Zorvath" not in str(preview.callback)


async def test_without_it_a_teammate_who_wrote_or_was_mentioned_is_scrubbed(env: DiscordEnv, app):
    zorvath, quiet = _teammate(env), FakeUser(GUILD_ID + 151, "Quillon")
    env.members.append(quiet)
    env.users[quiet.id] = quiet
    await env.say(f"thanks <@{quiet.id}> for the cover", user=zorvath, expect_reply=False)

    form = await env.slash("debrief write", user=env.ada)
    preview = await env.submit_modal(
        form,
        {**TEAMMATE_CALL, "what_tried": "Quillon listened in and passed me notes."},
        user=env.ada,
    )

    shown = str(preview.callback)
    assert "Zorvath" not in shown and "Quillon" not in shown


async def test_the_members_intent_switched_off_in_the_portal_gets_a_clear_message(
    discord_env: DiscordEnv, app, bot_settings
):
    discord_env.portal_intents &= ~INTENT_MEMBERS
    bot = create_bot(app, replace(bot_settings, members_intent=True), **CLIENT_OPTIONS)

    with pytest.raises(CoachError) as refused:
        await _start(bot, discord_env.token, connect=True)

    assert refused.value.user_message == MEMBERS_REFUSED
    assert "Server Members Intent" in MEMBERS_REFUSED
