"""The team's debrief report as data: which sections, which lines, how much of each, so every
platform shows the same report and only draws it (bold, italics, escaping are its own)."""

from __future__ import annotations

from dataclasses import dataclass

from coachbot.debrief.service import DebriefReport
from coachbot.debrief.themes import Theme
from coachbot.knowledge.models import KnowledgeBase

TOPIC_LINES = 10  # the ten topics with most debriefs
WEEK_LINES = 8  # the last eight weeks
SECTION_CHARS = 1000  # a section as drawn, under both platforms' limits (coachbot.limits)


@dataclass(frozen=True)
class ReportLine:
    """One line: `count` (drawn in bold as "3 ×", when set), the text, and a note (drawn in
    italics in brackets, when set)."""

    text: str
    count: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReportSection:
    heading: str
    lines: tuple[ReportLine, ...]
    empty: str  # what to show when there are no lines


@dataclass(frozen=True)
class ReportView:
    title: str
    sections: tuple[ReportSection, ...]
    footer: str


def report_view(result: DebriefReport, kb: KnowledgeBase, days: int = 90) -> ReportView:
    """Counts per topic and week, the most common situations, and what worked."""
    topics = tuple(ReportLine(f"{n} × {_title(kb, t)}") for t, n in result.by_topic[:TOPIC_LINES])
    weeks = tuple(ReportLine(f"week of {w:%d %b}: {n}") for w, n in result.by_week[-WEEK_LINES:])
    footer = f"Marked helpful {result.helped} times"
    if result.in_review:
        footer += f" · {result.in_review} waiting for review are not counted"
    return ReportView(
        title=f"Debriefs, last {days} days: {result.total}",
        sections=(
            ReportSection("By topic", topics, "None yet."),
            ReportSection("By week", weeks, "None yet."),
            ReportSection(
                "Most common situations",
                _themes(result.situations, kb),
                "No situation has come up twice yet.",
            ),
            ReportSection(
                "What worked", _themes(result.what_worked, kb), "Nothing has worked twice yet."
            ),
        ),
        footer=footer,
    )


def _title(kb: KnowledgeBase, topic_id: str) -> str:
    return kb.by_id[topic_id].title if topic_id in kb.by_id else topic_id


def _themes(themes: tuple[Theme, ...], kb: KnowledgeBase) -> tuple[ReportLine, ...]:
    return tuple(
        ReportLine(t.representative, t.count, _title(kb, t.topics[0][0]) if t.topics else None)
        for t in themes
    )
