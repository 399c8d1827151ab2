"""Data rights in the core: an agent sees what is stored about them and can delete it."""

from __future__ import annotations

from datetime import date

from coachbot.store.practice import PracticeCard, PracticeStore
from tests.coachbot.insights.conftest import G1, A


async def _with_practice(app) -> None:
    practice = PracticeStore(app.database)
    await practice.put(A[1], PracticeCard("stay-calm-1", "stay-calm", 1, date(2026, 11, 24)))
    await practice.put(A[1], PracticeCard("long-wait-1", "long-wait", 3, date(2026, 11, 20)))
    await practice.put(A[2], PracticeCard("stay-calm-1", "stay-calm", 2, date(2026, 11, 25)))
    await practice.add_pause(A[1], G1, date(2026, 12, 1), date(2026, 12, 5))


async def test_an_agent_sees_their_own_answers_cards_and_pauses(seeded):
    await _with_practice(seeded)

    mine = await seeded.personal.show(A[1], G1)

    answers = [(a.topic_id, a.answered, a.correct) for a in mine.answers]
    assert answers == [("long-wait", 2, 1), ("stay-calm", 1, 1)]  # across every period
    assert [(c.item_id, c.box, c.due_day) for c in mine.cards] == [
        ("long-wait-1", 3, date(2026, 11, 20)),
        ("stay-calm-1", 1, date(2026, 11, 24)),
    ]
    assert [(p.guild_id, p.first_day, p.last_day) for p in mine.pauses] == [
        (G1, date(2026, 12, 1), date(2026, 12, 5))
    ]
    assert mine.streak is not None
    assert mine.title("stay-calm") == seeded.knowledge.kb.by_id["stay-calm"].title


async def test_forget_deletes_only_that_agent_and_a_second_time_deletes_nothing(seeded):
    await _with_practice(seeded)
    others_before = await seeded.personal.show(A[2])

    gone = await seeded.personal.forget(A[1])
    again = await seeded.personal.forget(A[1])

    assert (gone.answers, gone.cards, gone.pauses) == (3, 2, 1)
    assert again.total == 0
    assert (await seeded.personal.show(A[1], G1)).empty
    assert await seeded.personal.show(A[2]) == others_before


async def test_an_agent_with_no_data_sees_an_empty_record(app):
    mine = await app.personal.show("123", None)
    assert mine.empty and mine.streak is None and mine.answered == 0
