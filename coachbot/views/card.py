"""A coaching card as every adapter shows it: the sections and their lines, decided once.

Discord draws the sections as embed fields, Slack as Block Kit sections, and `kb lint`
measures them against coachbot.limits.CARD_SECTION, so what passes the lint shows whole.
Lines are plain text (no platform markup): adapters escape and style them.
"""

from __future__ import annotations

from dataclasses import dataclass

from coachbot.knowledge.models import Topic


@dataclass(frozen=True)
class CardSection:
    name: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def step_lines(steps: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{n}. {step}" for n, step in enumerate(steps, 1))


def say_lines(say: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"✅ “{phrase}”" for phrase in say)


def avoid_line(phrase: str, why: str) -> str:
    return f"❌ “{phrase}”: {why}"


def card_sections(topic: Topic) -> tuple[CardSection, ...]:
    """Steps, Say and Avoid, in the order every adapter shows them."""
    return (
        CardSection("Steps", step_lines(topic.steps)),
        CardSection("Say", say_lines(topic.say)),
        CardSection("Avoid", tuple(avoid_line(a.phrase, a.why) for a in topic.avoid)),
    )


def card_footer(topic: Topic) -> str:
    footer = f"Card: {topic.id}"
    if topic.sources:
        footer += " · Sources: " + ", ".join(topic.sources)
    return footer
