"""The debrief report's view model: the sections, which lines, how many, what an empty one says."""

from __future__ import annotations

from datetime import date, timedelta

from coachbot.debrief.service import DebriefReport
from coachbot.debrief.themes import Theme
from coachbot.knowledge.models import KnowledgeBase
from coachbot.views.debrief_report import TOPIC_LINES, WEEK_LINES, ReportLine, report_view

KB = KnowledgeBase(())


def test_the_report_keeps_the_top_topics_the_last_weeks_and_the_themes_with_their_topic():
    weeks = tuple((date(2026, 1, 5) + timedelta(weeks=n), n + 1) for n in range(12))
    result = DebriefReport(
        total=30,
        by_topic=tuple((f"topic-{n}", 20 - n) for n in range(15)),
        by_week=weeks,
        helped=4,
        situations=(Theme(3, "The parcel was late.", (("refunds", 3),)),),
        what_worked=(Theme(2, "A firm date."),),
        in_review=2,
    )

    shown = report_view(result, KB)

    topics, by_week, common, worked = shown.sections
    assert shown.title == "Debriefs, last 90 days: 30"
    assert len(topics.lines) == TOPIC_LINES and topics.lines[0].text == "20 × topic-0"
    assert len(by_week.lines) == WEEK_LINES and by_week.lines[-1].text == "week of 23 Mar: 12"
    assert common.lines == (ReportLine("The parcel was late.", 3, "refunds"),)
    assert worked.lines == (ReportLine("A firm date.", 2, None),)
    assert shown.footer == "Marked helpful 4 times · 2 waiting for review are not counted"


def test_an_empty_report_says_so_in_every_section():
    shown = report_view(DebriefReport(0, (), (), 0), KB)

    assert [(s.heading, s.lines, s.empty) for s in shown.sections] == [
        ("By topic", (), "None yet."),
        ("By week", (), "None yet."),
        ("Most common situations", (), "No situation has come up twice yet."),
        ("What worked", (), "Nothing has worked twice yet."),
    ]
    assert shown.footer == "Marked helpful 0 times"
