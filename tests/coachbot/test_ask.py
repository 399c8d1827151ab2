"""The ask service answers every kind of input with something the adapters can show."""

from __future__ import annotations

import pytest

from coachbot.ask import AskKind
from coachbot.store.asks import AskLog


async def test_a_question_gets_a_card_and_is_logged_by_day_without_identity(app, clock):
    result = await app.asks.ask("customer keeps screaming at me")
    assert result.kind is AskKind.CARD and result.topic is not None
    (logged,) = await AskLog(app.database).since(clock().date())
    assert logged.day == clock().date()
    assert logged.topic_id == result.topic.id and logged.answered
    columns = await _columns(app.database, "asks")
    # the team (server) is kept for its own report; nothing names the asker
    assert columns == {"id", "day", "question", "topic_id", "confidence", "answered", "guild_id"}


async def test_personal_data_in_a_question_is_masked_before_it_is_stored(app, clock):
    await app.asks.ask(
        "customer jane.doe@example.com on +44 20 7946 0958 paid with 4242 4242 4242 4242, "
        "now she is yelling"
    )
    (logged,) = await AskLog(app.database).since(clock().date())
    assert "jane.doe" not in logged.question and "4242" not in logged.question
    assert "7946" not in logged.question
    assert "[email]" in logged.question and "[phone]" in logged.question
    assert "[card]" in logged.question


async def test_declined_questions_are_logged_for_the_gap_report(app, clock):
    result = await app.asks.ask("how do I configure the VPN on my laptop")
    assert result.kind is AskKind.DECLINED
    (logged,) = await AskLog(app.database).since(clock().date(), answered=False)
    assert not logged.answered


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "\x00\x07\x1b[31m", "?!?!"])
async def test_empty_or_wordless_input_asks_for_words(app, text):
    result = await app.asks.ask(text)
    assert result.kind is AskKind.EMPTY
    assert await AskLog(app.database).since(app.clock().date()) == []


@pytest.mark.parametrize("text", ["hi", "Hello!", "help", "thanks", "thank you", "ok cheers"])
async def test_greetings_and_help_get_the_help_text(app, text):
    assert (await app.asks.ask(text)).kind is AskKind.HELP


async def test_ten_thousand_characters_get_a_clear_reply(app):
    result = await app.asks.ask("customer yelling " * 700)
    assert result.kind is AskKind.TOO_LONG


async def test_hostile_text_is_stored_as_plain_data(app, clock):
    await app.asks.ask("'); DROP TABLE asks; -- customer is yelling")
    (logged,) = await AskLog(app.database).since(clock().date())
    assert "DROP TABLE" in logged.question


async def _columns(database, table: str) -> set[str]:
    async with database.connection.execute(f"PRAGMA table_info({table})") as cursor:
        return {row[1] for row in await cursor.fetchall()}


def test_a_title_picked_from_autocomplete_opens_that_card(app):
    topic = app.knowledge.kb.by_id["tone-of-voice"]
    result = app.asks.answer(topic.title.upper())
    assert result.topic == topic and result.confidence == 1.0


async def test_the_ask_log_holds_placeholders_not_names_emails_or_phones(app, clock):
    # One scrubber everywhere: the ask log goes through the same one as debriefs.
    await app.asks.ask(
        "my customer Priya Raman (priya.raman@example.com, 07700 900123) keeps yelling at me"
    )
    async with app.database.connection.execute("SELECT question FROM asks") as cursor:
        [(stored,)] = await cursor.fetchall()
    assert stored == "my customer [name] ([email], [phone]) keeps yelling at me"
