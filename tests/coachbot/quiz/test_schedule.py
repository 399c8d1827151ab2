"""Schedules: clear refusals of bad input, and exactly the expected quizzes on a fake clock.

The week tests run the scheduler loop the bot runs (due_posts, then claim each) on a real SQLite
file, ticking a fake clock a minute at a time through a DST change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coachbot.errors import InvalidInput
from coachbot.quiz.schedule import (
    DEFAULT_GRACE,
    DEFAULT_WEEKDAYS,
    Schedule,
    due_posts,
    next_occurrence,
    occurrence,
    parse_schedule,
)
from coachbot.store.schedules import ScheduleStore
from tests.conftest import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def parse(**overrides) -> Schedule:
    fields = {"guild_id": "g1", "channel_id": "c1", "time_text": "09:00"}
    fields["timezone_text"] = "Europe/Berlin"
    return parse_schedule(**(fields | overrides))


def refusal(**overrides) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(**overrides)
    return caught.value.user_message


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- parsing --------------------------------------------------------------------------------


def test_a_good_schedule_gets_the_defaults():
    schedule = parse(timezone_text="europe/berlin")
    assert schedule == Schedule(
        None, "g1", "c1", time(9, 0), "Europe/Berlin", DEFAULT_WEEKDAYS, 1, None
    )
    assert schedule.zone == BERLIN
    assert schedule.describe() == "Mon–Fri at 09:00 Europe/Berlin, 1 question"


def test_all_options_and_the_description():
    schedule = parse(
        time_text=" 7:05 ",
        timezone_text="America/New York",
        weekdays_text="mon,wed,fri",
        questions=3,
        window_hours=4,
    )
    assert (schedule.local_time, schedule.timezone) == (time(7, 5), "America/New_York")
    assert schedule.describe() == (
        "Mon, Wed, Fri at 07:05 America/New_York, 3 questions, answers close after 4 h"
    )


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {1, 2, 3, 4, 5}),
        ("Mon – Fri", {1, 2, 3, 4, 5}),
        ("monday to thursday", {1, 2, 3, 4}),
        ("mon,wed,fri", {1, 3, 5}),
        ("weekdays", {1, 2, 3, 4, 5}),
        ("every day", {1, 2, 3, 4, 5, 6, 7}),
        ("Daily", {1, 2, 3, 4, 5, 6, 7}),
        ("sat,sun", {6, 7}),
        ("1-5", {1, 2, 3, 4, 5}),
        ("fri-mon", {5, 6, 7, 1}),
        ("tuesdays and thursdays", {2, 4}),
    ],
)
def test_weekday_texts(text, days):
    assert parse(weekdays_text=text).weekdays == frozenset(days)


@pytest.mark.parametrize(
    ("weekdays", "text"),
    [
        ({1, 2, 3, 4, 5, 6, 7}, "Every day"),
        ({6, 7}, "Sat, Sun"),
        ({1, 2, 3, 5}, "Mon–Wed, Fri"),
    ],
)
def test_weekdays_are_described_for_people(weekdays, text):
    assert parse(weekdays_text=",".join(map(str, weekdays))).describe().startswith(text)


@pytest.mark.parametrize("text", ["25:99", "9am", "", "   ", "24:00", "09:60", "9", "09:00:00"])
def test_a_time_that_is_not_hh_mm_is_refused(text):
    message = refusal(time_text=text)
    assert "HH:MM" in message
    assert "24-hour" in message


def test_the_bad_time_is_named_in_the_message():
    assert "“25:99”" in refusal(time_text="25:99")


def test_an_unknown_zone_is_refused():
    message = refusal(timezone_text="Mars/Olympus")
    assert "“Mars/Olympus” is not a known time zone" in message
    assert "Did you mean" not in message
    assert "Europe/Berlin" in message  # an example of what is accepted


@pytest.mark.parametrize(
    ("text", "meant"),
    [("Europe/Berln", "Europe/Berlin"), ("berlin", "Europe/Berlin"), ("US/Easten", "US/Eastern")],
)
def test_a_near_miss_zone_gets_a_did_you_mean(text, meant):
    assert f"Did you mean {meant}?" in refusal(timezone_text=text)


@pytest.mark.parametrize("count", [0, 4, -1, 1000])
def test_questions_outside_one_to_three_are_refused(count):
    assert "1 to 3 questions" in refusal(questions=count)


@pytest.mark.parametrize("hours", [0, 169, -3])
def test_an_answer_window_outside_one_to_168_hours_is_refused(hours):
    assert "1 to 168 hours" in refusal(window_hours=hours)


@pytest.mark.parametrize("text", ["", "  ", "funday", "mon-", "mon-tue-wed", ",,,"])
def test_weekdays_that_name_no_day_are_refused(text):
    assert "mon-fri" in refusal(weekdays_text=text)


def test_funday_is_named():
    assert "“funday” is not a day" in refusal(weekdays_text="funday")


@pytest.mark.parametrize("field", ["time_text", "timezone_text", "weekdays_text"])
def test_huge_input_is_refused_without_echoing_it(field):
    huge = "9" * 5_000 + "x" * 5_000
    message = refusal(**{field: huge})
    assert len(message) < 300
    assert "9" * 41 not in message


def test_hostile_characters_are_not_echoed():
    message = refusal(timezone_text="`@everyone`\x00\n")
    assert "`" not in message
    assert "\x00" not in message


def test_every_problem_is_reported_at_once():
    message = refusal(time_text="25:99", timezone_text="Mars/Olympus", questions=0)
    assert message.startswith("That schedule has 3 problems:")
    assert "“25:99”" in message
    assert "Mars/Olympus" in message
    assert "1 to 3 questions" in message


# --- occurrences ----------------------------------------------------------------------------


def test_occurrence_follows_the_zones_offset():
    schedule = parse()
    assert occurrence(schedule, date(2027, 3, 26)) == utc(2027, 3, 26, 8, 0)  # CET
    assert occurrence(schedule, date(2027, 3, 29)) == utc(2027, 3, 29, 7, 0)  # CEST


def test_a_time_in_the_spring_forward_gap_uses_the_offset_before_the_change():
    schedule = parse(time_text="02:30", weekdays_text="daily")
    instant = occurrence(schedule, date(2027, 3, 28))
    assert instant == utc(2027, 3, 28, 1, 30)
    assert instant.astimezone(BERLIN).strftime("%H:%M") == "03:30"


def test_a_time_that_happens_twice_on_fall_back_day_means_the_first():
    schedule = parse(time_text="02:30", weekdays_text="daily")
    assert occurrence(schedule, date(2027, 10, 31)) == utc(2027, 10, 31, 0, 30)  # still CEST


def test_next_occurrence_skips_the_weekend():
    schedule = parse()
    friday = occurrence(schedule, date(2027, 3, 26))
    assert next_occurrence(schedule, friday) == utc(2027, 3, 29, 7, 0)
    assert next_occurrence(schedule, friday - timedelta(seconds=1)) == friday


def test_due_posts_close_at_the_next_quiz_or_after_the_window():
    friday = utc(2027, 3, 26, 8, 0)
    [open_ended] = due_posts([parse()], friday)
    assert open_ended.closes_at == utc(2027, 3, 29, 7, 0)
    [windowed] = due_posts([parse(window_hours=3)], friday)
    assert windowed.closes_at == utc(2027, 3, 26, 11, 0)


def test_a_quiz_whose_window_has_closed_is_not_posted_late():
    schedule = parse(window_hours=1)
    assert due_posts([schedule], utc(2027, 3, 26, 8, 59))
    assert due_posts([schedule], utc(2027, 3, 26, 9, 0)) == []


def test_zones_far_from_utc_get_the_right_local_date():
    kiritimati = parse(time_text="00:10", timezone_text="Pacific/Kiritimati", weekdays_text="mon")
    samoa = parse(time_text="23:50", timezone_text="Pacific/Pago_Pago", weekdays_text="mon")
    [early] = due_posts([kiritimati], utc(2027, 3, 28, 10, 10))  # Sunday in UTC
    assert (early.local_date, early.due_at) == (date(2027, 3, 29), utc(2027, 3, 28, 10, 10))
    [late] = due_posts([samoa], utc(2027, 3, 30, 10, 50))  # Tuesday in UTC
    assert (late.local_date, late.due_at) == (date(2027, 3, 29), utc(2027, 3, 30, 10, 50))


def test_a_late_quiz_missed_before_midnight_is_still_due_after_it():
    schedule = parse(time_text="23:30", weekdays_text="fri")
    [due] = due_posts([schedule], datetime(2027, 3, 27, 0, 45, tzinfo=BERLIN))  # Saturday
    assert (due.local_date, due.due_at) == (date(2027, 3, 26), utc(2027, 3, 26, 22, 30))


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due_posts([parse()], datetime(2027, 3, 26, 9, 0))


# --- a week on a fake clock, through the bot's loop -----------------------------------------


async def run_scheduler(store: ScheduleStore, clock: FakeClock, until: datetime, step=None):
    """What the bot's loop does each tick: compute due posts, claim each, post the winners."""
    step = step or timedelta(minutes=1)
    schedules = await store.all()
    posted = []
    while clock() < until:
        for due in due_posts(schedules, clock()):
            if await store.claim(due, now=clock()) is not None:
                posted.append((due.schedule.channel_id, due.local_date, due.due_at, clock()))
        clock.now += step
    return posted


async def add(store: ScheduleStore, channel: str, time_text: str, zone: str, days=None) -> None:
    schedule = parse_schedule(
        guild_id="g1",
        channel_id=channel,
        time_text=time_text,
        timezone_text=zone,
        weekdays_text=days,
    )
    await store.save(schedule, today=date(2027, 3, 1))


@pytest.fixture
async def store(database) -> ScheduleStore:
    store = ScheduleStore(database)
    await add(store, "ny-9", "09:00", "America/New_York")
    await add(store, "berlin-9", "09:00", "Europe/Berlin")
    await add(store, "berlin-0230", "02:30", "Europe/Berlin", "daily")
    return store


def expected(channel: str, days: list[int], month: int, hour: int, minute: int, day_shift=0):
    return [
        (channel, date(2027, month, d), utc(2027, month, d + day_shift, hour, minute)) for d in days
    ]


async def test_a_week_across_the_us_spring_forward(store):
    # Wed 10 March to Wed 17 March 2027; New York moves to EDT on Sunday the 14th.
    posted = await run_scheduler(store, FakeClock(utc(2027, 3, 10)), utc(2027, 3, 17))
    assert all(due_at == claimed_at for *_, due_at, claimed_at in posted)  # on the minute
    assert sorted(entry[:3] for entry in posted) == sorted(
        expected("ny-9", [10, 11, 12], 3, 14, 0)  # EST, UTC-5
        + expected("ny-9", [15, 16], 3, 13, 0)  # EDT, UTC-4
        + expected("berlin-9", [10, 11, 12, 15, 16], 3, 8, 0)  # Berlin still on CET
        + expected("berlin-0230", [10, 11, 12, 13, 14, 15, 16], 3, 1, 30)
    )


async def test_a_week_across_the_eu_spring_forward(store):
    # Wed 24 March to Wed 31 March 2027; Berlin moves to CEST on Sunday the 28th.
    posted = await run_scheduler(store, FakeClock(utc(2027, 3, 24)), utc(2027, 3, 31))
    assert sorted(entry[:3] for entry in posted) == sorted(
        expected("ny-9", [24, 25, 26, 29, 30], 3, 13, 0)
        + expected("berlin-9", [24, 25, 26], 3, 8, 0)  # CET, UTC+1
        + expected("berlin-0230", [24, 25, 26, 27], 3, 1, 30)
        # 02:30 does not exist on the 28th: fold=0 reads it as 02:30+01:00, i.e. 03:30 CEST
        + expected("berlin-0230", [28], 3, 1, 30)
        + expected("berlin-9", [29, 30], 3, 7, 0)  # CEST, UTC+2
        + expected("berlin-0230", [29, 30], 3, 0, 30)
    )
    weekend = [entry for entry in posted if entry[1].isoweekday() > 5]
    assert {channel for channel, *_ in weekend} == {"berlin-0230"}


async def test_the_fall_back_night_posts_the_daily_quiz_once(store):
    posted = await run_scheduler(
        store, FakeClock(utc(2027, 10, 30, 22)), utc(2027, 10, 31, 4), timedelta(minutes=5)
    )
    assert [entry[:3] for entry in posted] == expected("berlin-0230", [31], 10, 0, 30)


# --- restarts -------------------------------------------------------------------------------


async def test_a_restart_inside_the_grace_window_posts_once(store):
    monday = datetime(2027, 3, 29, 8, 50, tzinfo=BERLIN)
    clock = FakeClock(monday.astimezone(UTC))
    assert await run_scheduler(store, clock, clock() + timedelta(minutes=1)) == []
    clock.now = datetime(2027, 3, 29, 10, 30, tzinfo=BERLIN).astimezone(UTC)  # back up
    schedule = await store.get("berlin-9")
    [due] = due_posts([schedule], clock(), DEFAULT_GRACE)
    assert (due.local_date, due.due_at) == (date(2027, 3, 29), utc(2027, 3, 29, 7, 0))
    assert await store.claim(due, now=clock()) is not None
    assert due_posts([schedule], clock()) == [due]  # still due: no memory in the pure part ...
    assert await store.claim(due, now=clock()) is None  # ... the claim refuses a second post
    assert await run_scheduler(store, clock, clock() + timedelta(hours=3)) == []


async def test_a_restart_after_the_grace_window_posts_nothing(store):
    schedule = await store.get("berlin-9")
    back_up = datetime(2027, 3, 29, 11, 30, tzinfo=BERLIN)
    assert due_posts([schedule], back_up) == []
    edge = datetime(2027, 3, 29, 11, 0, tzinfo=BERLIN)
    assert due_posts([schedule], edge) == []  # the window is half-open
    assert len(due_posts([schedule], edge - timedelta(seconds=1))) == 1
    assert due_posts([schedule], back_up, grace=timedelta(hours=3)) != []
