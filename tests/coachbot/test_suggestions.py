"""Learning from what agents pick: picks become proposed example questions for trainers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest

from coachbot.app import App
from coachbot.errors import CoachError
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.database import Database
from coachbot.suggestions import CLARIFY, DECLINE, RELATED, SuggestionService, proposable

# Declined by the shipped knowledge base; written for this test (not from a held-out set).
DECLINED = "grandpa mails a handwritten letter each week about the meter"
TOPIC = "repeat-difficult-customer"


@pytest.fixture
async def app(tmp_path: Path, knowledge_copy: Path, clock) -> AsyncIterator[App]:
    """An app on a writable copy of the shipped knowledge: accepting edits its files."""
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_copy)
    database = await Database.open(settings.database_path)
    application = App(settings, LiveKnowledge.load(knowledge_copy), database, clock)
    tokens = count(1)
    application.suggestions._new_token = lambda: f"token{next(tokens):04d}"
    yield application
    await application.close()


def service(app: App) -> SuggestionService:
    assert app.suggestions is not None
    return app.suggestions


async def rows(app: App, sql: str) -> list[tuple]:
    return list(await app.database.connection.execute_fetchall(sql))


async def test_a_declined_question_is_answered_once_its_suggestion_is_accepted(app, knowledge_copy):
    before = await app.asks.ask(DECLINED)
    assert not before.answered  # declined (or a clarify): no card

    token = await service(app).remember(before.question)  # sent with the decline's buttons
    assert await service(app).pick(token, TOPIC, DECLINE)  # the agent opened this topic
    [suggestion] = await service(app).open()
    assert (suggestion.topic.id, suggestion.question, suggestion.picks) == (TOPIC, DECLINED, 1)

    decision = await service(app).accept(suggestion.id)

    assert decision.reload is not None and decision.reload.ok  # the live reload picked it up
    after = await app.asks.ask(DECLINED)
    assert after.answered and after.topic.id == TOPIC
    assert DECLINED in (knowledge_copy / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8")
    assert await service(app).open() == []  # accepted: no longer proposed


async def test_personal_data_in_a_question_never_reaches_the_database_or_the_yaml(
    app, knowledge_copy
):
    question = "mr Jones at 07700 900123 mails a handwritten letter each week about the meter"
    token = await service(app).remember(question)
    await service(app).pick(token, TOPIC, DECLINE)
    assert await service(app).record_pick(question, TOPIC, CLARIFY)

    stored = await rows(
        app, "SELECT question FROM suggestions UNION SELECT question FROM pick_tokens"
    )
    assert stored and all("900123" not in text and "Jones" not in text for (text,) in stored)
    [suggestion] = await service(app).open()
    assert suggestion.picks == 2 and "[phone]" in suggestion.question
    await service(app).accept(suggestion.id)
    written = (knowledge_copy / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8")
    assert "[phone]" in written and "900123" not in written and "Jones" not in written


async def test_the_same_question_is_one_suggestion_and_the_most_picked_come_first(app):
    for text in (
        "grandpa phones the meter line every hour",
        "Grandpa  phones the METER line every hour",
    ):
        await service(app).record_pick(text, TOPIC, CLARIFY)
    await service(app).record_pick("an old man writes to us about the meter daily", TOPIC, DECLINE)
    await service(app).record_pick("grandpa phones the meter line every hour", "long-wait", DECLINE)

    found = await service(app).open()

    assert [(s.topic.id, s.picks) for s in found] == [(TOPIC, 2), (TOPIC, 1), ("long-wait", 1)]
    assert (found[0].via_clarify, found[0].via_decline) == (2, 0)
    assert [s.topic.id for s in await service(app).open("long-wait")] == ["long-wait"]


@pytest.mark.parametrize(
    ("question", "topic_id"),
    [
        (DECLINED, None),  # "None of these": the ask log keeps the gap
        (DECLINED, "no-such-topic"),
        ("[name] [phone] [email]", TOPIC),  # nothing left but placeholders
        ("meter " * 80, TOPIC),  # longer than a question may be
        ("TODO write this", TOPIC),
    ],
)
async def test_picks_that_could_never_be_an_example_question_are_not_counted(
    app, question, topic_id
):
    assert not await service(app).record_pick(question, topic_id, DECLINE)
    assert await rows(app, "SELECT * FROM suggestions") == []


async def test_a_question_the_topic_already_has_is_not_proposed(app):
    existing = app.knowledge.kb.topic("long-wait").questions[0]
    await service(app).record_pick(existing.upper() + "!", "long-wait", CLARIFY)
    assert await service(app).open() == []


async def test_a_reply_counts_one_pick_and_its_token_expires(app, clock):
    token = await service(app).remember(DECLINED)
    assert await service(app).pick(token, TOPIC, CLARIFY)
    assert not await service(app).pick(token, "long-wait", CLARIFY)  # a second click
    late = await service(app).remember("an old man writes to us about the meter daily")
    clock.now += timedelta(days=3)
    assert not await service(app).pick(late, TOPIC, CLARIFY)
    assert not await service(app).pick("not a token!", TOPIC, CLARIFY)
    assert [s.picks for s in await service(app).open()] == [1]


async def test_a_related_card_counts_only_after_not_helpful(app):
    plain = await service(app).remember(DECLINED)
    assert not await service(app).pick(plain, TOPIC, RELATED)  # opened without a vote
    voted = await service(app).remember("an old man writes to us about the meter daily")
    assert await service(app).not_helpful(voted)
    assert await service(app).pick(voted, TOPIC, RELATED)
    [suggestion] = await service(app).open()
    assert suggestion.via_related == 1


async def test_a_rejected_suggestion_never_comes_back(app):
    await service(app).record_pick(DECLINED, TOPIC, DECLINE)
    [suggestion] = await service(app).open()
    decision = await service(app).reject(suggestion.id)
    assert not decision.accepted
    await service(app).record_pick(DECLINED, TOPIC, CLARIFY)  # picked again later
    assert await service(app).open() == []
    with pytest.raises(CoachError, match="already rejected"):
        await service(app).accept(suggestion.id)


async def test_accepting_twice_or_an_unknown_number_says_so_and_writes_once(app, knowledge_copy):
    await service(app).record_pick(DECLINED, TOPIC, DECLINE)
    [suggestion] = await service(app).open()
    await service(app).accept(suggestion.id)
    with pytest.raises(CoachError, match="already accepted"):
        await service(app).accept(suggestion.id)
    with pytest.raises(CoachError, match="no suggestion 99"):
        await service(app).reject(99)
    text = (knowledge_copy / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8")
    assert text.count(DECLINED) == 1


async def test_a_failed_edit_leaves_the_suggestion_open(app, knowledge_copy):
    await service(app).record_pick(DECLINED, TOPIC, DECLINE)
    [suggestion] = await service(app).open()
    path = knowledge_copy / "topics" / f"{TOPIC}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnot: [closed\n", encoding="utf-8")

    with pytest.raises(CoachError):
        await service(app).accept(suggestion.id)

    assert [s.id for s in await service(app).open()] == [suggestion.id]


def test_what_may_be_proposed():
    assert proposable("customer keeps writing letters")
    assert not proposable("[name] says hi")  # two words besides the placeholder
    assert not proposable("")


async def test_old_tokens_are_deleted_not_just_ignored(app, clock):
    await service(app).remember(DECLINED)
    clock.now += timedelta(days=3)
    await service(app).remember("an old man writes to us about the meter daily")
    assert await rows(app, "SELECT question FROM pick_tokens") == [
        ("an old man writes to us about the meter daily",)
    ]
