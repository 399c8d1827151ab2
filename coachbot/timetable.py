"""Schedules: a standing order to post at a local time on some weekdays, and when it is due.

The plain types (Schedule, DuePost) that the store keeps and the quiz and the digests use, the
reading of a local time and a time zone from what a person typed, and the pure arithmetic of
due posts. No I/O and no clock of its own: `now` is passed in, so tests run on a fake clock.
Exactly-once posting is not decided here: `due_posts` has no memory, and the store's claim on
(schedule, local date) makes a post happen once across restarts and processes. The quiz's own
options (weekdays, questions, answer window) are read in coachbot.quiz.schedule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz, process

from coachbot.errors import InvalidInput

T = TypeVar("T")

DEFAULT_WEEKDAYS: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekday, 1 = Monday
ALL_WEEKDAYS: frozenset[int] = frozenset(range(1, 8))
DEFAULT_GRACE = timedelta(hours=2)

_SHOWN = 40  # never echo more of the user's input than this
_MAX_ID = 64
_MAX_TIME = 16
_MAX_ZONE = 64
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
# Keys zoneinfo lists that are not real places: a system alias and tzdata's placeholder.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Schedule:
    """A channel's standing order: `questions` items at `local_time` in `timezone`."""

    id: int | None
    guild_id: str
    channel_id: str
    local_time: time
    timezone: str
    weekdays: frozenset[int]
    questions: int
    window_hours: int | None  # None: answers stay open until the next quiz

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        """Human text for confirmations, e.g. "Mon–Fri at 09:00 Europe/Berlin, 2 questions"."""
        noun = "question" if self.questions == 1 else "questions"
        text = (
            f"{describe_weekdays(self.weekdays)} at {self.local_time:%H:%M} {self.timezone}, "
            f"{self.questions} {noun}"
        )
        if self.window_hours is not None:
            text += f", answers close after {self.window_hours} h"
        return text


@dataclass(frozen=True)
class DuePost:
    """One quiz that should be posted now: a schedule's occurrence on one local date."""

    schedule: Schedule
    local_date: date
    due_at: datetime  # UTC
    closes_at: datetime  # UTC


def describe_weekdays(weekdays: Iterable[int]) -> str:
    """Short day list for people: "Every day", "Mon–Fri", "Mon, Wed, Fri", "Sat, Sun"."""
    days = sorted(set(weekdays))
    if days == list(range(1, 8)):
        return "Every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{_abbr(run[0])}–{_abbr(run[-1])}")
        else:
            parts.extend(_abbr(day) for day in run)
    return ", ".join(parts)


def _abbr(day: int) -> str:
    return DAY_NAMES[day - 1][:3].title()


# --- reading what a person typed ---------------------------------------------------------------


def collect(problems: list[str], check: Callable[[Any], T], value: object) -> T:
    """Run one check; on failure note its message (the None returned is never used)."""
    try:
        return check(value)
    except InvalidInput as error:
        problems.append(error.user_message)
        return None  # type: ignore[return-value]


def shown(text: object) -> str:
    """Echo at most ~40 printable characters of hostile input, quoted."""
    raw = str(text)[: _SHOWN + 1]
    clean = "".join(ch if ch.isprintable() and ch != "`" else "?" for ch in raw)
    if len(clean) > _SHOWN:
        clean = clean[: _SHOWN - 1] + "…"
    return f"“{clean}”"


def parse_time(text: str) -> time:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("Give the quiz time as HH:MM on the 24-hour clock, e.g. 09:00 or 17:30.")
    value = text.strip()
    match = _TIME.fullmatch(value) if len(value) <= _MAX_TIME else None
    if match is None:
        raise InvalidInput(
            f"{shown(value)} is not a time I can use. Give HH:MM on the 24-hour clock, "
            "from 00:00 to 23:59, e.g. 09:00 or 17:30."
        )
    return time(int(match.group(1)), int(match.group(2)))


@cache
def _zones() -> dict[str, str]:
    """Lower-cased IANA name -> its canonical spelling (loaded once; the list never changes)."""
    return {name.lower(): name for name in available_timezones() if name not in _NOT_ZONES}


@cache
def _choices() -> dict[str, str]:
    """Names to suggest from: every zone, and each zone's last part ("berlin") for bare cities."""
    cities = {lower.rsplit("/", 1)[-1]: name for lower, name in sorted(_zones().items())[::-1]}
    return cities | _zones()


def parse_zone(text: str) -> str:
    example = "Give an IANA time zone name such as Europe/Berlin or America/New_York."
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"The time zone is missing. {example}")
    value = text.strip()
    key = re.sub(r"\s+", "_", value).lower() if len(value) <= _MAX_ZONE else None
    if key is not None and key in _zones():
        return _zones()[key]
    message = f"{shown(value)} is not a known time zone."
    suggestion = _suggest_zone(key) if key else None
    if suggestion:
        message += f" Did you mean {suggestion}?"
    raise InvalidInput(f"{message} {example}")


def _suggest_zone(key: str) -> str | None:
    best = process.extractOne(key, list(_choices()), scorer=fuzz.ratio, score_cutoff=85)
    return None if best is None else _choices()[best[0]]


def check_ids(problems: list[str], guild_id: str, channel_id: str) -> None:
    """Note a team or channel id that is empty or too long."""
    for label, value in (("server", guild_id), ("channel", channel_id)):
        if not isinstance(value, str) or not value.strip() or len(value) > _MAX_ID:
            problems.append(f"That {label} id is not usable.")


def raise_problems(problems: list[str]) -> None:
    """Raise InvalidInput naming every problem at once, so a lead fixes the command in one go."""
    if len(problems) == 1:
        raise InvalidInput(problems[0])
    if problems:
        raise InvalidInput(
            f"That schedule has {len(problems)} problems:\n" + "\n".join(f"- {p}" for p in problems)
        )


def read_time_and_zone(
    problems: list[str], guild_id: str, channel_id: str, time_text: str, timezone_text: str
) -> tuple[time, str]:
    """What every schedule has: its ids, a local time and an IANA zone (problems noted)."""
    check_ids(problems, guild_id, channel_id)
    return collect(problems, parse_time, time_text), collect(problems, parse_zone, timezone_text)


def parse_daily(*, guild_id: str, channel_id: str, time_text: str, timezone_text: str) -> Schedule:
    """A schedule for every day at a local time (a digest's), or InvalidInput."""
    problems: list[str] = []
    local_time, zone = read_time_and_zone(problems, guild_id, channel_id, time_text, timezone_text)
    raise_problems(problems)
    return Schedule(
        None, guild_id.strip(), channel_id.strip(), local_time, zone, ALL_WEEKDAYS, 1, None
    )


# --- computing due posts --------------------------------------------------------------------


def occurrence(schedule: Schedule, local_date: date) -> datetime:
    """The UTC instant of the quiz on `local_date` in the schedule's zone.

    zoneinfo's fold=0 rule decides the two odd days of a DST zone: a local time that does not
    exist (spring forward, e.g. 02:30 in Berlin on the last Sunday of March) is read with the
    offset in force before the change, so it lands one hour later on the wall clock (03:30); a
    time that happens twice (fall back) means its first occurrence.
    """
    local = datetime.combine(local_date, schedule.local_time, tzinfo=schedule.zone)
    return local.replace(fold=0).astimezone(UTC)


def next_occurrence(schedule: Schedule, after: datetime) -> datetime:
    """The first occurrence strictly after `after`, on one of the schedule's weekdays."""
    _require_aware(after)
    start = after.astimezone(schedule.zone).date() - timedelta(days=1)
    for offset in range(9):  # yesterday .. a week on: always enough for a non-empty weekday set
        day = start + timedelta(days=offset)
        if day.isoweekday() in schedule.weekdays:
            instant = occurrence(schedule, day)
            if instant > after:
                return instant
    raise ValueError(f"schedule for channel {schedule.channel_id} has no valid weekdays")


def closes_at(schedule: Schedule, due_at: datetime) -> datetime:
    """When answers to the quiz posted at `due_at` close: the window, else the next quiz."""
    if schedule.window_hours is not None:
        return due_at + timedelta(hours=schedule.window_hours)
    return next_occurrence(schedule, due_at)


def due_posts(
    schedules: Iterable[Schedule], now: datetime, grace: timedelta = DEFAULT_GRACE
) -> list[DuePost]:
    """Every (schedule, local date) whose quiz is due: occurrence <= now < occurrence + grace.

    The grace window is what makes restarts safe: a post missed while the bot was down is still
    due for `grace` after its time, and no longer after that. A quiz whose answer window has
    already closed is not due either (posting it would show a closed quiz). The local dates
    around `now` in each schedule's own zone are checked, so late-night times and zones far from
    UTC work. No memory: the caller claims each post in the store, which makes it exactly-once.
    """
    _require_aware(now)
    if grace <= timedelta(0):
        raise ValueError("grace must be positive")
    now = now.astimezone(UTC)
    found: list[DuePost] = []
    for schedule in schedules:
        today = now.astimezone(schedule.zone).date()
        for offset in range(-(grace.days + 1), 2):
            day = today + timedelta(days=offset)
            if day.isoweekday() not in schedule.weekdays:
                continue
            due_at = occurrence(schedule, day)
            if not due_at <= now < due_at + grace:
                continue
            closing = closes_at(schedule, due_at)
            if now < closing:
                found.append(DuePost(schedule, day, due_at, closing))
    found.sort(key=lambda post: (post.due_at, post.schedule.channel_id))
    return found


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("expected a timezone-aware datetime")
