"""Card votes count once per person and card, and the store never holds who voted."""

from __future__ import annotations

from coachbot.feedback import VoteOutcome


async def test_a_vote_is_counted_once_per_card_and_voter(app):
    feedback = app.feedback
    first = await feedback.vote("stay-calm", True, card="m1", voter="ada")
    again = await feedback.vote("stay-calm", True, card="m1", voter="ada")
    other = await feedback.vote("stay-calm", True, card="m1", voter="ben")
    assert (first, again, other) == (
        VoteOutcome.RECORDED,
        VoteOutcome.UNCHANGED,
        VoteOutcome.RECORDED,
    )
    [votes] = await feedback.per_topic()
    assert (votes.topic_id, votes.helpful, votes.not_helpful) == ("stay-calm", 2, 0)


async def test_changing_a_vote_moves_it_rather_than_adding_one(app):
    await app.feedback.vote("long-wait", True, card="m2", voter="ada")
    changed = await app.feedback.vote("long-wait", False, card="m2", voter="ada")
    assert changed is VoteOutcome.CHANGED
    [votes] = await app.feedback.per_topic()
    assert (votes.helpful, votes.not_helpful) == (0, 1)


async def test_the_same_person_on_another_card_is_a_new_vote(app):
    await app.feedback.vote("long-wait", False, card="m3", voter="ada")
    await app.feedback.vote("long-wait", False, card="m4", voter="ada")
    [votes] = await app.feedback.per_topic()
    assert votes.not_helpful == 2


async def test_no_voter_or_card_id_is_stored(app):
    await app.feedback.vote("stay-calm", True, card="123456789", voter="987654321")
    async with app.database.connection.execute("SELECT * FROM card_votes") as cursor:
        rows = await cursor.fetchall()
    stored = " ".join(str(value) for row in rows for value in row)
    assert "987654321" not in stored and "123456789" not in stored
    assert "2026-11-23" in stored  # the day only
