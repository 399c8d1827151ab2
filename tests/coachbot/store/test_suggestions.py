"""The suggestion store on a real SQLite file: counts, claims, one-use tokens, no identity."""

from __future__ import annotations

from datetime import date

from coachbot.store.suggestions import SuggestionStore
from tests.coachbot.store.conftest import columns

DAY = date(2026, 11, 23)


async def test_picks_of_one_question_for_one_topic_add_up_per_way(database):
    store = SuggestionStore(database)
    await store.add_pick("long-wait", "q one", "Q one", "clarify", DAY)
    await store.add_pick("long-wait", "q one", "q ONE", "decline", date(2026, 11, 25))
    await store.add_pick("long-wait", "q one", "q one", "related-after-not-helpful", DAY)
    await store.add_pick("stay-calm", "q one", "q one", "clarify", DAY)
    [first, second] = await store.listed()
    assert (first.topic_id, first.question, first.picks) == ("long-wait", "Q one", 3)
    assert (first.via_clarify, first.via_decline, first.via_related) == (1, 1, 1)
    assert (first.first_day, first.last_day) == (DAY, date(2026, 11, 25))
    assert (second.topic_id, second.picks) == ("stay-calm", 1)
    assert [s.id for s in await store.listed(topic_id="stay-calm")] == [second.id]


async def test_a_suggestion_is_decided_once_and_can_be_reopened(database):
    store = SuggestionStore(database)
    await store.add_pick("long-wait", "q", "q", "clarify", DAY)
    [suggestion] = await store.listed()
    assert await store.decide(suggestion.id, "accepted", DAY)
    assert not await store.decide(suggestion.id, "rejected", DAY)  # already decided
    assert await store.listed() == []
    assert [s.id for s in await store.listed("accepted")] == [suggestion.id]
    await store.reopen(suggestion.id)
    assert (await store.get(suggestion.id)).state == "open"
    assert await store.get(suggestion.id + 1) is None


async def test_a_token_is_taken_once_and_expires_by_day(database):
    store = SuggestionStore(database)
    await store.put_token("old", "an old question", date(2026, 11, 20))
    await store.put_token("new", "a new question", DAY)
    assert await store.mark_not_helpful("new", DAY)
    assert not await store.mark_not_helpful("old", DAY)  # older than `since`
    taken = await store.take_token("new", DAY)
    assert taken is not None and taken.question == "a new question" and taken.not_helpful
    assert await store.take_token("new", DAY) is None
    assert await store.take_token("old", DAY) is None
    assert await store.expire_tokens(DAY) == 1
    rows = await database.fetch("SELECT token FROM pick_tokens")
    assert [tuple(r) for r in rows] == [("new",)]


async def test_the_tables_have_no_column_for_a_person_or_a_time(database):
    for table in ("suggestions", "pick_tokens"):
        names = await columns(database, table)
        assert names and not names & {"user_id", "agent_id", "author_id", "guild_id", "at"}
        assert not any("time" in name or "user" in name for name in names)


async def test_tokens_written_in_a_batch_and_one_without_a_question_counts_nothing(database):
    store = SuggestionStore(database)
    assert not await store.has_token("tok-kept")
    await store.put_tokens([("tok-kept", "q one", DAY), ("tok-dead", None, DAY)])

    assert await store.has_token("tok-kept") and await store.has_token("tok-dead")
    assert (await store.take_token("tok-kept", DAY)).question == "q one"
    assert await store.take_token("tok-dead", DAY) is None  # written used up
    assert await store.has_token("tok-kept")  # taken, still there: nobody waits for it
