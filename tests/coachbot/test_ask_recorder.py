"""The ask log is masked off the reply path: the bot keeps the raw question in memory until
its batch is written, masks each distinct question once, and never stores one unmasked."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path

import pytest

from coachbot import masks
from coachbot.app import App
from coachbot.ask_recorder import AskRecorder, PendingAsk
from coachbot.debrief import scrubber
from coachbot.store.asks import AskLog
from coachbot.store.database import Database

DAY = date(2026, 11, 23)
QUESTION = "customer jane.doe@example.com keeps screaming at me"


@pytest.fixture
def scrubs(monkeypatch) -> list[str]:
    """The texts the scrubber was run on, in order (one entry per whole scrub)."""
    seen: list[str] = []
    real = scrubber.scrub

    def counting(text, **options):
        seen.append(text)
        return real(text, **options)

    monkeypatch.setattr(scrubber, "scrub", counting)
    monkeypatch.setattr(masks, "scrub", counting)
    monkeypatch.setattr("coachbot.suggestions.scrub", counting, raising=False)  # ran there,
    monkeypatch.setattr("coachbot.ask.scrub", counting, raising=False)  # and here before
    monkeypatch.setattr("coachbot.ask_recorder.scrub", counting, raising=False)
    return seen


def pending(question: str = QUESTION) -> PendingAsk:
    return PendingAsk(DAY, question, "stay-calm", 0.8, True, "guild")


async def stored(database) -> list[str]:
    return [row[0] for row in await database.fetch("SELECT question FROM asks ORDER BY id")]


async def test_a_batched_ask_is_not_scrubbed_while_the_agent_waits(app, scrubs):
    app.asks.batch_log(60)
    await app.asks.ask(QUESTION)

    assert scrubs == []  # the reply is ready, nothing scrubbed yet
    await app.asks.flush_log()
    assert scrubs == [QUESTION]
    assert await stored(app.database) == ["customer [email] keeps screaming at me"]


async def test_a_repeated_question_is_scrubbed_once_across_batches(app, scrubs):
    app.asks.batch_log(60)
    for _ in range(3):
        await app.asks.ask(QUESTION)
    await app.asks.flush_log()
    for _ in range(2):
        await app.asks.ask(QUESTION)
    await app.asks.flush_log()

    assert scrubs == [QUESTION]
    assert await stored(app.database) == ["customer [email] keeps screaming at me"] * 5


async def test_the_ask_log_and_the_reply_token_scrub_a_question_once(app, scrubs):
    app.asks.batch_log(60)
    result = await app.asks.ask(QUESTION)
    assert await app.suggestions.remember(result.question) is not None  # the reply's buttons
    await app.asks.flush_log()

    assert scrubs == [QUESTION]
    assert await stored(app.database) == ["customer [email] keeps screaming at me"]


async def test_a_question_whose_scrub_fails_is_dropped_and_the_batch_kept(
    database, monkeypatch, caplog
):
    real = scrubber.scrub

    def failing_for_one(text, **options):
        if "Brackenbury" in text:
            raise scrubber.ScrubFailed()
        return real(text, **options)

    monkeypatch.setattr(masks, "scrub", failing_for_one)
    recorder = AskRecorder(AskLog(database))
    recorder.batch(60)
    with caplog.at_level(logging.DEBUG):
        for question in ("before", "Ottoline Brackenbury shouted at me", "after"):
            await recorder.record(pending(question))
        await recorder.flush()

    assert await stored(database) == ["before", "after"]
    assert "Brackenbury" not in caplog.text


async def test_a_full_batch_is_written_without_waiting_for_the_timer(database):
    recorder = AskRecorder(AskLog(database))
    recorder.batch(60, max_rows=4)
    for n in range(9):
        await recorder.record(pending(f"question {n}"))
    for _ in range(500):  # the full batches are written in tasks of their own; polls
        if len(await stored(database)) == 8:
            break
        await asyncio.sleep(0.01)
    assert await stored(database) == [f"question {n}" for n in range(8)]  # the ninth waits
    assert recorder.pending == 1


async def test_an_old_batch_is_written_by_the_next_ask_if_the_timer_could_not_run(database):
    now = [0.0]
    recorder = AskRecorder(AskLog(database), monotonic=lambda: now[0])
    recorder.batch(1.0)
    await recorder.record(pending("first"))
    now[0] = 1.5  # the loop was blocked (e.g. reading input) past the timer
    await recorder.record(pending("second"))
    assert recorder.pending == 0
    await recorder.flush()
    assert await stored(database) == ["first", "second"]


async def test_the_buffer_is_written_soon_after_the_first_ask(database):
    recorder = AskRecorder(AskLog(database))
    recorder.batch(0.01)
    await recorder.record(pending("one"))
    for _ in range(500):  # polls; no assertion on how long it took
        if await stored(database):
            break
        await asyncio.sleep(0.01)
    assert await stored(database) == ["one"]


async def test_closing_the_database_writes_what_is_buffered(settings, live_knowledge, clock):
    app = App(settings, live_knowledge, await Database.open(settings.database_path), clock)
    app.asks.batch_log(60)
    await app.asks.ask(QUESTION)
    await app.close()
    reopened = await Database.open(settings.database_path)
    try:
        assert await stored(reopened) == ["customer [email] keeps screaming at me"]
    finally:
        await reopened.close()


@pytest.mark.parametrize("batched", [False, True])
async def test_a_question_with_a_lone_surrogate_is_stored_with_a_replacement(database, batched):
    recorder = AskRecorder(AskLog(database))
    if batched:
        recorder.batch(60)
    await recorder.record(pending("bad \udcff byte \ud800"))
    await recorder.record(pending("question 2"))  # and the rows after it are not lost
    await recorder.flush()
    assert await stored(database) == ["bad \ufffd byte \ufffd", "question 2"]


@pytest.mark.parametrize(("seconds", "max_rows"), [(0, 10), (-1, 10), (1, 0)])
async def test_a_batch_needs_a_positive_period_and_size(database, seconds, max_rows):
    with pytest.raises(ValueError):
        AskRecorder(AskLog(database)).batch(seconds, max_rows)


def test_the_store_never_imports_the_scrubber():
    import coachbot.store.asks as store

    source = Path(store.__file__).read_text(encoding="utf-8")
    assert "scrub" not in source and "safetext" not in source
