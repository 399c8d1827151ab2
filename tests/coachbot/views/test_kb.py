"""Trainers' kb replies: the same words on every platform, each in its own markup."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from coachbot.errors import KnowledgeError
from coachbot.knowledge.freshness import StaleReport, StaleTopic
from coachbot.knowledge.reload import KnowledgeStatus, ReloadResult
from coachbot.views.kb import KbReplies

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARKED = KbReplies(
    bold=lambda text: f"<b>{text}</b>",
    escape=lambda text: text.replace("&", "&amp;"),
    plain=lambda text: text.upper(),
    time=lambda moment: f"at {moment:%H:%M}",
    ago=lambda moment: f"since {moment:%d %b}",
    reload_command="/x reload",
    limit=2000,
)


def test_the_words_are_shared_and_the_markup_is_the_platforms(live_knowledge):
    topic = replace(live_knowledge.kb.by_id["stay-calm"], title="Calm & clear", owner="Q&A team")
    report = StaleReport(date(2026, 3, 2), (StaleTopic(topic, None, uses=1),), 1, 9)

    stale = MARKED.stale_text(report)

    assert stale.startswith("<b>1 stale topic</b>, most used first")
    assert "• <b>Calm &amp; clear</b> (`stay-calm`): Q&amp;A team · never reviewed" in stale
    assert stale.endswith("· 1 ask")
    failed = ReloadResult(False, 4, AT, problems=("topics/a.yaml:1:1: bad",))
    status = KnowledgeStatus(4, AT, 9, 20, 3, 5, failed)
    assert MARKED.status_text(status, watching=False).splitlines()[1:] == [
        "Automatic reload: off: use `/x reload`.",
        "The last reload, since 02 Mar, failed with 1 problem. `/x reload` shows them.",
    ]
    assert "loaded at 09:00:" in MARKED.status_text(status, watching=True)


def test_a_refusal_names_the_problems_in_the_platforms_plain_markup():
    error = KnowledgeError(["topics/a.yaml:1:1: bad"])
    text = MARKED.refusal_text(error, Path("/nowhere"))
    assert text.startswith("<b>Not added:</b>") and "TOPICS/A.YAML:1:1: BAD" in text
