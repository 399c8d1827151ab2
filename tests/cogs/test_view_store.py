"""Replies whose buttons are all DynamicItems leave nothing behind in discord.py: no stored
view, no 15-minute timeout task per ephemeral reply (under load these added up to hundreds of
MB). Their buttons still work, because discord.py dispatches them by their registered class."""

from __future__ import annotations

import asyncio

import discord
import pytest

from cogs._views import DynamicView, OpenTopicButton, card_view
from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv


def _view_timeouts() -> list[asyncio.Task]:
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done() and "timeout_task_impl" in getattr(t.get_coro(), "__qualname__", "")
    ]


async def test_a_card_reply_keeps_no_view_and_starts_no_timeout(env: DiscordEnv):
    store = env.coachbot._connection._view_store  # type: ignore[attr-defined]
    reply = await env.slash("ask", question="customer keeps screaming at me, what do I do")

    assert "cb:vote:stay-calm:1" in button_ids(reply)
    assert _view_timeouts() == []
    assert store._views == {} and store._synced_message_views == {}
    vote = await env.click(reply, "Helpful")  # still dispatched, by the item's class
    assert vote.ephemeral and vote.content


async def test_the_same_card_view_serves_every_reply_and_knows_its_buttons(env: DiscordEnv, app):
    topic = app.knowledge.kb.by_id["stay-calm"]
    first = card_view(topic, app.knowledge.kb.by_id, shareable=True)
    assert card_view(topic, app.knowledge.kb.by_id, shareable=True) is first
    public = card_view(topic, app.knowledge.kb.by_id, shareable=False)
    assert public is not first
    assert "cb:share:stay-calm" not in [c.custom_id for c in public.children]


def test_a_dynamic_view_refuses_a_plain_button_whose_clicks_would_be_lost():
    view = DynamicView()
    view.add_item(OpenTopicButton("stay-calm", "Stay calm"))
    with pytest.raises(TypeError):
        view.add_item(discord.ui.Button(label="plain", custom_id="plain"))
    assert view.is_finished()  # so discord.py never stores it


def test_quiz_feedback_is_rendered_once_per_question_and_outcome(app):
    from coachbot.quiz.service import AnswerFeedback, AnswerKind
    from cogs._quiz_render import feedback_embed

    kb = app.knowledge.kb
    item = kb.quiz[0]
    right = AnswerFeedback(AnswerKind.RECORDED, item, item.answer, True)
    wrong = AnswerFeedback(AnswerKind.RECORDED, item, item.answer, False)
    assert feedback_embed(right, kb) is feedback_embed(right, kb)
    assert feedback_embed(wrong, kb)[0].title != feedback_embed(right, kb)[0].title
