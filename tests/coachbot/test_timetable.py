"""Schedules shared by the quiz and the digests: a daily one, read from what a lead typed."""

from __future__ import annotations

from datetime import time

import pytest

from coachbot.errors import InvalidInput
from coachbot.quiz.schedule import parse_schedule
from coachbot.timetable import ALL_WEEKDAYS, parse_daily


def test_a_daily_schedule_runs_every_day_at_the_local_time():
    daily = parse_daily(
        guild_id="g", channel_id="c", time_text="17:00", timezone_text="europe/berlin"
    )
    assert (daily.local_time, daily.timezone, daily.weekdays) == (
        time(17, 0),
        "Europe/Berlin",
        ALL_WEEKDAYS,
    )


def test_a_daily_schedule_names_every_problem_like_the_quiz_does():
    typed = {"guild_id": "g", "channel_id": "", "time_text": "25:00", "timezone_text": "Mars/Base"}
    with pytest.raises(InvalidInput) as daily:
        parse_daily(**typed)
    with pytest.raises(InvalidInput) as quiz:
        parse_schedule(**typed, weekdays_text="daily")
    assert daily.value.user_message == quiz.value.user_message
    assert daily.value.user_message.startswith("That schedule has 3 problems:")
