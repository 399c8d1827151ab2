"""Participation streaks counted in quiz days, so weekends and holidays never break them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def current_streak(
    quiz_days: Iterable[date],
    answered_days: Iterable[date],
    paused: Iterable[tuple[date, date]] = (),
    *,
    today: date,
) -> int:
    """Consecutive quiz days answered, counting back from the latest one.

    Only days on which the agent's channels had a quiz count. A paused day (leave, days
    off) is skipped, neither counted nor breaking. Today's quiz, if not answered yet, does
    not break the streak: the agent still has time.
    """
    answered = set(answered_days)
    pauses = list(paused)
    streak = 0
    for day in sorted(set(quiz_days), reverse=True):
        if day > today:
            continue
        if day in answered:
            streak += 1
        elif any(first <= day <= last for first, last in pauses) or day == today:
            continue
        else:
            break
    return streak
