"""A seeded database with known asks, card votes, quiz answers and debriefs.

The fake clock says 2026-11-23, so the default period is 2026-10-25 to 2026-11-23. Every
figure the report should show is worked out by hand in test_report.py from the rows below.
Agent ids look like Discord snowflakes so that a test can check none of them leaks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.debriefs import DebriefStore, StoredDebrief
from coachbot.store.quiz import QuizStore
from coachbot.store.votes import VoteStore

IN = date(2026, 11, 10)  # a day inside the default period
BEFORE = date(2026, 10, 24)  # the day before it starts
AFTER = date(2026, 11, 24)  # the day after it ends

G1, G2 = "700000000000000001", "700000000000000002"
CA, CB, CX = "710000000000000001", "710000000000000002", "710000000000000003"
A = {n: f"9000000000000000{n:02d}" for n in range(1, 8)}  # team G1
B = {n: f"9100000000000000{n:02d}" for n in range(1, 3)}  # team G2
AGENT_IDS = (*A.values(), *B.values())

# (question, best topic, confidence, answered, day)
ASKS = [
    # refund for damaged goods: 5 asks, 4 declined, 1 unsure
    ("customer wants a refund for a damaged item", "refund-not-possible", 0.10, False, IN),
    ("refund for a damaged item", "refund-not-possible", 0.09, False, IN),
    ("refund for damaged goods we can't replace", "refund-not-possible", 0.08, False, IN),
    ("damaged item refund", "refund-not-possible", 0.45, True, date(2026, 11, 1)),
    ("refund a damaged parcel", "offer-options", 0.07, False, date(2026, 11, 20)),
    # password resets (IT, out of scope): 4 declined, no topic
    ("how do I reset a customer's password", None, 0.0, False, IN),
    ("customer forgot their password and wants a reset", None, 0.0, False, IN),
    ("password reset link not working", None, 0.0, False, date(2026, 10, 25)),
    ("cant reset password for the caller", None, 0.0, False, date(2026, 11, 23)),
    # a Spanish-speaking caller: 3 answered, all unsure
    ("customer only speaks spanish", "confused-customer", 0.49, True, IN),
    ("caller speaks spanish and I don't", "confused-customer", 0.35, True, IN),
    ("spanish speaking customer", "confused-customer", 0.30, True, IN),
    # alone
    ("when is payroll processed?", None, 0.02, False, IN),
    # answered confidently: not a gap (0.5 is not under 0.5)
    ("customer is yelling at me", "stay-calm", 0.90, True, IN),
    ("customer is shouting", "stay-calm", 0.50, True, IN),
    # outside the period
    ("refund for a damaged item", "refund-not-possible", 0.09, False, BEFORE),
    ("refund for a damaged item", "refund-not-possible", 0.09, False, AFTER),
]

# (topic, helpful, day): one vote each
VOTES = [
    *[("refund-not-possible", True, IN)],
    *[("refund-not-possible", False, IN)] * 3,
    *[("stay-calm", True, IN)] * 5,
    ("stay-calm", False, IN),
    *[("show-empathy", True, IN)] * 2,
    ("refund-not-possible", False, date(2026, 10, 1)),
]

# post: (guild, channel, day, [(item, topic)]), answers: {position: {agent: correct}}
QUIZ = [
    (
        (G1, CA, IN, [("stay-calm-1", "stay-calm"), ("long-wait-1", "long-wait")]),
        {
            0: {A[1]: True, A[2]: False, A[3]: False, A[4]: True},
            1: {A[1]: True, A[2]: True, A[3]: True, A[4]: False},
        },
    ),
    (
        (
            G1,
            CB,
            date(2026, 11, 12),
            [
                ("stay-calm-2", "stay-calm"),
                ("show-empathy-1", "show-empathy"),
                ("follow-up-1", "follow-up"),
            ],
        ),
        {0: {A[5]: False, A[6]: False}, 1: {A[5]: True, A[6]: False}, 2: {A[7]: False}},
    ),
    ((G2, CX, date(2026, 11, 12), [("stay-calm-1", "stay-calm")]), {0: {B[1]: True, B[2]: False}}),
    # outside the period
    (
        (G1, CA, date(2026, 10, 1), [("long-wait-1", "long-wait")]),
        {0: {A[1]: False, A[2]: False, A[3]: False}},
    ),
]

# (guild, day, topic)
DEBRIEFS = [
    (G1, date(2026, 11, 10), "refund-not-possible"),  # 2026-W46
    (G1, date(2026, 11, 11), "refund-not-possible"),  # 2026-W46
    (G1, date(2026, 11, 17), "refund-not-possible"),  # 2026-W47
    (G1, date(2026, 11, 17), "stay-calm"),  # 2026-W47
    (G1, date(2026, 11, 3), None),  # 2026-W45
    (G2, date(2026, 11, 18), "abusive-customer"),  # 2026-W47
    (G1, date(2026, 10, 20), "stay-calm"),  # outside the period
]


async def seed(database, guild: str = G1) -> None:
    """Insert the rows above; `guild` stands in for team G1 (the fake Discord's server id)."""
    log = AskLog(database)
    for question, topic, confidence, answered, day in ASKS:
        await log.record(LoggedAsk(day, question, topic, confidence, answered, guild))
    votes = VoteStore(database)
    for n, (topic, helpful, day) in enumerate(VOTES):
        await votes.cast(f"vote-key-{n}", topic, helpful, day, guild)
    quiz = QuizStore(database)
    for (team, channel, day, items), answers in QUIZ:
        claimed = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        post = await quiz.create_post(
            guild_id=guild if team == G1 else team,
            channel_id=channel,
            local_date=day,
            claimed_at=claimed,
        )
        await quiz.add_items(post, items)
        for position, by_agent in answers.items():
            item, topic = items[position]
            for agent, correct in by_agent.items():
                await quiz.record_answer(
                    post_id=post,
                    item_id=item,
                    topic_id=topic,
                    agent_id=agent,
                    choice=0 if correct else 1,
                    correct=correct,
                    day=day,
                )
    debriefs = DebriefStore(database)
    for n, (team, day, topic) in enumerate(DEBRIEFS):
        text = "The caller was upset about a late parcel."
        server = guild if team == G1 else team
        await debriefs.add(
            StoredDebrief(f"{n:024x}", server, day, text, text, text, text, topic, "shared"),
            delete_hash=f"hash-{n}",
        )


@pytest.fixture
async def seeded(app):
    """The shared App (fake clock at 2026-11-23) on a database holding the rows above."""
    await seed(app.database)
    return app
