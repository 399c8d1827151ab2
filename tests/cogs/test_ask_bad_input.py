"""Hostile and broken input gets a clear reply; the harness fails the test on any logged error."""

from __future__ import annotations

from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv

EPHEMERAL = 64


def _forge(env: DiscordEnv, message: dict, old: str, new: str) -> dict:
    """Rewrite a button's custom_id in a stored message, as an older bot version or a
    tampering client would have it."""
    stored = env.messages[int(message["id"])]
    for row in stored["components"]:
        for component in row["components"]:
            if component.get("custom_id") == old:
                component["custom_id"] = new
                return stored
    raise AssertionError(f"no {old!r} in the message")


async def test_a_6000_character_question_gets_a_too_long_reply(env: DiscordEnv):
    reply = await env.slash("ask", question=("customer yelling " * 353)[:6000])
    assert reply.ephemeral and "longer than I can read" in reply.content


async def test_zero_width_characters_do_not_hide_the_question(env: DiscordEnv):
    reply = await env.slash(
        "ask", question="cus\u200btomer keeps scr\u200ceaming at\u2060 me\ufeff"
    )
    assert reply.embeds and reply.embeds[0]["title"].startswith("Stay calm")


async def test_only_zero_width_characters_ask_for_a_question(env: DiscordEnv):
    reply = await env.slash("ask", question="\u200b\u200b\u200d")
    assert reply.ephemeral and "Type a question" in reply.content


async def test_markdown_and_code_fences_are_read_as_words(env: DiscordEnv):
    question = "```py\nimport os\n```\n**customer** _keeps_ ~~yelling~~ at me `now` > quote"
    reply = await env.slash("ask", question=question)
    assert reply.embeds or "I don't have a card" in reply.content
    assert reply.callback["data"]["allowed_mentions"] == {"parse": []}


async def test_a_mention_storm_is_answered_once_and_pings_nobody(env: DiscordEnv):
    storm = " ".join(f"<@{env.ben.id}> <@&{env.trainer_role.id}> @everyone" for _ in range(60))
    replies = await env.say(f"{storm} customer swearing at me", mentions=[env.bot_user])
    [answer] = replies
    assert answer["mentions"] == [] and answer["mention_roles"] == []
    assert env.requests[-1].json["allowed_mentions"]["parse"] == []


async def test_a_mention_with_nothing_else_gets_the_help_text(env: DiscordEnv):
    [answer] = await env.say("", mentions=[env.bot_user])
    assert "Type a question" in answer["content"] or "/ask" in answer["content"]


async def test_a_button_for_a_topic_that_no_longer_exists_says_so(env: DiscordEnv):
    reply = await env.slash("ask", question="customer keeps screaming at me")
    forged = _forge(env, reply.message, "cb:vote:stay-calm:1", "cb:vote:no-such-topic:1")

    clicked = await env.click(forged, "cb:vote:no-such-topic:1")

    assert clicked.ephemeral and "no longer in the knowledge base" in clicked.content


async def test_a_malformed_custom_id_gets_an_expired_reply(env: DiscordEnv):
    reply = await env.slash("ask", question="customer keeps screaming at me")
    forged = _forge(env, reply.message, "cb:vote:stay-calm:1", "cb:open:../../etc/passwd")

    clicked = await env.click(forged, "cb:open:../../etc/passwd")

    assert clicked.ephemeral and "expired" in clicked.content


async def test_a_forged_topic_in_the_picker_is_refused(env: DiscordEnv):
    listing = await env.slash("topics")
    stored = env.messages[int(listing.message["id"])]
    picker = next(c for row in stored["components"] for c in row["components"] if c.get("options"))
    picker["options"].append({"label": "evil", "value": "'; DROP TABLE asks; --"})

    picked = await env.select(stored, "cb:pick", values=["'; DROP TABLE asks; --"])

    assert picked.ephemeral and "no longer in the knowledge base" in picked.content


async def test_an_unexpected_failure_gives_a_generic_reply_without_its_text(env: DiscordEnv, app):
    def explode(question: str):
        raise RuntimeError("secret internals: /data/coachbot.sqlite3")

    app.asks.answer = explode  # type: ignore[method-assign]
    reply = await env.slash("ask", question="customer yelling")

    assert reply.ephemeral and "something went wrong" in reply.content
    assert "secret" not in str(reply.callback)
    problems = env.take_problems()  # the traceback was logged for the operators
    assert any("secret internals" in p for p in problems)
    assert button_ids(reply) == []
