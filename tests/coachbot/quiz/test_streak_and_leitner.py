"""Streaks count quiz days; Leitner boxes bring misses back sooner."""

from __future__ import annotations

from datetime import date, timedelta

from coachbot.quiz.leitner import INTERVAL_DAYS, TOP_BOX, due_after, next_box
from coachbot.quiz.streak import current_streak

MON = date(2026, 11, 16)


def _weekdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.isoweekday() <= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def test_a_weekend_without_quizzes_does_not_break_a_streak():
    quiz_days = _weekdays(MON, 7)  # Mon..Fri, then Mon, Tue
    assert current_streak(quiz_days, quiz_days, today=quiz_days[-1]) == 7


def test_a_missed_quiz_day_breaks_it():
    quiz_days = _weekdays(MON, 7)
    answered = [d for d in quiz_days if d != quiz_days[4]]
    assert current_streak(quiz_days, answered, today=quiz_days[-1]) == 2


def test_paused_days_neither_count_nor_break():
    quiz_days = _weekdays(MON, 10)
    away = (quiz_days[3], quiz_days[6])
    answered = [d for d in quiz_days if not away[0] <= d <= away[1]]
    assert current_streak(quiz_days, answered, [away], today=quiz_days[-1]) == 6


def test_todays_quiz_not_answered_yet_does_not_break_it():
    quiz_days = _weekdays(MON, 3)
    assert current_streak(quiz_days, quiz_days[:2], today=quiz_days[2]) == 2
    assert current_streak(quiz_days, quiz_days[:2], today=quiz_days[2] + timedelta(1)) == 0


def test_no_quizzes_no_streak():
    assert current_streak([], [], today=MON) == 0


def test_a_miss_goes_back_to_box_one_and_hits_climb_to_the_top():
    assert next_box(4, correct=False) == 1
    assert next_box(None, correct=False) == 1
    box = 1
    for _ in range(10):
        box = next_box(box, correct=True)
    assert box == TOP_BOX


def test_boxes_come_back_after_1_2_4_8_16_days():
    assert INTERVAL_DAYS == (1, 2, 4, 8, 16)
    assert [due_after(b, MON) - MON for b in range(1, 6)] == [timedelta(d) for d in INTERVAL_DAYS]
