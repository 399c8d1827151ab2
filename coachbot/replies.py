"""The words users see when something stops them, the same on every platform.

Domain errors carry their own `user_message` (coachbot.errors); these are the replies for what
is not a domain error: a refused permission, a command used in the wrong place, a rate limit,
and the generic apology for an unexpected error (whose text never reaches a channel).
"""

from __future__ import annotations

from coachbot.errors import CoachError

GENERIC = "Sorry, something went wrong on my side. Please try again in a moment."
NO_PERMISSION = "You don't have permission to use that here."
NOT_HERE = "That command works only in a server channel."
TRAINERS_REVIEW = "Only trainers review debriefs."


def slow_down(seconds: float) -> str:
    """A rate limit's reply: whole seconds, at least one."""
    return f"Slow down a little: try again in {max(1, round(seconds))} s."


def known(error: BaseException) -> str | None:
    """The reply written for a domain error, or None for anything else (a bug: the adapter
    logs it privately and answers GENERIC)."""
    return error.user_message if isinstance(error, CoachError) else None
