"""The token behind a reply's buttons costs the reply nothing: drawn at once, its masked question
written in the ask log's next batch. A click right after the reply still counts (this process
flushes the batch; another process waits for it a little), and a question whose scrub fails
leaves a token that counts nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from coachbot import masks
from coachbot.app import App
from coachbot.debrief import scrubber
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.database import Database
from coachbot.suggestions import CLARIFY, DECLINE, RELATED, WAIT_FOR_OTHERS

# Declined by the shipped knowledge base; written for this test (not from a held-out set).
DECLINED = "grandpa mails a handwritten letter each week about the meter"
TOPIC = "repeat-difficult-customer"


class Counted:
    """Counts the statements an App sends to its database (any kind)."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.statements: list[str] = []
        for name in ("fetch", "execute", "executemany"):
            real = getattr(database, name)
            monkeypatch.setattr(database, name, self._counting(real))

    def _counting(self, real):
        async def counted(sql, params=()):
            self.statements.append(sql)
            return await real(sql, params)

        return counted


async def _app(settings: Settings, live_knowledge: LiveKnowledge, clock) -> App:
    app = App(settings, live_knowledge, await Database.open(settings.database_target), clock)
    app.asks.batch_log(60)  # as the bots run: the timer never fires during a test
    return app


@pytest.fixture
async def batched(settings, live_knowledge, clock) -> AsyncIterator[App]:
    app = await _app(settings, live_knowledge, clock)
    yield app
    await app.close()


async def _tokens(app: App) -> list[tuple]:
    return await app.database.fetch("SELECT question, used FROM pick_tokens")


async def test_the_reply_path_writes_nothing_for_the_token(batched, monkeypatch):
    counted = Counted(batched.database, monkeypatch)
    result = await batched.asks.ask(DECLINED)
    token = await batched.suggestions.remember(result.question)

    assert token and counted.statements == []  # the reply goes out before any write
    await batched.asks.flush_log()
    assert [sql.split(" (")[0] for sql in counted.statements if "pick_tokens (" in sql] == [
        "INSERT INTO pick_tokens"  # one statement in the batch
    ]
    assert await _tokens(batched) == [(DECLINED, 0)]


async def test_a_click_right_after_the_reply_still_counts(batched):
    result = await batched.asks.ask(DECLINED)
    token = await batched.suggestions.remember(result.question)

    assert await batched.suggestions.pick(token, TOPIC, DECLINE)  # before any batch ran
    assert not await batched.suggestions.pick(token, TOPIC, DECLINE)  # once per reply
    [suggestion] = await batched.suggestions.open()
    assert (suggestion.question, suggestion.via_decline) == (DECLINED, 1)


async def test_not_helpful_right_after_the_card_still_counts(batched):
    token = await batched.suggestions.remember("an old man writes to us about the meter daily")
    assert await batched.suggestions.not_helpful(token)
    assert await batched.suggestions.pick(token, TOPIC, RELATED)


async def test_a_question_whose_scrub_fails_gets_no_usable_token(batched, monkeypatch):
    def failing(text, **options):
        raise scrubber.ScrubFailed()

    monkeypatch.setattr(masks, "scrub", failing)
    question = "Ottoline Brackenbury mails a handwritten letter each week"
    token = await batched.suggestions.remember(question)

    assert not await batched.suggestions.pick(token or "none-given", TOPIC, CLARIFY)
    assert await _tokens(batched) == [("", 1)]  # written used up, without the text
    assert await batched.suggestions.open() == []


async def test_a_short_question_gets_no_token_at_all(batched):
    assert await batched.suggestions.remember("refund please") is None
    await batched.asks.flush_log()
    assert await _tokens(batched) == []


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_settings(request, settings: Settings) -> Settings:
    """PostgreSQL, or one SQLite file with COACHBOT_MULTI_PROCESS=1."""
    if request.param == "sqlite":
        return replace(settings, multi_process=True)
    return replace(settings, database_url=request.getfixturevalue("postgres_url"))


@pytest.fixture
async def two_processes(shared_settings, live_knowledge, clock) -> AsyncIterator[tuple[App, App]]:
    first = await _app(shared_settings, live_knowledge, clock)
    second = await _app(shared_settings, live_knowledge, clock)
    yield first, second
    await first.close()
    await second.close()


async def test_a_click_on_another_process_waits_for_the_batch(two_processes):
    first, second = two_processes
    token = await first.suggestions.remember(DECLINED)  # still in the first one's batch
    waited: list[float] = []

    async def first_writes_its_batch_meanwhile(seconds: float) -> None:
        waited.append(seconds)
        await first.asks.flush_log()

    second.suggestions._sleep = first_writes_its_batch_meanwhile
    assert await second.suggestions.pick(token, TOPIC, CLARIFY)
    assert waited == [WAIT_FOR_OTHERS[0]]


async def test_a_used_or_unknown_token_is_not_waited_for(two_processes):
    first, second = two_processes
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    second.suggestions._sleep = sleep
    token = await first.suggestions.remember(DECLINED)
    await first.asks.flush_log()
    assert await first.suggestions.pick(token, TOPIC, CLARIFY)
    assert not await second.suggestions.pick(token, TOPIC, CLARIFY)  # used: no wait
    assert waited == []
    assert not await second.suggestions.pick("neverissued", TOPIC, CLARIFY)  # gives up
    assert waited == list(WAIT_FOR_OTHERS)


async def test_one_process_never_waits_for_a_token(batched):
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    batched.suggestions._sleep = sleep
    assert not await batched.suggestions.pick("neverissued", TOPIC, CLARIFY)
    assert waited == []


async def test_clicks_on_a_batch_being_written_wait_for_it_and_write_no_other(batched, monkeypatch):
    counted = Counted(batched.database, monkeypatch)
    first = await batched.suggestions.remember(DECLINED)
    picking = asyncio.ensure_future(batched.suggestions.pick(first, TOPIC, DECLINE))
    await asyncio.sleep(0)  # the click has the first batch written
    await batched.suggestions.remember("an old man writes to us about the meter daily")

    assert await batched.suggestions.not_helpful(first)  # a second click on the first reply
    assert await picking
    token_batches = [sql for sql in counted.statements if sql.startswith("INSERT INTO pick_")]
    assert len(token_batches) == 1  # the second reply's token waits for its own batch
