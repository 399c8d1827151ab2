"""A card that was not helpful, then a related card: what the agent was looking for reaches
the trainers' suggestions, like a pick after a clarify or a decline."""

from __future__ import annotations

import re

from coachbot import actions
from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv

QUESTION = "the caller keeps shouting at me over a late parcel, what now"


def _related(reply) -> list[tuple[str, str]]:
    """(custom_id, topic) of the card's related-topic buttons."""
    found = [re.fullmatch(actions.OPEN, i) for i in button_ids(reply)]
    return [(m.group(0), m["topic"]) for m in found if m]


async def test_not_helpful_then_a_related_card_becomes_a_suggestion(env: DiscordEnv, app):
    card = await env.slash("ask", question=QUESTION)
    shown = card.embeds[0]["footer"]["text"].split()[1]
    [(related_id, related), *_] = _related(card)

    await env.click(card, "Not helpful")
    opened = await env.click(card, related_id)
    listed = await env.slash("kb suggestions", user=env.trainer)

    assert opened.ephemeral and opened.embeds[0]["title"] == app.knowledge.kb.by_id[related].title
    assert related != shown
    assert f"`{related}`: “{QUESTION}” · picked once: 1 after a Not helpful card" in listed.content


async def test_a_related_card_opened_without_not_helpful_is_no_suggestion(env: DiscordEnv):
    card = await env.slash("ask", question=QUESTION)
    [(related_id, _), *_] = _related(card)

    await env.click(card, related_id)
    await env.click(card, "Not helpful")  # too late: the token was used by the first click
    await env.click(card, related_id)
    listed = await env.slash("kb suggestions", user=env.trainer)

    assert QUESTION not in listed.content


async def test_old_buttons_without_a_token_still_vote_and_open(env: DiscordEnv, app):
    card = await env.slash("ask", question=QUESTION)
    topic = card.embeds[0]["footer"]["text"].split()[1]
    [(related_id, related), *_] = _related(card)
    stored = env.messages[int(card.message["id"])]
    for row in stored["components"]:  # as a bot from before the tokens drew them
        for button in row["components"]:
            button["custom_id"] = re.sub(
                r"^(cb:(?:vote|open):[^:]+(?::[01])?):.*$", r"\1", button["custom_id"]
            )

    voted = await env.click(stored, f"cb:vote:{topic}:0")
    opened = await env.click(stored, f"cb:open:{related}")

    assert voted.ephemeral and "trainers see" in voted.content
    assert opened.embeds[0]["title"] == app.knowledge.kb.by_id[related].title
    assert related_id != f"cb:open:{related}"  # the new one carried a token
