"""The clock is passed in so that dates in logs, schedules and streaks are testable."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, always timezone-aware (UTC)."""
    return datetime.now(UTC)
