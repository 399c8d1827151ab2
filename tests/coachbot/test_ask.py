"""The ask service answers every kind of input with something the adapters can show."""

from __future__ import annotations

import pytest

from coachbot.ask import AskKind
from coachbot.knowledge.text import words
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


@pytest.mark.parametrize(
    "text", ["no", "Yes", "yes please", "no thanks", "nope", "test", "testing 123", "lol", "caller"]
)
async def test_acknowledgements_and_lone_words_that_name_no_topic_are_not_questions(app, text):
    result = await app.asks.ask(text)
    assert result.kind is AskKind.NOT_A_QUESTION
    assert (result.answered, result.topic, result.alternatives) == (False, None, ())
    assert await AskLog(app.database).since(app.clock().date()) == []  # no noise for trainers


@pytest.mark.parametrize("text", ["clear", "exit", "topics", "stop", "/ask", "!quiz", "/clear"])
async def test_commands_typed_where_a_question_goes_are_commands(app, text):
    result = await app.asks.ask(text)
    assert result.kind is AskKind.COMMAND and not result.answered and result.topic is None
    assert await AskLog(app.database).since(app.clock().date()) == []


@pytest.mark.parametrize(
    ("text", "topic_id"),
    [
        ("refund", "refund-not-possible"),
        ("abusive", "abusive-customer"),
        ("escalate", "escalate-to-supervisor"),
        ("crying", "customer-personal-stress"),
        ("yelling customer", "stay-calm"),
        # terse questions from the knowledge base's own examples
        ("vague caller", "clarify-the-issue"),
        ("churn threat", "threatens-to-leave"),
        ("hold etiquette", "tone-of-voice"),
        ("/ask customer keeps yelling at me", "stay-calm"),  # the command word is dropped
    ],
)
def test_terse_questions_that_name_a_topic_still_get_their_card(app, text, topic_id):
    result = app.asks.answer(text)
    assert result.kind is AskKind.CARD and result.topic.id == topic_id


async def test_a_lone_word_no_topic_uses_is_declined_and_noted_for_the_trainers(app, clock):
    result = await app.asks.ask("lawyer")
    assert result.kind is AskKind.DECLINED
    (logged,) = await AskLog(app.database).since(clock().date(), answered=False)
    assert logged.question == "lawyer"


def test_a_topic_id_opens_that_card(app):
    result = app.asks.answer("Stay-Calm")
    assert result.kind is AskKind.CARD and result.topic.id == "stay-calm"
    assert result.confidence == 1.0


@pytest.mark.parametrize(
    "markup",
    [
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<@!123456789012345678>",
        "<@&123456789012345678>",
        "<#123456789012345678>",
        "<:angry_face:123456789012345678>",
        "<a:party:123456789012345678>",
        "<@U024BE7LH|ann>",
        "<!here>",
        "<!channel>",
        "<#C024BE7LR|general>",
        ":smile: :thumbsup:",
        "🙂",
    ],
)
async def test_mentions_channel_links_and_emoji_do_not_change_the_answer(app, clock, markup):
    plain = app.asks.answer("customer keeps screaming at me")
    for text in (
        f"{markup} customer keeps screaming at me",
        f"customer keeps {markup} screaming at me",
    ):
        result = await app.asks.ask(text)
        assert (result.kind, result.topic, result.confidence) == (
            plain.kind,
            plain.topic,
            plain.confidence,
        )
        assert words(result.question) == words(plain.question)  # what is logged, too
    logged = await AskLog(app.database).since(clock().date())
    assert "123456789012345678" not in repr(logged) and "U024BE7LH" not in repr(logged)
