"""The quiz service on a fake clock and a real SQLite file: post, answer, close, practise."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from coachbot.errors import InvalidInput
from coachbot.knowledge.models import QuizItem
from coachbot.quiz.schedule import parse_schedule
from coachbot.quiz.service import AnswerKind, Period

GUILD, TEAM_A, TEAM_B = "g1", "c-a", "c-b"
TOPICS = ("stay-calm", "long-wait", "show-empathy", "follow-up", "abusive-customer")


def _items() -> tuple[QuizItem, ...]:
    return tuple(
        QuizItem(f"{t}-{n}", t, f"What do you do? ({t} {n})", ("right", "wrong", "other"), 0, "why")
        for t in TOPICS
        for n in (1, 2)
    )


@pytest.fixture
def quiz(app, live_knowledge):
    app.knowledge = replace(live_knowledge, kb=replace(live_knowledge.kb, quiz=_items()))
    return app.quiz


async def _subscribe(quiz, channel: str = TEAM_A, **extra):
    schedule = parse_schedule(
        guild_id=GUILD,
        channel_id=channel,
        time_text="09:00",
        timezone_text="Europe/Berlin",
        **extra,
    )
    return await quiz.schedules.save(schedule, today=date(2026, 11, 23))


async def _posted_quiz(quiz, clock, when: datetime, channel: str = TEAM_A):
    clock.now = when
    [opened] = [q for q in await quiz.due_quizzes() if q.channel_id == channel]
    await quiz.posted(opened, message_id=f"m{opened.post_id}")
    return opened


MONDAY_9 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


async def test_a_due_quiz_is_claimed_once_with_the_scheduled_number_of_questions(quiz, clock):
    await _subscribe(quiz, questions=2)
    clock.now = MONDAY_9 + timedelta(minutes=1)

    [opened] = await quiz.due_quizzes()
    again = await quiz.due_quizzes()

    assert len(opened.items) == 2 and len({i.topic_id for i in opened.items}) == 2
    assert opened.local_date == date(2026, 11, 23)
    assert opened.closes_at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # the next quiz
    assert again == []


async def test_one_answer_per_agent_per_question(quiz, clock):
    await _subscribe(quiz)
    opened = await _posted_quiz(quiz, clock, MONDAY_9)
    item = opened.items[0]

    first = await quiz.answer(opened.post_id, 0, "ada", item.answer)
    second = await quiz.answer(opened.post_id, 0, "ada", 1)
    bens = await quiz.answer(opened.post_id, 0, "ben", 2)

    assert (first.kind, first.correct) == (AnswerKind.RECORDED, True)
    assert second.kind is AnswerKind.ALREADY_ANSWERED
    assert (bens.kind, bens.correct) == (AnswerKind.RECORDED, False)
    [top, *_] = await quiz.leaderboard(TEAM_A, Period.ALL)
    assert (top.agent_id, top.points, top.answered) == ("ada", 1, 1)


async def test_the_window_closes_once_with_the_tally_and_later_answers_are_refused(quiz, clock):
    await _subscribe(quiz)
    opened = await _posted_quiz(quiz, clock, MONDAY_9)
    await quiz.answer(opened.post_id, 0, "ada", 0)
    await quiz.answer(opened.post_id, 0, "ben", 1)

    clock.now = opened.closes_at + timedelta(seconds=1)
    [closed] = await quiz.closing()
    late = await quiz.answer(opened.post_id, 0, "cy", 0)

    [(item, tally)] = closed.results
    assert item == opened.items[0] and (tally.answered, tally.correct) == (2, 1)
    assert await quiz.closing() == []
    assert late.kind is AnswerKind.CLOSED


async def test_a_miss_comes_back_in_practice_and_climbs_the_boxes(quiz, clock):
    await _subscribe(quiz)
    opened = await _posted_quiz(quiz, clock, MONDAY_9)
    missed = opened.items[0]
    await quiz.answer(opened.post_id, 0, "ada", 1)

    clock.now += timedelta(days=1)
    due = await quiz.practice_next("ada")
    assert due.item == missed and due.box == 1

    result = await quiz.practice_answer("ada", missed.id, missed.answer)
    assert result.correct
    clock.now += timedelta(days=1)
    assert (await quiz.practice_next("ada")).item != missed  # box 2 waits two days
    clock.now += timedelta(days=1)
    assert (await quiz.practice_next("ada")).item == missed


async def test_streaks_survive_weekends_and_pauses(quiz, clock):
    await _subscribe(quiz)
    day = MONDAY_9
    for n in range(10):  # two working weeks, every day but the second Wednesday
        when = day + timedelta(days=n)
        if when.isoweekday() > 5:
            continue
        opened = await _posted_quiz(quiz, clock, when)
        if n != 9:
            await quiz.answer(opened.post_id, 0, "ada", 0)
    stats = await quiz.stats("ada", GUILD)
    assert stats.streak == 7  # Mon..Fri and Mon..Tue answered; today's (Wednesday) is pending
    clock.now += timedelta(days=1)
    assert (await quiz.stats("ada", GUILD)).streak == 0  # Wednesday was missed

    await quiz.pause("ada", GUILD, 1)  # too late for Wednesday: pauses start today
    assert (await quiz.stats("ada", GUILD)).streak == 0


async def test_a_pause_keeps_the_streak_through_days_away(quiz, clock):
    await _subscribe(quiz)
    opened = await _posted_quiz(quiz, clock, MONDAY_9)
    await quiz.answer(opened.post_id, 0, "ada", 0)
    clock.now = MONDAY_9 + timedelta(days=1)
    await quiz.pause("ada", GUILD, 2)  # Tuesday and Wednesday off
    await _posted_quiz(quiz, clock, MONDAY_9 + timedelta(days=1))
    await _posted_quiz(quiz, clock, MONDAY_9 + timedelta(days=2))
    thursday = await _posted_quiz(quiz, clock, MONDAY_9 + timedelta(days=3))
    await quiz.answer(thursday.post_id, 0, "ada", 0)

    stats = await quiz.stats("ada", GUILD)
    assert stats.streak == 2 and stats.points == 2 and stats.accuracy == 1.0


async def test_pauses_outside_1_to_60_days_are_refused(quiz):
    for days in (0, -3, 61):
        with pytest.raises(InvalidInput):
            await quiz.pause("ada", GUILD, days)


async def test_leaderboards_by_week_month_and_all_time(quiz, clock):
    await _subscribe(quiz)
    old = await _posted_quiz(quiz, clock, datetime(2026, 10, 30, 8, 0, tzinfo=UTC))
    await quiz.answer(old.post_id, 0, "ben", old.items[0].answer)
    now = await _posted_quiz(quiz, clock, MONDAY_9)
    await quiz.answer(now.post_id, 0, "ada", now.items[0].answer)

    week = [s.agent_id for s in await quiz.leaderboard(TEAM_A, Period.WEEK)]
    month = [s.agent_id for s in await quiz.leaderboard(TEAM_A, Period.MONTH)]
    ever = [s.agent_id for s in await quiz.leaderboard(TEAM_A, Period.ALL)]
    assert week == ["ada"] and month == ["ada"] and sorted(ever) == ["ada", "ben"]


async def test_team_accuracy_leaves_out_teams_of_fewer_than_three(quiz, clock):
    await _subscribe(quiz, TEAM_A)
    await _subscribe(quiz, TEAM_B)
    clock.now = MONDAY_9
    quizzes = {q.channel_id: q for q in await quiz.due_quizzes()}
    for agent, choice in (("a1", 0), ("a2", 0), ("a3", 1)):
        await quiz.answer(quizzes[TEAM_A].post_id, 0, agent, choice)
    for agent in ("b1", "b2"):
        await quiz.answer(quizzes[TEAM_B].post_id, 0, agent, 0)

    [team] = await quiz.teams(GUILD, Period.ALL)
    assert (team.channel_id, team.agents, team.answered, team.correct) == (TEAM_A, 3, 3, 2)


async def test_removing_an_answered_item_from_the_knowledge_keeps_its_history(quiz, app, clock):
    await _subscribe(quiz)
    opened = await _posted_quiz(quiz, clock, MONDAY_9)
    retired = opened.items[0]
    await quiz.answer(opened.post_id, 0, "ada", retired.answer)
    kb = app.knowledge.kb
    remaining = tuple(i for i in kb.quiz if i.id != retired.id)
    app.knowledge = replace(app.knowledge, kb=replace(kb, quiz=remaining))

    late = await quiz.answer(opened.post_id, 0, "ben", 0)
    stats = await quiz.stats("ada", GUILD)

    assert late.kind is AnswerKind.RETIRED
    assert stats.points == 1 and stats.answered == 1


async def test_quiz_now_posts_outside_the_schedule_and_refuses_bad_sizes(quiz, clock):
    opened = await quiz.quiz_now(GUILD, TEAM_B, questions=3)
    assert len(opened.items) == 3 and opened.closes_at == clock.now + timedelta(hours=24)
    for size in (0, 4):
        with pytest.raises(InvalidInput):
            await quiz.quiz_now(GUILD, TEAM_B, questions=size)


async def test_forgetting_an_agent_removes_their_answers_and_practice(quiz, clock):
    await _subscribe(quiz)
    opened = await _posted_quiz(quiz, clock, MONDAY_9)
    await quiz.answer(opened.post_id, 0, "ada", 1)
    assert await quiz.forget("ada") >= 2
    stats = await quiz.stats("ada", GUILD)
    assert (stats.answered, stats.practice_due) == (0, 0)
