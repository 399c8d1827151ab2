"""The report on the seeded database: exactly the groups, counts and train-next list worked
out by hand from the rows in conftest.py."""

from __future__ import annotations

from datetime import date

import pytest

from coachbot.errors import InvalidInput
from coachbot.insights.models import OTHER, Period
from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.votes import VoteStore
from tests.coachbot.insights.conftest import G1, G2

REFUND, CALM, CONFUSED = "refund-not-possible", "stay-calm", "confused-customer"


async def test_similar_declined_and_unsure_asks_are_grouped_with_counts_and_closest_topic(seeded):
    report = await seeded.insights.report()

    assert report.period == Period(date(2026, 10, 25), date(2026, 11, 23))
    assert (report.asks_total, report.asks_declined) == (15, 9)
    summary = [
        (g.label, g.count, g.declined, g.low_confidence, g.topic_id) for g in report.ask_groups
    ]
    assert summary == [
        ("customer wants a refund for a damaged item", 5, 4, 1, REFUND),
        ("cant reset password for the caller", 4, 4, 0, None),
        ("caller speaks spanish and I don't", 3, 0, 3, CONFUSED),
        ("when is payroll processed?", 1, 1, 0, None),
    ]
    refund, password, spanish, _ = report.ask_groups
    assert refund.examples == (
        "refund for a damaged item",
        "damaged item refund",
        "refund for damaged goods we can't replace",
    )
    assert set(password.examples) == {
        "how do I reset a customer's password",
        "customer forgot their password and wants a reset",
        "password reset link not working",
    }
    assert spanish.examples == ("customer only speaks spanish", "spanish speaking customer")
    assert refund.topic_title == seeded.knowledge.kb.by_id[REFUND].title
    assert report.ungrouped == 0


async def test_votes_per_topic_with_the_not_helpful_share(seeded):
    report = await seeded.insights.report()

    votes = [(v.topic_id, v.helpful, v.not_helpful) for v in report.votes]
    assert votes == [(REFUND, 1, 3), (CALM, 5, 1), ("show-empathy", 2, 0)]
    assert report.votes[0].not_helpful_share == 0.75


async def test_quiz_accuracy_per_topic_hides_slices_under_three_people_in_other(seeded):
    report = await seeded.insights.report()

    topics = [(r.key, r.agents, r.answered, r.correct) for r in report.quiz_topics.rows]
    # show-empathy (2 people) and follow-up (1 person) are only visible together
    assert topics == [(CALM, 8, 8, 3), ("long-wait", 4, 4, 3), (OTHER, 3, 3, 1)]
    assert report.quiz_topics.merged == 2 and not report.quiz_topics.withheld


async def test_a_small_team_takes_the_next_smallest_into_other_so_nothing_can_be_subtracted(
    seeded,
):
    report = await seeded.insights.report()

    # Team G2 has 2 people: alone in "other" it would still be 2 people, so G1 joins it.
    teams = [(r.key, r.agents, r.answered, r.correct) for r in report.quiz_teams.rows]
    assert teams == [(OTHER, 9, 15, 7)]
    channels = [(r.key, r.agents, r.answered, r.correct) for r in report.quiz_channels.rows]
    assert channels == [(f"{G1}/710000000000000001", 4, 8, 5), (OTHER, 5, 7, 2)]


async def test_one_server_report_counts_only_its_quiz_answers_and_debriefs(seeded):
    report = await seeded.insights.report(guild_id=G1)

    assert [(r.key, r.agents, r.answered, r.correct) for r in report.quiz_teams.rows] == [
        (G1, 7, 13, 6)
    ]
    assert [(r.key, r.answered, r.correct) for r in report.quiz_topics.rows] == [
        (CALM, 6, 2),
        ("long-wait", 4, 3),
        (OTHER, 3, 1),
    ]
    assert report.debriefs.total == 5
    assert (report.asks_total, len(report.votes)) == (15, 3)


async def test_another_servers_asks_and_votes_stay_out_of_this_servers_report(seeded):
    other = AskLog(seeded.database)
    await other.record(LoggedAsk(date(2026, 11, 20), "where is my parcel", None, 0.1, False, G2))
    await other.record(LoggedAsk(date(2026, 11, 20), "asked in a DM", None, 0.1, False))
    await VoteStore(seeded.database).cast("g2-vote", "long-wait", False, date(2026, 11, 20), G2)

    mine = await seeded.insights.report(guild_id=G1)
    everyone = await seeded.insights.report()

    assert (mine.asks_total, mine.asks_declined) == (15, everyone.asks_declined - 2)
    assert everyone.asks_total == 17
    assert "long-wait" not in {v.topic_id for v in mine.votes}
    assert "long-wait" in {v.topic_id for v in everyone.votes}


async def test_debriefs_per_topic_and_iso_week(seeded):
    report = await seeded.insights.report()

    assert report.debriefs.total == 6
    assert [(t, n) for t, _, n in report.debriefs.by_topic] == [
        (REFUND, 3),
        ("", 1),
        ("abusive-customer", 1),
        (CALM, 1),
    ]
    assert report.debriefs.by_topic[1][1] == "(no topic)"
    assert report.debriefs.by_week == (("2026-W45", 1), ("2026-W46", 2), ("2026-W47", 3))


async def test_train_next_is_the_three_worst_combined_signals_with_evidence_in_words(seeded):
    report = await seeded.insights.report()

    assert [(s.topic_id, s.score) for s in report.train_next] == [
        (REFUND, round(2.5 / 3.5, 4)),  # asks 4/4, votes 3/3, no quiz, debriefs 3/3 at half
        (CALM, round((1 / 3 + 5 / 8 + 0.5 / 3) / 3.5, 4)),
        (CONFUSED, round(0.75 / 3.5, 4)),
    ]
    assert [s.evidence for s in report.train_next] == [
        "4 declined or unsure asks look like this topic (3 declined, 1 answered unsure); "
        "3 of 4 votes not helpful; 3 debriefs",
        "1 of 6 votes not helpful; quiz 38% correct over 8 answers by 8 agents; 1 debrief",
        "3 asks look like this topic, answered unsure",
    ]
    # the rest, weakest first; ties go to the topic with more asks
    assert [s.topic_id for s in report.scores[3:]] == [
        "offer-options",
        "long-wait",
        "abusive-customer",
    ]
    assert dict(report.scores[0].signals) == {
        "asks": 1.0,
        "votes": 1.0,
        "quiz": 0.0,
        "debriefs": 1.0,
    }


async def test_a_period_counts_only_its_own_days(seeded):
    october = Period(date(2026, 10, 1), date(2026, 10, 24))
    report = await seeded.insights.report(october)

    assert (report.asks_total, report.asks_declined) == (1, 1)
    assert [(g.label, g.count) for g in report.ask_groups] == [("refund for a damaged item", 1)]
    assert [(v.topic_id, v.not_helpful) for v in report.votes] == [(REFUND, 1)]
    quiz = [(r.key, r.agents, r.answered, r.correct) for r in report.quiz_topics.rows]
    assert quiz == [("long-wait", 3, 3, 0)]
    assert report.debriefs.total == 1


async def test_an_empty_database_gives_a_report_that_says_nothing_yet(app):
    report = await app.insights.report()

    assert report.empty
    assert report.ask_groups == () and report.scores == () and report.train_next == ()


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidInput, match="after it ends"):
        Period(date(2026, 11, 2), date(2026, 11, 1))
