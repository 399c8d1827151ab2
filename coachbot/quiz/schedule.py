"""Quiz schedules: read a team lead's /quiz subscribe options into a Schedule.

What every schedule shares (the types, reading a time and a zone, and which posts are due at
an instant) is coachbot.timetable's, which the digests and the store use too; it is re-exported
here for the quiz's callers. Pure: no I/O and no clock of its own.
"""

from __future__ import annotations

import re

from coachbot.errors import InvalidInput
from coachbot.timetable import (
    ALL_WEEKDAYS,
    DAY_NAMES,
    DEFAULT_GRACE,
    DEFAULT_WEEKDAYS,
    DuePost,
    Schedule,
    closes_at,
    collect,
    describe_weekdays,
    due_posts,
    next_occurrence,
    occurrence,
    raise_problems,
    read_time_and_zone,
    shown,
)

__all__ = [  # the shared names, for the quiz's callers
    "ALL_WEEKDAYS",
    "DEFAULT_GRACE",
    "DEFAULT_WEEKDAYS",
    "DuePost",
    "Schedule",
    "closes_at",
    "describe_weekdays",
    "due_posts",
    "next_occurrence",
    "occurrence",
    "parse_schedule",
]

DEFAULT_QUESTIONS = 1
MAX_QUESTIONS = 3
MAX_WINDOW_HOURS = 168  # a week

_MAX_DAYS = 100
_DAYS: dict[str, int] = {
    **{str(n): n for n in range(1, 8)},
    **{name: n for n, name in enumerate(DAY_NAMES, 1)},
    **{name[:3]: n for n, name in enumerate(DAY_NAMES, 1)},
    **{"tues": 2, "weds": 3, "thur": 4, "thurs": 4},
}
_GROUPS = (
    (DEFAULT_WEEKDAYS, "weekdays|weekday|workdays|work days|working days|business days"),
    (DEFAULT_WEEKDAYS, "every weekday"),
    (ALL_WEEKDAYS, "daily|every day|everyday|all|all days|all week"),
    (frozenset({6, 7}), "weekend|weekends"),
)
_DAY_GROUPS = {name: days for days, names in _GROUPS for name in names.split("|")}
_DAYS_HELP = (
    "Use day names such as mon-fri, mon,wed,fri, sat,sun, weekdays or daily, "
    "or numbers 1-7 (1 = Monday)."
)


# --- parsing --------------------------------------------------------------------------------


def parse_schedule(
    *,
    guild_id: str,
    channel_id: str,
    time_text: str,
    timezone_text: str,
    weekdays_text: str | None = None,
    questions: int | None = None,
    window_hours: int | None = None,
) -> Schedule:
    """Validate a team lead's input into a Schedule, or raise InvalidInput naming every problem.

    All problems are reported at once so a lead fixes the command in one go.
    """
    problems: list[str] = []
    local_time, zone = read_time_and_zone(problems, guild_id, channel_id, time_text, timezone_text)
    days = collect(problems, _parse_days, weekdays_text)
    count = collect(problems, _check_questions, questions)
    window = collect(problems, _check_window, window_hours)
    raise_problems(problems)
    return Schedule(
        None, guild_id.strip(), channel_id.strip(), local_time, zone, days, count, window
    )


def _parse_days(text: str | None) -> frozenset[int]:
    if text is None:
        return DEFAULT_WEEKDAYS
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"Say on which days the quiz runs. {_DAYS_HELP}")
    if len(text) > _MAX_DAYS:
        raise InvalidInput(f"That list of days is too long. {_DAYS_HELP}")
    value = " ".join(text.lower().split())
    if value in _DAY_GROUPS:
        return _DAY_GROUPS[value]
    value = re.sub(r"\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*", "-", value)
    days: set[int] = set()
    for token in re.split(r"[,;/&+\s]+", value):
        if token in ("", "and"):
            continue
        if token in _DAY_GROUPS:
            days |= _DAY_GROUPS[token]
            continue
        parts = token.split("-")
        if len(parts) == 1:
            days.add(_day(token))
        elif len(parts) == 2 and all(parts):
            first, last = _day(parts[0]), _day(parts[1])
            span = (last - first) % 7  # "fri-mon" wraps over the weekend
            days.update((first - 1 + step) % 7 + 1 for step in range(span + 1))
        else:
            raise InvalidInput(f"{shown(token)} is not a range of days. {_DAYS_HELP}")
    if not days:
        raise InvalidInput(f"Say on which days the quiz runs. {_DAYS_HELP}")
    return frozenset(days)


def _day(token: str) -> int:
    if token in _DAYS:
        return _DAYS[token]
    if token.endswith("s") and token[:-1] in _DAYS:  # "mondays"
        return _DAYS[token[:-1]]
    raise InvalidInput(f"{shown(token)} is not a day. {_DAYS_HELP}")


def _check_questions(value: int | None) -> int:
    if value is None:
        return DEFAULT_QUESTIONS
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUESTIONS:
        raise InvalidInput(
            f"A quiz has 1 to {MAX_QUESTIONS} questions; {shown(value)} is not possible."
        )
    return value


def _check_window(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WINDOW_HOURS:
        raise InvalidInput(
            f"The answer window is 1 to {MAX_WINDOW_HOURS} hours, or leave it out to keep answers "
            f"open until the next quiz; {shown(value)} is not possible."
        )
    return value
