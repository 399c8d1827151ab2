"""Unsure which card: "Which is closest?" with a button per topic and "None of these"."""

from __future__ import annotations

import pytest

from coachbot.knowledge import matcher as matcher_module
from cogs._views import NONE_OF_THESE
from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv

EPHEMERAL = 64
QUESTION = "customer keeps screaming at me on every call"


@pytest.fixture(autouse=True)
def never_sure(monkeypatch) -> None:
    monkeypatch.setattr(matcher_module, "ANSWER_FIRST", 1.01)  # every question clarifies


async def test_an_unsure_answer_asks_which_is_closest_privately(env: DiscordEnv, app):
    reply = await env.slash("ask", question=QUESTION)

    assert reply.callback["data"]["flags"] == EPHEMERAL and reply.embeds == []
    assert reply.content.startswith("Which is closest?")
    offered = app.asks.answer(QUESTION).alternatives
    ids = button_ids(reply)
    assert [i.split(":")[3] for i in ids] == [*(t.id for t in offered), "-"]
    assert all(i.startswith("cb:choose:c:") for i in ids)

    opened = await env.click(reply, ids[0])  # a click opens the card and counts the pick

    assert opened.ephemeral and opened.embeds[0]["title"] == offered[0].title
    [suggestion] = await app.suggestions.open()
    assert suggestion.topic.id == offered[0].id and suggestion.via_clarify == 1


async def test_none_of_these_is_noted_and_counts_no_topic(env: DiscordEnv, app):
    reply = await env.slash("ask", question=QUESTION)
    noted = await env.click(reply, "None of these")
    assert noted.ephemeral and noted.content == NONE_OF_THESE
    assert await app.suggestions.open() == []


async def test_the_buttons_carry_a_token_not_the_question(env: DiscordEnv):
    reply = await env.slash("ask", question=QUESTION)
    assert all(i.split(":")[4] for i in button_ids(reply))
    assert "screaming" not in " ".join(button_ids(reply))
