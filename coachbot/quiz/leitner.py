"""Leitner boxes for personal practice: a miss goes back to box 1, a hit moves one box up.

Only misses put an item into practice; from then on every answer to it (in the daily quiz
or in practice) moves it between boxes, and its box says when it comes back.
"""

from __future__ import annotations

from datetime import date, timedelta

INTERVAL_DAYS = (1, 2, 4, 8, 16)  # box 1 comes back tomorrow, box 5 in sixteen days
TOP_BOX = len(INTERVAL_DAYS)


def next_box(box: int | None, correct: bool) -> int:
    """The box after an answer; a card not yet in practice counts as being in box 1."""
    return min((box or 1) + 1, TOP_BOX) if correct else 1


def due_after(box: int, today: date) -> date:
    return today + timedelta(days=INTERVAL_DAYS[box - 1])
