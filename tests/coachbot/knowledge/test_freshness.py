"""Freshness: owner, reviewed and review_every; stale topics, lint warnings, /kb stale's data."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from coachbot.errors import KnowledgeError
from coachbot.knowledge.freshness import (
    FreshnessService,
    due_date,
    is_stale,
    lint_warnings,
    stale_topics,
)
from coachbot.knowledge.live import LiveKnowledge
from coachbot.knowledge.models import KnowledgeBase, ReviewInterval
from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.usage import TopicUsage
from tests.knowledge_versions import topic_doc, write_version, write_yaml

TODAY = date(2026, 11, 23)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return directory


def _with_freshness(directory: Path, topic_id: str, **fields: object) -> Path:
    path = directory / "topics" / f"{topic_id}.yaml"
    write_yaml(path, topic_doc(topic_id, "A", **fields))
    return path


@pytest.mark.parametrize(
    ("every", "reviewed", "due"),
    [
        ("90d", date(2026, 1, 1), date(2026, 4, 1)),
        ("12w", date(2026, 1, 1), date(2026, 3, 26)),
        ("6m", date(2026, 1, 31), date(2026, 7, 31)),
        ("1m", date(2026, 1, 31), date(2026, 2, 28)),  # clamped to the month's end
        ("1m", date(2028, 1, 31), date(2028, 2, 29)),
        ("1y", date(2028, 2, 29), date(2029, 2, 28)),
        ("18m", date(2025, 11, 15), date(2027, 5, 15)),
    ],
)
def test_the_review_falls_due_one_interval_after_the_last_review(every, reviewed, due):
    interval = ReviewInterval(int(every[:-1]), every[-1])
    assert str(interval) == every
    assert interval.after(reviewed) == due


def _topic(live_knowledge, **fields):
    return replace(live_knowledge.kb.by_id["stay-calm"], **fields)


def test_a_topic_is_stale_the_day_after_its_review_fell_due(live_knowledge):
    topic = _topic(live_knowledge, reviewed=date(2026, 8, 25), review_every=ReviewInterval(90, "d"))
    assert due_date(topic) == date(2026, 11, 23)
    assert not is_stale(topic, date(2026, 11, 23))  # due today: not yet stale
    assert is_stale(topic, date(2026, 11, 24))


def test_never_reviewed_is_stale_and_no_schedule_is_never_stale(live_knowledge):
    never = _topic(live_knowledge, review_every=ReviewInterval(6, "m"))
    unscheduled = _topic(live_knowledge, reviewed=date(2001, 1, 1), owner="Priya")
    assert is_stale(never, TODAY) and due_date(never) is None
    assert not is_stale(unscheduled, TODAY)
    assert not is_stale(_topic(live_knowledge), TODAY)


def test_a_review_date_near_the_end_of_the_calendar_is_not_a_crash(live_knowledge):
    topic = _topic(live_knowledge, reviewed=date(9999, 12, 1), review_every=ReviewInterval(1, "y"))
    assert due_date(topic) is None and not is_stale(topic, TODAY)


def test_stale_topics_come_most_used_first_then_longest_overdue(live_knowledge):
    every = ReviewInterval(30, "d")
    kb = live_knowledge.kb
    topics = (
        replace(kb.by_id["stay-calm"], reviewed=date(2026, 1, 1), review_every=every),
        replace(kb.by_id["long-wait"], reviewed=date(2026, 6, 1), review_every=every),
        replace(kb.by_id["follow-up"], review_every=every),  # never reviewed
        replace(kb.by_id["tone-of-voice"], reviewed=date(2026, 11, 20), review_every=every),
        kb.by_id["show-empathy"],
    )
    stale = stale_topics(KnowledgeBase(topics), TODAY, {"long-wait": 7, "stay-calm": 2})
    assert [s.topic.id for s in stale] == ["long-wait", "stay-calm", "follow-up"]
    assert [s.uses for s in stale] == [7, 2, 0]
    assert stale[0].reason(TODAY) == (
        "last reviewed 2026-06-01, review every 30d: 145 days overdue"
    )
    assert stale[2].reason(TODAY) == "never reviewed (review every 30d)"
    unused = stale_topics(KnowledgeBase(topics), TODAY)
    assert [s.topic.id for s in unused] == ["follow-up", "stay-calm", "long-wait"]


def test_freshness_fields_are_read_from_yaml_with_or_without_quotes(knowledge_dir):
    _with_freshness(knowledge_dir, "angry-caller", owner="Priya", review_every="12w")
    path = knowledge_dir / "topics" / "refund-request.yaml"
    path.write_text(
        path.read_text() + "owner: Returns team\nreviewed: 2026-03-01\nreview_every: 6m\n"
    )
    kb = LiveKnowledge.load(knowledge_dir).kb
    refund, angry = kb.by_id["refund-request"], kb.by_id["angry-caller"]
    assert (refund.owner, refund.reviewed, refund.review_every) == (
        "Returns team",
        date(2026, 3, 1),
        ReviewInterval(6, "m"),
    )
    assert (angry.owner, angry.reviewed, str(angry.review_every)) == ("Priya", None, "12w")


def test_freshness_survives_the_compiled_cache(knowledge_dir, tmp_path):
    path = _with_freshness(
        knowledge_dir, "angry-caller", owner="Priya", reviewed="2026-02-03", review_every="1y"
    )
    old = path.stat().st_mtime_ns - 10_000_000_000  # old enough to be cached
    os.utime(path, ns=(old, old))
    cache = tmp_path / "cache"
    cold = LiveKnowledge.load(knowledge_dir, cache_dir=cache).kb.by_id["angry-caller"]
    warm = LiveKnowledge.load(knowledge_dir, cache_dir=cache).kb.by_id["angry-caller"]
    assert warm == cold
    assert (warm.owner, warm.reviewed, str(warm.review_every)) == ("Priya", date(2026, 2, 3), "1y")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "review_every",
            "90",
            "'review_every' must be a number from 1 to 999 and a unit, like 90d",
        ),
        ("review_every", "0d", "got '0d'"),
        ("review_every", "2 weeks", "(d days, w weeks, m months, y years), got '2 weeks'"),
        ("review_every", "5h", "got '5h'"),
        ("review_every", "1000d", "got '1000d'"),
        ("review_every", "", "got ''"),
        ("reviewed", "31/01/2026", "'reviewed' must be a date written YYYY-MM-DD, like 2026-01-31"),
        ("reviewed", "2026-02-30", "'reviewed' is not a real date: '2026-02-30'"),
        ("reviewed", "yesterday", "got 'yesterday'"),
        ("owner", "", "'owner' must not be empty"),
        ("owner", "x" * 101, "'owner' is 101 characters; the limit is 100"),
    ],
)
def test_bad_freshness_values_fail_the_load_with_a_positioned_message(
    knowledge_dir, field, value, message
):
    _with_freshness(knowledge_dir, "angry-caller", **{field: value})
    with pytest.raises(KnowledgeError) as caught:
        LiveKnowledge.load(knowledge_dir)
    [problem] = [p for p in caught.value.problems if "topics" in p]  # (+ its quiz file)
    assert re.match(r".*angry-caller\.yaml:\d+:\d+: ", problem), problem
    assert message in problem


def test_unquoted_numbers_and_dates_are_explained(knowledge_dir):
    path = knowledge_dir / "topics" / "angry-caller.yaml"
    path.write_text(path.read_text() + "review_every: 90\nreviewed: 2026-1-5\n")
    with pytest.raises(KnowledgeError) as caught:
        LiveKnowledge.load(knowledge_dir)
    text = "\n".join(caught.value.problems)
    assert "got '90' (a unit is missing)" in text
    assert "'reviewed' must be a date written YYYY-MM-DD, like 2026-01-31, got '2026-1-5'" in text


def test_a_misspelt_freshness_key_gets_a_did_you_mean(knowledge_dir):
    _with_freshness(knowledge_dir, "angry-caller", reveiwed="2026-01-01", review_evry="90d")
    with pytest.raises(KnowledgeError) as caught:
        LiveKnowledge.load(knowledge_dir)
    text = "\n".join(caught.value.problems)
    assert "unknown key 'reveiwed' in a topic (did you mean 'reviewed'?)" in text
    assert "unknown key 'review_evry' in a topic (did you mean 'review_every'?)" in text


def test_lint_warnings_name_the_file_and_line_of_the_review_date(knowledge_dir, monkeypatch):
    monkeypatch.chdir(knowledge_dir.parent)
    _with_freshness(
        knowledge_dir, "angry-caller", owner="Priya", reviewed="2026-01-01", review_every="90d"
    )
    _with_freshness(knowledge_dir, "late-delivery", review_every="6m")
    _with_freshness(knowledge_dir, "refund-request", reviewed="2026-11-01", review_every="6m")
    kb = LiveKnowledge.load(Path("knowledge")).kb

    def line_of(topic_id: str, key: str) -> int:
        lines = (knowledge_dir / "topics" / f"{topic_id}.yaml").read_text().splitlines()
        return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))

    warnings = lint_warnings(kb, TODAY)

    assert warnings == [
        f"knowledge/topics/angry-caller.yaml:{line_of('angry-caller', 'reviewed')}: warning: "
        "topic 'angry-caller' is stale: last reviewed 2026-01-01, review every 90d: "
        "236 days overdue (owner: Priya)",
        f"knowledge/topics/late-delivery.yaml:{line_of('late-delivery', 'review_every')}: "
        "warning: topic 'late-delivery' is stale: never reviewed (review every 6m)",
    ]


async def test_the_service_ranks_stale_topics_by_answered_asks_in_the_last_90_days(
    knowledge_dir, database, clock
):
    for topic_id in ("angry-caller", "late-delivery", "refund-request"):
        _with_freshness(knowledge_dir, topic_id, review_every="30d")
    live = LiveKnowledge.load(knowledge_dir)
    log = AskLog(database)
    today = clock().date()

    async def asked(topic_id: str, days_ago: int, times: int = 1, answered: bool = True) -> None:
        day = today - timedelta(days=days_ago)
        for _ in range(times):
            await log.record(LoggedAsk(day, "masked", topic_id, 0.5, answered))

    await asked("late-delivery", 0, 3)
    await asked("late-delivery", 89)  # the 90th day back still counts
    await asked("late-delivery", 90, 10)  # one day too old
    await asked("refund-request", 10, 2)
    await asked("refund-request", 1, 5, answered=False)  # declined asks are not a card's use
    await asked("angry-caller", 200, 9)

    report = await FreshnessService(lambda: live, TopicUsage(database), clock).stale()

    assert [(s.topic.id, s.uses) for s in report.topics] == [
        ("late-delivery", 4),
        ("refund-request", 2),
        ("angry-caller", 0),
    ]
    assert (report.tracked, report.total, report.today) == (3, 4, today)


async def test_without_a_database_stale_topics_are_listed_with_no_usage(knowledge_dir, clock):
    _with_freshness(knowledge_dir, "angry-caller", review_every="30d")
    live = LiveKnowledge.load(knowledge_dir)
    report = await FreshnessService(lambda: live, None, clock).stale()
    assert [(s.topic.id, s.uses) for s in report.topics] == [("angry-caller", 0)]
