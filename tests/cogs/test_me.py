"""An agent sees what CoachBot stores about them, and deletes it after confirming."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coachbot.store.practice import PracticeCard, PracticeStore
from coachbot.store.quiz import QuizStore
from tests.cogs.conftest import button_ids
from tests.discord_harness import GUILD_ID, DiscordEnv

DAY = date(2026, 11, 20)


async def _answers(app, agent: int, topics: list[tuple[str, bool]]) -> None:
    quiz = QuizStore(app.database)
    post = await quiz.create_post(
        guild_id=str(GUILD_ID),
        channel_id="1",
        local_date=DAY,
        claimed_at=datetime(2026, 11, 20, 8, tzinfo=UTC),
    )
    items = [(f"{topic}-{n}", topic) for n, (topic, _) in enumerate(topics)]
    await quiz.add_items(post, items)
    for (item, topic), (_, correct) in zip(items, topics, strict=True):
        await quiz.record_answer(
            post_id=post,
            item_id=item,
            topic_id=topic,
            agent_id=str(agent),
            choice=0,
            correct=correct,
            day=DAY,
        )


async def _stored(app, agent: int) -> int:
    total = 0
    for table in ("quiz_answers", "practice_cards", "streak_pauses"):
        async with app.database.connection.execute(
            f"SELECT COUNT(*) FROM {table} WHERE agent_id = ?", (str(agent),)
        ) as cursor:
            total += (await cursor.fetchone())[0]
    return total


async def _seed(env: DiscordEnv, app) -> None:
    await _answers(
        app, env.ada.id, [("stay-calm", True), ("long-wait", False), ("stay-calm", False)]
    )
    await _answers(app, env.ben.id, [("show-empathy", True)] * 2)
    practice = PracticeStore(app.database)
    await practice.put(
        str(env.ada.id), PracticeCard("long-wait-1", "long-wait", 1, date(2026, 11, 24))
    )
    await practice.add_pause(str(env.ada.id), str(GUILD_ID), date(2026, 12, 1), date(2026, 12, 3))


async def test_me_data_shows_my_own_quiz_practice_and_pauses_privately(env: DiscordEnv, app):
    await _seed(env, app)

    reply = await env.slash("me data", user=env.ada)

    assert reply.ephemeral
    [embed] = reply.embeds
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    kb = app.knowledge.kb.by_id
    assert fields["Quiz answers (3, 1 right)"] == (
        f"{kb['long-wait'].title}: 0 of 1 right\n{kb['stay-calm'].title}: 1 of 2 right"
    )
    assert fields["Practice cards (1)"] == f"{kb['long-wait'].title} · box 1 · due tomorrow"
    assert fields["Streak pauses"] == "2026-12-01 to 2026-12-03"
    assert "Streak in this server" in fields
    assert "without your name or id" in fields["Not linked to you"]
    assert kb["show-empathy"].title not in str(embed)  # Ben's topic, not Ada's


async def test_me_data_with_nothing_stored_says_so(env: DiscordEnv):
    reply = await env.slash("me data", user=env.ben)
    assert reply.ephemeral and "nothing is linked to you" in reply.embeds[0]["description"]


async def test_me_forget_deletes_my_data_after_i_confirm_and_only_mine(env: DiscordEnv, app):
    await _seed(env, app)

    ask = await env.slash("me forget", user=env.ada)
    assert ask.ephemeral and "3 quiz answers, 1 practice card and 1 streak pause" in ask.content
    assert await _stored(app, env.ada.id) == 5  # nothing happens before the click

    done = await env.click(ask, "Delete my data", user=env.ada)

    assert done.callback["type"] == 7 and done.components == []
    assert done.content.startswith("Deleted 3 quiz answers, 1 practice card and 1 streak pause.")
    assert await _stored(app, env.ada.id) == 0
    assert await _stored(app, env.ben.id) == 2

    again = await env.slash("me forget", user=env.ada)
    assert "nothing to delete" in again.content and again.components == []


async def test_cancel_keeps_everything(env: DiscordEnv, app):
    await _seed(env, app)

    ask = await env.slash("me forget", user=env.ada)
    done = await env.click(ask, "Cancel", user=env.ada)

    assert done.content == "Cancelled. Nothing was deleted." and done.components == []
    assert await _stored(app, env.ada.id) == 5


async def test_nobody_else_can_confirm_my_deletion(env: DiscordEnv, app):
    await _seed(env, app)
    # Ben cannot see Ada's private message; a tampering client forges her button into his.
    ben = await env.slash("me forget", user=env.ben)
    [yes] = [i for i in button_ids(ben) if i.startswith("cb:me-forget:yes:")]
    stored = env.messages[int(ben.message["id"])]
    for row in stored["components"]:
        for button in row["components"]:
            if button["custom_id"] == yes:
                button["custom_id"] = f"cb:me-forget:yes:{env.ada.id}"

    forged = await env.click(ben, f"cb:me-forget:yes:{env.ada.id}", user=env.ben)

    assert forged.ephemeral and "Only the person who asked" in forged.content
    assert await _stored(app, env.ada.id) == 5
    assert await _stored(app, env.ben.id) == 2


async def test_a_second_delete_click_is_harmless(env: DiscordEnv, app):
    await _seed(env, app)
    ask = await env.slash("me forget", user=env.ada)
    before = [dict(c) for row in ask.components for c in row["components"]]
    first = await env.click(ask, "Delete my data", user=env.ada)
    assert first.content.startswith("Deleted")
    # a second client (or a double click) still showing the old buttons
    env.messages[int(ask.message["id"])]["components"] = [{"type": 1, "components": before}]

    second = await env.click(ask, "Delete my data", user=env.ada)

    assert second.content.startswith("Nothing left to delete")
    assert await _stored(app, env.ben.id) == 2
