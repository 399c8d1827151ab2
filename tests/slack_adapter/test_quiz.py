"""A team's daily quiz on Slack: trainers schedule it with /coach quiz, agents click, it closes."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from coachbot.quiz.schedule import parse_schedule
from coachbot.scheduler import Transient, Unreachable
from coachbot.store.quiz import QuizStore
from coachbot.views.debrief import DigestEntry, DigestPage, debrief_view, helped_action
from coachbot.views.quiz import QuizPost, QuizQuestion
from slack_adapter import quiz as slack_quiz
from slack_adapter.app import create_slack_app
from slack_adapter.context import SlackContext
from slack_adapter.poster import SlackPoster
from tests.slack_harness import (
    CHANNEL,
    TEAM_ID,
    SlackEnv,
    buttons,
    message_text,
    pings,
)

USAGE = "Usage: `/coach quiz subscribe HH:MM Zone [weekdays] [questions] [window_hours]`"


async def tick(env: SlackEnv) -> None:
    """One round of the Slack scheduler, as the runner's timer does it."""
    await slack_quiz.tick(env.ctx, env.client())  # type: ignore[attr-defined]


async def schedule_rows(app) -> list[Any]:
    return await app.database.fetch("SELECT * FROM quiz_schedules")


def quiz_ids(message: dict[str, Any]) -> list[str]:
    return [b["action_id"] for b in buttons(message) if b["action_id"].startswith("cb:quiz:")]


async def subscribe_now(env: SlackEnv, clock, *extra: str) -> dict[str, Any]:
    """Tara (a trainer by the user group) schedules the quiz for this very minute; a tick
    posts it."""
    local = clock.now + timedelta(hours=1)  # the fake clock is UTC; Berlin is UTC+1 in November
    turn = await env.command(
        "/coach", f"quiz subscribe {local:%H:%M} Europe/Berlin {' '.join(extra)}", user=env.tara
    )
    assert "Quizzes for this channel: Mon–Fri" in turn.text, turn.text
    await tick(env)
    [post] = env.messages_in(CHANNEL)
    return post


async def right_choice(app, post: dict[str, Any], position: int = 0) -> int:
    """The correct choice of one question of the post, from the store and knowledge base."""
    post_id = int(quiz_ids(post)[0].split(":")[2])
    row = await QuizStore(app.database).post(post_id)
    item_id, _ = row.items[position]
    return app.knowledge.kb.quiz_by_id[item_id].answer


def answer_id(post: dict[str, Any], choice: int, position: int = 0) -> str:
    post_id = quiz_ids(post)[0].split(":")[2]
    return f"cb:quiz:{post_id}:{position}:{choice}"


# ---- subscribe ------------------------------------------------------------------------------


async def test_a_trainer_subscribes_and_one_tick_posts_the_quiz_once(env: SlackEnv, app, clock):
    post = await subscribe_now(env, clock, "mon-fri", "2")

    ids = quiz_ids(post)
    assert ids and {i.split(":")[3] for i in ids} == {"0", "1"}  # a row of choices per question
    assert "Question 1" in message_text(post) and "Question 2" in message_text(post)
    [call] = env.calls_to("chat.postMessage")
    assert call.args["channel"] == CHANNEL and pings(call.args) == []

    await tick(env)
    assert len(env.messages_in(CHANNEL)) == 1  # never twice


async def test_an_agent_cannot_subscribe_unsubscribe_or_post_now_and_nothing_changes(
    env: SlackEnv, app
):
    for text in ("quiz subscribe 09:00 Europe/Berlin", "quiz now", "quiz unsubscribe"):
        turn = await env.command("/coach", text, user=env.ada)
        assert turn.status == 200 and "permission" in turn.text, (text, turn.text)
        assert [e["recipient"] for e in turn.ephemerals] == [env.ada.id]
    assert await schedule_rows(app) == []
    assert env.calls_to("chat.postMessage") == []


async def test_a_workspace_admin_may_subscribe_with_a_loosely_written_zone(env: SlackEnv, app):
    turn = await env.command(
        "/coach", "quiz subscribe 9:30 america/new_york daily 3 4", user=env.max
    )
    assert "Every day at 09:30 America/New_York, 3 questions, answers close after 4 h" in turn.text
    [row] = await schedule_rows(app)
    assert f"slack:{TEAM_ID}" in tuple(row) and f"slack:{CHANNEL}" in tuple(row)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("quiz subscribe", "quiz time as HH:MM"),
        ("quiz subscribe 09:00", "time zone is missing"),
        ("quiz subscribe 25:99 Europe/Berlin", "25:99"),
        ("quiz subscribe 09:00 Mars/Olympus", "not a known time zone"),
        ("quiz subscribe 09:00 Europe/Berlin funday", "funday"),
        ("quiz subscribe 09:00 Europe/Berlin mon-fri 0", "1 to 3 questions"),
        ("quiz subscribe 09:00 Europe/Berlin mon-fri many", "“many” is not possible"),
        ("quiz subscribe 09:00 Europe/Berlin mon-fri 1 999", "answer window is 1 to 168"),
        ("quiz subscribe 09:00 Europe/Berlin mon, wed, fri 2 4 8", "Too many arguments: “8”"),
        ("quiz subscribe <!channel> '; DROP TABLE quiz_schedules; --", "time"),
    ],
)
async def test_a_bad_or_missing_argument_is_named_with_the_usage_and_nothing_is_stored(
    env: SlackEnv, app, text: str, hint: str
):
    turn = await env.command("/coach", text, user=env.tara)

    [reply] = turn.ephemerals
    assert reply["recipient"] == env.tara.id
    assert hint in reply["text"] and USAGE in reply["text"], reply["text"]
    assert pings(reply) == [] and len(reply["text"]) < 800
    assert await schedule_rows(app) == []


@pytest.mark.parametrize(
    ("days", "shown"),
    [
        ("mon, wed, fri 2", "Mon, Wed, Fri at 09:00 Europe/Berlin, 2 questions"),
        ("mon to thu", "Mon–Thu at"),
        ("every day 3 4", "Every day at 09:00 Europe/Berlin, 3 questions, answers close after 4 h"),
        ("sat and sun", "Sat, Sun at"),
    ],
)
async def test_days_may_be_written_with_spaces(env: SlackEnv, app, days: str, shown: str):
    turn = await env.command("/coach", f"quiz subscribe 09:00 Europe/Berlin {days}", user=env.tara)
    assert shown in turn.text, turn.text


async def test_a_quiz_subscribe_in_a_dm_asks_for_the_team_channel(env: SlackEnv, app):
    turn = await env.command(
        "/coach",
        "quiz subscribe 09:00 Europe/Berlin",
        user=env.tara,
        channel=env.dm_channel(env.tara),
    )
    assert "channel the team uses for quizzes" in turn.text
    assert await schedule_rows(app) == []


async def test_unsubscribe_stops_the_daily_quiz(env: SlackEnv, app, clock):
    await env.command("/coach", "quiz subscribe 09:00 Europe/Berlin", user=env.tara)
    stopped = await env.command("/coach", "quiz unsubscribe", user=env.tara)
    again = await env.command("/coach", "quiz unsubscribe", user=env.tara)

    assert "Daily quizzes stopped here." in stopped.text
    assert "This channel has no daily quiz." in again.text
    assert await schedule_rows(app) == []


async def test_quiz_without_a_subcommand_lists_the_usages(env: SlackEnv):
    turn = await env.command("/coach", "quiz", user=env.ada)
    assert "/coach quiz subscribe HH:MM Zone" in turn.text and "/coach quiz pause DAYS" in turn.text


# ---- now, answering, closing -----------------------------------------------------------------


async def test_a_trainer_posts_a_quiz_now_and_bad_counts_are_refused(env: SlackEnv, app):
    posted = await env.command("/coach", "quiz now 3", user=env.tara)
    assert "Quiz posted." in posted.text
    [post] = env.messages_in(CHANNEL)
    assert {i.split(":")[3] for i in quiz_ids(post)} == {"0", "1", "2"}

    for text, hint in (("quiz now 5", "1 to 3 questions"), ("quiz now two", "whole number")):
        bad = await env.command("/coach", text, user=env.tara)
        assert hint in bad.text and "Usage: `/coach quiz now [questions]`" in bad.text
    assert len(env.messages_in(CHANNEL)) == 1


async def test_a_click_gets_private_feedback_and_the_post_stays_for_the_others(
    env: SlackEnv, app, clock
):
    post = await subscribe_now(env, clock)
    before = [dict(b) for b in post["blocks"]]
    right = await right_choice(app, post)

    first = await env.click(post, action_id=answer_id(post, right), user=env.ada)
    second = await env.click(post, action_id=answer_id(post, right), user=env.ada)
    missed = await env.click(post, action_id=answer_id(post, (right + 1) % 3), user=env.ben)

    assert first.status == 200 and "✅ Right!" in first.text and "Answer:" in first.text
    assert [e["recipient"] for e in first.ephemerals] == [env.ada.id]
    assert "already answered" in second.text
    assert "❌ Not quite" in missed.text
    assert [e["recipient"] for e in missed.ephemerals] == [env.ben.id]
    [still] = env.messages_in(CHANNEL)  # the post and its buttons, as they were
    assert still["blocks"] == before and "replaced" not in still and "edited" not in still
    assert env.calls_to("chat.update") == []

    [card_button] = [
        b for b in buttons(first.ephemerals[0]) if b["action_id"].startswith("cb:open:")
    ]
    opened = await env.click(first.ephemerals[0], action_id=card_button["action_id"])
    assert opened.status == 200 and opened.text.strip()


async def test_when_the_window_closes_the_post_shows_the_answer_and_the_tally(
    env: SlackEnv, app, clock
):
    post = await subscribe_now(env, clock)
    right = await right_choice(app, post)
    await env.click(post, action_id=answer_id(post, right), user=env.ada)
    await env.click(post, action_id=answer_id(post, (right + 1) % 3), user=env.ben)
    stale_copy = copy.deepcopy(post)  # as a client that has not refreshed still shows it

    clock.now += timedelta(days=1)
    await tick(env)

    [edit] = env.calls_to("chat.update")
    assert edit.args["channel"] == CHANNEL and edit.args["ts"] == post["ts"]
    [closed] = [m for m in env.messages_in(CHANNEL) if m["ts"] == post["ts"]]
    text = message_text(closed)
    assert "2 answered · 50% correct" in text and "Answer:" in text
    assert buttons(closed) == []
    assert "ada" not in text.lower().split() and env.ada.id not in str(closed)

    late = await env.click(stale_copy, action_id=answer_id(stale_copy, right), user=env.tara)
    assert "closed" in late.text


async def test_a_miss_comes_back_as_practice_the_next_day(env: SlackEnv, app, clock):
    post = await subscribe_now(env, clock)
    await env.click(post, action_id=answer_id(post, (await right_choice(app, post) + 1) % 3))

    clock.now += timedelta(days=1)
    practice = await env.command("/coach", "quiz practice", user=env.ada)

    [card] = practice.ephemerals
    assert "Practice" in message_text(card) and "Box 1 of 5" in message_text(card)
    prompt = post["blocks"][0]["text"]["text"].split("\n", 1)[1]
    assert prompt in message_text(card)
    answered = await env.click(card, action_id=buttons(card)[0]["action_id"], user=env.ada)
    assert "Answer:" in answered.text and [e["recipient"] for e in answered.ephemerals] == [
        env.ada.id
    ]


async def test_leaderboard_and_stats_are_private_and_ping_nobody(env: SlackEnv, app, clock):
    post = await subscribe_now(env, clock)
    await env.click(post, action_id=answer_id(post, await right_choice(app, post)), user=env.ada)

    board = await env.command("/coach", "quiz leaderboard", user=env.ben)
    stats = await env.command("/coach", "quiz stats", user=env.ada)
    bad = await env.command("/coach", "quiz leaderboard yesterday", user=env.ben)

    [shown] = board.ephemerals
    assert shown["recipient"] == env.ben.id and "1.* ada: 1 point (1 answered)" in message_text(
        shown
    )
    assert pings(shown) == []
    assert "*Points*\n1" in stats.text and "*Streak*\n1 quiz day" in stats.text
    assert "/coach quiz practice" in stats.text
    assert "week, month or all" in bad.text and "quiz leaderboard [week|month|all]" in bad.text


async def test_pause_keeps_a_streak_and_refuses_silly_lengths(env: SlackEnv):
    ok = await env.command("/coach", "quiz pause 5", user=env.ada)
    assert "Streak paused from Mon 23 Nov to Fri 27 Nov" in ok.text
    for text, hint in (
        ("quiz pause 0", "1 to 60"),
        ("quiz pause", "how many days"),
        ("quiz pause soon", "whole number"),
    ):
        bad = await env.command("/coach", text, user=env.ada)
        assert hint in bad.text and "Usage: `/coach quiz pause DAYS`" in bad.text


# ---- the scheduler and the poster -------------------------------------------------------------


async def test_a_discord_schedule_is_left_to_the_discord_tick(env: SlackEnv, app, clock):
    local = clock.now + timedelta(hours=1)
    discord = parse_schedule(
        guild_id="123", channel_id="456", time_text=f"{local:%H:%M}", timezone_text="Europe/Berlin"
    )
    await app.quiz.schedules.save(discord, today=clock.now.date())

    await tick(env)

    assert env.calls_to("chat.postMessage") == []
    [claimed] = await app.quiz.due_quizzes()  # still there for Discord to claim
    assert claimed.channel_id == "456"


async def test_a_channel_the_app_is_not_in_gets_nothing_and_no_retry_storm(
    env: SlackEnv, app, clock
):
    env.api.fail("chat.postMessage", "not_in_channel")
    local = clock.now + timedelta(hours=1)
    await env.command("/coach", f"quiz subscribe {local:%H:%M} Europe/Berlin", user=env.tara)

    await tick(env)
    await tick(env)

    assert len(env.calls_to("chat.postMessage")) == 1  # tried once, claim kept, not again
    assert env.messages_in(CHANNEL) == []
    env.api.fail("chat.postMessage", "is_archived")
    now = await env.command("/coach", "quiz now", user=env.tara)
    assert "I couldn't post here" in now.text and "is_archived" not in now.text


@pytest.mark.parametrize(
    "error",
    ["channel_not_found", "not_in_channel", "is_archived", "account_inactive", "missing_scope"],
)
async def test_the_poster_calls_a_closed_channel_unreachable(
    slack_env: SlackEnv, clock, error: str
):
    slack_env.api.fail("chat.postMessage", error, times=2)
    poster = SlackPoster(slack_env.client())
    with pytest.raises(Unreachable):
        await poster.post_quiz(_a_post(clock))
    with pytest.raises(Unreachable):
        await poster.post_digest(_a_digest_page())


async def test_the_poster_posts_a_digest_page_with_its_helped_buttons(slack_env: SlackEnv):
    ts = await SlackPoster(slack_env.client()).post_digest(_a_digest_page())

    [posted] = slack_env.messages_in(CHANNEL)
    assert posted["ts"] == ts and "Team debriefs" in message_text(posted)
    assert [b["text"]["text"] for b in buttons(posted)] == ["This helped me (#1)"]
    [call] = slack_env.calls_to("chat.postMessage")
    assert pings(call.args) == []


def _a_digest_page() -> DigestPage:
    shown = debrief_view(
        {"what_happened": "A caller wrote <!channel> in the chat."}, "Tough call #1"
    )
    entry = DigestEntry(shown, helped_action("0" * 24, 1))
    return DigestPage(f"slack:{TEAM_ID}", f"slack:{CHANNEL}", "Team debriefs", "3 calls.", (entry,))


async def test_the_poster_calls_a_lasting_rate_limit_or_a_dead_network_transient(
    slack_env: SlackEnv, clock
):
    slack_env.api.rate_limit("chat.postMessage", times=10, retry_after=0)
    with pytest.raises(Transient):
        await SlackPoster(slack_env.client()).post_quiz(_a_post(clock))
    assert len(slack_env.calls_to("chat.postMessage")) > 1  # retried before giving up

    nowhere = AsyncWebClient(token=slack_env.bot_token, base_url="http://127.0.0.1:9/api/")
    with pytest.raises(Transient):
        await SlackPoster(nowhere).post_quiz(_a_post(clock))


def _a_post(clock) -> QuizPost:
    from coachbot.actions import Action

    question = QuizQuestion("Today's quiz", "Which is kind?", (Action("cb:quiz:1:0:0", "This"),))
    return QuizPost(1, f"slack:{TEAM_ID}", f"slack:{CHANNEL}", (question,), clock.now)


async def test_a_quiz_button_from_before_a_restart_still_counts(
    slack_env: SlackEnv, app, slack_settings, clock
):
    first = create_slack_app(app, slack_settings, client=slack_env.client())
    await slack_env.serve(first)
    slack_env.ctx = SlackContext(core=app, settings=slack_settings)  # type: ignore[attr-defined]
    post = await subscribe_now(slack_env, clock)
    await slack_env.disconnect()

    await slack_env.serve(create_slack_app(app, slack_settings, client=slack_env.client()))
    clicked = await slack_env.click(post, action_id=quiz_ids(post)[0], user=slack_env.ben)

    assert clicked.status == 200
    assert "✅ Right!" in clicked.text or "❌ Not quite" in clicked.text


async def test_the_runners_ticks_post_a_due_quiz_once_however_often_they_run(
    env: SlackEnv, app, clock
):
    local = clock.now + timedelta(hours=1)
    await env.command("/coach", f"quiz subscribe {local:%H:%M} Europe/Berlin", user=env.tara)

    ticks = slack_quiz.start_ticks(env.ctx, env.client(), every=0.001)  # type: ignore[attr-defined]
    try:
        for _ in range(2_000):  # until the first post, then a few more rounds
            await asyncio.sleep(0.001)
            if env.messages_in(CHANNEL):
                break
        for _ in range(20):
            await asyncio.sleep(0.001)
    finally:
        ticks.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticks

    assert len(env.messages_in(CHANNEL)) == 1
    assert len(env.calls_to("chat.postMessage")) == 1
