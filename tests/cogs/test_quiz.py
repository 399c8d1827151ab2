"""A team's daily quiz on Discord: trainers schedule it, agents click, the window closes."""

from __future__ import annotations

from datetime import timedelta

from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv

EPHEMERAL = 64


def _quiz_cog(env: DiscordEnv):
    return env.coachbot.get_cog("QuizCog")  # type: ignore[attr-defined]


def _public(env: DiscordEnv) -> list[dict]:
    return [m for m in env.sent_messages(env.channel) if not m.get("flags", 0) & EPHEMERAL]


async def _schedule_rows(app) -> list[tuple]:
    async with app.database.connection.execute("SELECT * FROM quiz_schedules") as cursor:
        return list(await cursor.fetchall())


async def _subscribe_now(env: DiscordEnv, clock, questions: int = 1) -> dict:
    """A trainer schedules the quiz for this very minute; the bot's loop posts it."""
    local = clock.now + timedelta(hours=1)  # the fake clock is UTC; Berlin is UTC+1 in November
    reply = await env.slash(
        "quiz subscribe",
        user=env.trainer,
        time=f"{local:%H:%M}",
        timezone="Europe/Berlin",
        questions=questions,
    )
    assert reply.ephemeral and "Mon–Fri" in reply.content, reply.content
    await _quiz_cog(env).tick()
    [post] = _public(env)
    return post


async def test_a_trainer_schedules_a_quiz_and_it_is_posted_with_answer_buttons(
    env: DiscordEnv, app, clock
):
    post = await _subscribe_now(env, clock, questions=2)

    ids = button_ids(post)
    assert len(post["embeds"]) == 2
    assert ids and all(i.startswith("cb:quiz:") for i in ids)
    assert {i.split(":")[3] for i in ids} == {"0", "1"}  # one row of choices per question
    [request] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert request.json["allowed_mentions"] == {"parse": []}

    await _quiz_cog(env).tick()
    assert len(_public(env)) == 1  # never twice


async def test_an_agent_cannot_schedule_and_nothing_is_stored(env: DiscordEnv, app):
    reply = await env.slash("quiz subscribe", user=env.ada, time="09:00", timezone="Europe/Berlin")
    assert reply.ephemeral and "permission" in reply.content
    assert await _schedule_rows(app) == []


async def test_an_agent_cannot_post_a_quiz_now(env: DiscordEnv, app):
    reply = await env.slash("quiz now", user=env.ada)
    assert reply.ephemeral and "permission" in reply.content
    assert env.requests_to("POST", "/channels/{channel_id}/messages") == []


async def test_a_trainer_can_post_a_quiz_now_with_a_short_window(env: DiscordEnv, app):
    reply = await env.slash("quiz now", user=env.trainer, questions=3)
    assert reply.ephemeral and "Quiz posted" in reply.followups[-1]["content"]
    [post] = _public(env)
    assert len(post["embeds"]) == 3

    windowed = await env.slash(
        "quiz subscribe", user=env.trainer, time="09:00", timezone="UTC", window_hours=4
    )
    assert "answers close after 4 h" in windowed.content


async def test_a_member_with_manage_server_may_schedule(env: DiscordEnv, app):
    reply = await env.slash(
        "quiz subscribe", user=env.manager, time="9:30", timezone="america/new_york"
    )
    assert reply.ephemeral and "09:30 America/New_York" in reply.content
    assert len(await _schedule_rows(app)) == 1


async def test_bad_schedules_get_a_clear_private_error_and_nothing_is_stored(env: DiscordEnv, app):
    cases = [
        ({"time": "25:99", "timezone": "Europe/Berlin"}, "25:99"),
        ({"time": "09:00", "timezone": "Mars/Olympus"}, "time zone"),
        ({"time": "09:00", "timezone": "Europe/Berlin", "questions": 0}, "1 to 3 questions"),
        ({"time": "09:00", "timezone": "Europe/Berlin", "weekdays": "funday"}, "funday"),
        ({"time": "x" * 5000, "timezone": "'; DROP TABLE quiz_schedules; --"}, "time"),
    ]
    for values, hint in cases:
        reply = await env.slash("quiz subscribe", user=env.trainer, **values)
        assert reply.ephemeral and hint in reply.content, (values, reply.content)
        assert len(reply.content) < 600
    assert await _schedule_rows(app) == []


async def test_a_click_gets_private_feedback_and_a_second_click_is_refused(
    env: DiscordEnv, app, clock
):
    post = await _subscribe_now(env, clock)
    right = next(i for i in button_ids(post) if i.endswith(f":{_answer_of(app, post)}"))

    first = await env.click(post, right, user=env.ada)
    second = await env.click(post, right, user=env.ada)

    assert first.ephemeral and first.embeds[0]["title"] == "✅ Right!"
    assert "Answer:" in first.embeds[0]["description"]
    assert second.ephemeral and "already answered" in second.content


def _answer_of(app, post: dict) -> int:
    """The correct choice of the post's first question, from the store and knowledge base."""
    prompt = post["embeds"][0]["description"]
    [item] = [i for i in app.knowledge.kb.quiz if i.prompt.startswith(prompt.rstrip("…")[:60])]
    return item.answer


async def test_when_the_window_closes_the_post_shows_the_answer_and_the_tally(
    env: DiscordEnv, app, clock
):
    post = await _subscribe_now(env, clock)
    answer = _answer_of(app, post)
    wrong = (answer + 1) % 3
    await env.click(post, f"{button_ids(post)[0].rsplit(':', 1)[0]}:{answer}", user=env.ada)
    await env.click(post, f"{button_ids(post)[0].rsplit(':', 1)[0]}:{wrong}", user=env.ben)

    clock.now += timedelta(days=1)
    await _quiz_cog(env).tick()

    [edit] = env.requests_to("PATCH", "/channels/{channel_id}/messages/{message_id}")
    [embed] = edit.json["embeds"]
    assert embed["footer"]["text"] == "2 answered · 50% correct"
    assert "Answer:" in embed["description"]
    assert edit.json["components"] == []
    assert "Ada" not in str(edit.json) and "Ben" not in str(edit.json)


async def test_a_miss_comes_back_as_practice_the_next_day(env: DiscordEnv, app, clock):
    post = await _subscribe_now(env, clock)
    wrong = (_answer_of(app, post) + 1) % 3
    missed = await env.click(post, f"{button_ids(post)[0].rsplit(':', 1)[0]}:{wrong}")
    assert missed.embeds[0]["title"] == "❌ Not quite"

    clock.now += timedelta(days=1)
    practice = await env.slash("quiz practice")

    assert (
        practice.ephemeral and practice.embeds[0]["description"] == post["embeds"][0]["description"]
    )
    answered = await env.click(practice, button_ids(practice)[0])
    assert answered.ephemeral and answered.embeds


async def test_leaderboard_and_stats_are_private_and_ping_nobody(env: DiscordEnv, app, clock):
    post = await _subscribe_now(env, clock)
    answer = _answer_of(app, post)
    await env.click(post, f"{button_ids(post)[0].rsplit(':', 1)[0]}:{answer}", user=env.ada)

    board = await env.slash("quiz leaderboard")
    stats = await env.slash("quiz stats", user=env.ada)

    assert board.ephemeral and f"<@{env.ada.id}>" in board.embeds[0]["description"]
    assert board.callback["data"]["allowed_mentions"] == {"parse": []}
    fields = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}
    assert fields["Points"] == "1" and fields["Streak"] == "1 quiz day"


async def test_a_quiz_button_from_before_a_restart_still_counts(
    discord_env: DiscordEnv, app, bot_settings, clock
):
    from cogs._bot import create_bot
    from tests.cogs.conftest import CLIENT_OPTIONS

    bot = create_bot(app, bot_settings, **CLIENT_OPTIONS)
    await discord_env.connect(bot)
    await discord_env.slash(
        "quiz subscribe",
        user=discord_env.trainer,
        time=f"{clock.now + timedelta(hours=1):%H:%M}",
        timezone="Europe/Berlin",
    )
    await bot.get_cog("QuizCog").tick()
    await discord_env.disconnect()

    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    [post] = [m for m in discord_env.sent_messages(discord_env.channel) if not m.get("flags")]
    clicked = await discord_env.click(post, button_ids(post)[0], user=discord_env.ben)
    await discord_env.disconnect()

    assert clicked.ephemeral and clicked.embeds[0]["title"] in ("✅ Right!", "❌ Not quite")


async def test_a_schedule_for_a_channel_that_is_gone_posts_nothing(env: DiscordEnv, app, clock):
    from coachbot.quiz.schedule import parse_schedule

    local = clock.now + timedelta(hours=1)
    schedule = parse_schedule(
        guild_id=str(env.guild.id),
        channel_id="999999999999",
        time_text=f"{local:%H:%M}",
        timezone_text="Europe/Berlin",
    )
    await app.quiz.schedules.save(schedule, today=clock.now.date())
    await _quiz_cog(env).tick()
    await _quiz_cog(env).tick()  # the claim stays: no retry every tick
    # the poster asks Discord by channel id (any shard's channel), which answers 404 once
    [attempt] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert attempt.status == 404
    assert env.sent_messages(999999999999) == []


async def test_pause_keeps_a_streak_and_refuses_silly_lengths(env: DiscordEnv):
    ok = await env.slash("quiz pause", days=5)
    assert ok.ephemeral and "paused" in ok.content
    bad = await env.slash("quiz pause", days=0)
    assert bad.ephemeral and "1 to 60" in bad.content
