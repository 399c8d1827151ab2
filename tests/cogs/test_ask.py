"""Conversations with CoachBot about difficult customers, through the loopback Discord."""

from __future__ import annotations

import re
from datetime import timedelta

from coachbot import actions
from tests.cogs.conftest import CLIENT_OPTIONS, button_ids
from tests.discord_harness import GUILD_ID, DiscordEnv, message_text

EPHEMERAL = 64
NO_PINGS = {"parse": []}


def _opened(custom_id: str) -> str:
    """The topic a related-topic button opens (its id may also carry the ask's token)."""
    return re.fullmatch(actions.OPEN, custom_id)["topic"]


def _public(env: DiscordEnv) -> list[dict]:
    return [m for m in env.sent_messages(env.channel) if not m.get("flags", 0) & EPHEMERAL]


async def _asks(app) -> list[tuple[str, str | None, int]]:
    sql = "SELECT question, topic_id, answered FROM asks ORDER BY id"
    async with app.database.connection.execute(sql) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def _votes(app) -> list[tuple[str, int]]:
    sql = "SELECT topic_id, helpful FROM card_votes ORDER BY topic_id, helpful"
    async with app.database.connection.execute(sql) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def test_ask_answers_privately_with_a_card_and_its_buttons(env: DiscordEnv, app):
    reply = await env.slash("ask", question="customer keeps screaming at me, what do I do")

    assert reply.callback["type"] == 4
    assert reply.callback["data"]["flags"] == EPHEMERAL
    assert reply.callback["data"]["allowed_mentions"] == NO_PINGS
    [card] = reply.embeds
    stay_calm = app.knowledge.kb.by_id["stay-calm"]
    assert card["title"] == stay_calm.title
    assert [f["name"] for f in card["fields"]][:3] == ["Steps", "Say", "Avoid"]
    assert "Sources:" in card["footer"]["text"]
    ids = button_ids(reply)
    assert ids[:2] == ["cb:share:stay-calm", "cb:vote:stay-calm:1"]
    assert ids[2].startswith("cb:vote:stay-calm:0")  # Not helpful (with the ask's token)
    related = [_opened(i) for i in ids if i.startswith("cb:open:")]
    assert 1 <= len(related) <= 3
    assert related == list(stay_calm.related[: len(related)])


async def test_share_posts_the_card_publicly_and_pings_nobody(env: DiscordEnv):
    reply = await env.slash("ask", question="caller wants a refund we cannot give")
    shared = await env.click(reply, "Share in channel")

    assert shared.ephemeral and "Shared" in shared.content
    [public] = _public(env)
    assert public["embeds"][0]["title"] == reply.embeds[0]["title"]
    [post] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert post.json["allowed_mentions"] == NO_PINGS
    assert "cb:share:refund-not-possible" not in button_ids(public)  # already public


async def test_helpful_counts_once_per_agent_and_not_helpful_is_recorded(env: DiscordEnv, app):
    reply = await env.slash("ask", question="how do I calm down an angry caller")
    topic = reply.embeds[0]["footer"]["text"].split()[1]

    first = await env.click(reply, "Helpful")
    second = await env.click(reply, "Helpful")
    assert first.ephemeral and "glad it helped" in first.content
    assert "counts once" in second.content
    assert await _votes(app) == [(topic, 1)]

    shared = await env.click(reply, "Share in channel")
    assert shared.ephemeral
    [public] = _public(env)
    await env.click(public, "Not helpful", user=env.ben)
    assert await _votes(app) == [(topic, 0), (topic, 1)]


async def test_a_related_topic_button_opens_that_card(env: DiscordEnv, app):
    reply = await env.slash("ask", question="customer keeps screaming at me")
    related_id = next(i for i in button_ids(reply) if i.startswith("cb:open:"))

    opened = await env.click(reply, related_id)

    topic = app.knowledge.kb.by_id[_opened(related_id)]
    assert opened.ephemeral
    assert opened.embeds[0]["title"] == topic.title


async def test_a_declined_question_offers_the_closest_topics_and_is_logged(env: DiscordEnv, app):
    reply = await env.slash("ask", question="how do I reset my VPN password")

    assert reply.ephemeral and reply.embeds == []
    assert "I don't have a card for that yet" in reply.content
    ids = button_ids(reply)
    assert any(i.startswith("cb:choose:d:") for i in ids) and "cb:topics:0:" in ids
    [(question, _, answered)] = await _asks(app)
    assert question == "how do I reset my VPN password" and answered == 0


async def test_a_mention_gets_an_answer_in_the_channel(env: DiscordEnv):
    replies = await env.say(
        "how do I deal with a customer who swears at me", mentions=[env.bot_user]
    )

    [answer] = replies
    assert "swears" in answer["embeds"][0]["title"]
    assert answer["message_reference"]["message_id"]
    [post] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert post.json["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_a_dm_gets_an_answer(env: DiscordEnv):
    [answer] = await env.dm("customer has been on hold for an hour and is furious")

    assert answer["embeds"][0]["title"].startswith("Customer angry about hold times")
    assert "cb:share:" not in " ".join(button_ids(answer))  # a DM is already private


async def test_each_ask_is_logged_with_its_team_and_never_its_asker(env: DiscordEnv, app):
    await env.slash("ask", question="customer keeps screaming at me")
    await env.say("customer swears at me", mentions=[env.bot_user])
    await env.dm("customer has been on hold for an hour")

    sql = "SELECT guild_id FROM asks ORDER BY id"
    async with app.database.connection.execute(sql) as cursor:
        teams = [row[0] for row in await cursor.fetchall()]
    assert teams == [str(GUILD_ID), str(GUILD_ID), None]  # a DM belongs to no team
    everything = await _asks(app)
    assert str(env.ada.id) not in repr(everything)


async def test_a_message_that_does_not_mention_the_bot_is_ignored(env: DiscordEnv):
    assert await env.say("customer keeps screaming at me", expect_reply=False) == []


async def test_everyone_in_a_question_pings_nobody(env: DiscordEnv):
    reply = await env.slash("ask", question="@everyone @here customer yelling at me <@&1>")
    assert reply.callback["data"]["allowed_mentions"] == NO_PINGS

    [answer] = await env.say("@everyone customer yelling", mentions=[env.bot_user])
    assert env.requests[-1].json["allowed_mentions"]["parse"] == []
    assert answer["mention_everyone"] is False


async def test_a_button_from_before_a_restart_still_works(
    discord_env: DiscordEnv, app, bot_settings
):
    from cogs._bot import create_bot

    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    reply = await discord_env.slash("ask", question="customer threatens to cancel")
    await discord_env.disconnect()

    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    voted = await discord_env.click(reply, "Helpful")
    await discord_env.disconnect()

    assert voted.ephemeral and "glad it helped" in voted.content
    assert await _votes(app) == [("threatens-to-leave", 1)]


async def test_autocomplete_offers_topic_titles_and_a_picked_title_opens_its_card(
    env: DiscordEnv, app
):
    choices = await env.autocomplete("ask", "question", "yell")
    titles = [c["name"] for c in choices]
    stay_calm = app.knowledge.kb.by_id["stay-calm"].title
    assert stay_calm in titles and len(choices) <= 25

    reply = await env.slash("ask", question=stay_calm)
    assert reply.embeds[0]["title"] == stay_calm


async def test_topics_pages_through_every_card_and_opens_one(env: DiscordEnv, app):
    listing = await env.slash("topics")
    assert listing.ephemeral and "Page 1 of" in listing.embeds[0]["footer"]["text"]

    following = await env.click(listing, "Next ▶")
    assert following.callback["type"] == 7  # the same private message turns the page
    assert "Page 2 of" in following.embeds[0]["footer"]["text"]

    picker = next(i for i in button_ids(following) if i == "cb:pick")
    first = next(
        o["value"] for c in following.components for o in c["components"][0].get("options", [])
    )
    opened = await env.select(following, picker, values=[first])
    assert opened.embeds[0]["title"] == app.knowledge.kb.by_id[first].title


async def test_topics_by_tag_lists_only_that_tag(env: DiscordEnv):
    listing = await env.slash("topics", tag="refund")
    assert "refund" in listing.embeds[0]["title"]
    assert "The customer wants a refund" in message_text(listing.message)


async def test_tip_gives_the_tip_of_the_day_with_a_link_to_its_card(env: DiscordEnv, app):
    reply = await env.slash("tip")
    assert reply.ephemeral and reply.embeds[0]["title"] == "Tip of the day"
    opened = await env.click(reply, next(i for i in button_ids(reply) if i.startswith("cb:open:")))
    assert opened.embeds and opened.ephemeral

    shuffled = await env.slash("tip", random=True)
    assert shuffled.embeds[0]["title"] == "A tip"


async def test_asking_too_fast_gets_a_friendly_slow_down(env: DiscordEnv):
    replies = [await env.slash("ask", question="customer yelling at me") for _ in range(6)]
    assert all(r.embeds for r in replies[:5])
    assert replies[5].ephemeral and "Slow down" in replies[5].content


async def test_the_ask_limit_runs_on_the_apps_clock_per_agent_and_per_route(env: DiscordEnv, clock):
    """The allowance is the core's (five per 30 s), counted on the clock the app was given."""
    for _ in range(5):
        await env.slash("ask", question="customer yelling at me")
    clock.now += timedelta(seconds=20)
    slowed = await env.slash("ask", question="customer yelling at me")
    other = await env.slash("ask", question="customer yelling at me", user=env.ben)
    by_dm = await env.dm("customer keeps yelling at me")  # questions by message count apart
    clock.now += timedelta(seconds=10)
    again = await env.slash("ask", question="customer yelling at me")

    assert "Slow down" in slowed.content and "10 s" in slowed.content
    assert other.embeds and again.embeds
    assert "Slow down" not in " ".join(m.get("content") or "" for m in by_dm)


async def test_help_explains_what_the_bot_does(env: DiscordEnv):
    reply = await env.slash("help")
    assert reply.ephemeral and "/ask" in reply.content
