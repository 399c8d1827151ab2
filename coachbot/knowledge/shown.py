"""How a card's Steps, Say and Avoid read once shown: one place, so that `kb lint` measures
exactly what every adapter shows (coachbot.views.card draws its sections with these)."""

from __future__ import annotations

from coachbot import limits
from coachbot.knowledge.models import AvoidPhrase


def step_lines(steps: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{n}. {step}" for n, step in enumerate(steps, 1))


def say_lines(say: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"✅ “{phrase}”" for phrase in say)


def avoid_line(phrase: str, why: str) -> str:
    return f"❌ “{phrase}”: {why}"


def shown_sections(
    steps: tuple[str, ...], say: tuple[str, ...], avoid: tuple[AvoidPhrase, ...]
) -> dict[str, str]:
    """Each list field's section as a card shows it (lines joined by newlines)."""
    return {
        "steps": "\n".join(step_lines(steps)),
        "say": "\n".join(say_lines(say)),
        "avoid": "\n".join(avoid_line(a.phrase, a.why) for a in avoid),
    }


def too_long(
    steps: tuple[str, ...], say: tuple[str, ...], avoid: tuple[AvoidPhrase, ...]
) -> dict[str, int]:
    """The sections longer than one block may be on both platforms, with their lengths."""
    return {
        name: len(text)
        for name, text in shown_sections(steps, say, avoid).items()
        if len(text) > limits.CARD_SECTION
    }


def too_long_message(name: str, length: int) -> str:
    return (
        f"'{name}' is {length} characters as the card shows it; the limit is "
        f"{limits.CARD_SECTION} (the smaller of Discord's and Slack's): shorten or drop an item"
    )
