"""An agent on Slack sees what CoachBot stores about them, and deletes it after confirming."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coachbot.store.practice import PracticeCard, PracticeStore
from coachbot.store.quiz import QuizStore
from tests.slack_harness import TEAM_ID, SlackEnv, buttons, message_text

DAY = date(2026, 11, 20)
TEAM = f"slack:{TEAM_ID}"


def _agent(user) -> str:
    return f"slack:{TEAM_ID}:{user.id}"


async def _answers(app, agent: str, topics: list[tuple[str, bool]]) -> None:
    quiz = QuizStore(app.database)
    post = await quiz.create_post(
        guild_id=TEAM,
        channel_id="slack:C0COACHING",
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
            agent_id=agent,
            choice=0,
            correct=correct,
            day=DAY,
        )


async def _stored(app, agent: str) -> int:
    total = 0
    for table in ("quiz_answers", "practice_cards", "streak_pauses"):
        [(count,)] = await app.database.fetch(
            f"SELECT COUNT(*) FROM {table} WHERE agent_id = ?", (agent,)
        )
        total += count
    return total


async def _seed(env: SlackEnv, app) -> None:
    ada = _agent(env.ada)
    await _answers(app, ada, [("stay-calm", True), ("long-wait", False), ("stay-calm", False)])
    await _answers(app, _agent(env.ben), [("show-empathy", True)] * 2)
    practice = PracticeStore(app.database)
    await practice.put(ada, PracticeCard("long-wait-1", "long-wait", 1, date(2026, 11, 24)))
    await practice.add_pause(ada, TEAM, date(2026, 12, 1), date(2026, 12, 3))


async def test_me_data_shows_my_own_quiz_practice_and_pauses_privately(env: SlackEnv, app):
    await _seed(env, app)

    turn = await env.command("/coach", "me data", user=env.ada)

    [reply] = turn.replies
    assert turn.messages == [] and reply["recipient"] == env.ada.id
    shown = message_text(reply)
    kb = app.knowledge.kb.by_id
    assert (
        f"*Quiz answers (3, 1 right)*\n{kb['long-wait'].title}: 0 of 1 right\n"
        f"{kb['stay-calm'].title}: 1 of 2 right"
    ) in shown
    assert f"{kb['long-wait'].title} · box 1 · due tomorrow" in shown
    assert "2026-12-01 to 2026-12-03" in shown and "Streak in this server" in shown
    assert "without your name or id" in shown and "/coach me forget deletes" in shown
    assert kb["show-empathy"].title not in shown  # Ben's topic, not Ada's


async def test_me_data_with_nothing_stored_says_so(env: SlackEnv):
    turn = await env.command("/coach", "me data", user=env.ben)
    assert "nothing is linked to you" in turn.text


async def test_me_forget_deletes_my_data_after_i_confirm_and_only_mine(env: SlackEnv, app):
    await _seed(env, app)

    ask = await env.command("/coach", "me forget", user=env.ada)
    [confirm] = ask.replies
    assert "3 quiz answers, 1 practice card and 1 streak pause" in ask.text
    assert [b["text"]["text"] for b in buttons(confirm)] == ["Delete my data", "Cancel"]
    assert await _stored(app, _agent(env.ada)) == 5  # nothing happens before the click

    done = await env.click(confirm, "Delete my data")

    assert done.replies == [] and buttons(confirm) == []  # the question became the answer
    assert message_text(confirm).startswith(
        "Deleted 3 quiz answers, 1 practice card and 1 streak pause."
    )
    assert await _stored(app, _agent(env.ada)) == 0
    assert await _stored(app, _agent(env.ben)) == 2

    again = await env.command("/coach", "me forget", user=env.ada)
    assert "nothing to delete" in again.text and buttons(again.replies[0]) == []


async def test_cancel_keeps_everything(env: SlackEnv, app):
    await _seed(env, app)
    ask = await env.command("/coach", "me forget", user=env.ada)

    await env.click(ask.replies[0], "Cancel")

    assert message_text(ask.replies[0]) == "Cancelled. Nothing was deleted."
    assert await _stored(app, _agent(env.ada)) == 5


async def test_nobody_else_can_confirm_my_deletion(env: SlackEnv, app):
    await _seed(env, app)
    ask = await env.command("/coach", "me forget", user=env.ada)

    forged = await env.click(ask.replies[0], "Delete my data", user=env.ben)

    assert "Only the person who asked can confirm this" in forged.text
    assert "`/coach me forget`" in forged.text
    assert await _stored(app, _agent(env.ada)) == 5
    assert await _stored(app, _agent(env.ben)) == 2


async def test_a_bad_me_word_gets_the_usage_and_changes_nothing(env: SlackEnv, app):
    await _seed(env, app)
    for text in ("me", "me delete", "me forget everything"):
        turn = await env.command("/coach", text, user=env.ada)
        assert "Usage: `/coach me data | me forget`" in turn.text
    assert await _stored(app, _agent(env.ada)) == 5
