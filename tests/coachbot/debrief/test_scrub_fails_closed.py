"""A scrubber pass that breaks fails closed: nothing half-scrubbed is stored or logged, the
person is told plainly, and the log says which pass broke without quoting the text."""

from __future__ import annotations

import logging

import pytest

from coachbot.ask import AskKind
from coachbot.console import Console
from coachbot.debrief import scrubber
from coachbot.errors import SCRUB_FAILED, CoachError, ScrubFailed
from coachbot.store.asks import AskLog

SECRET = "Ottoline Brackenbury"


def _broken(ledger) -> None:
    raise ValueError(f"could not parse {ledger.text!r}")  # its message quotes the text


@pytest.fixture
def broken_pass(monkeypatch):
    monkeypatch.setattr(scrubber, "_PASSES", (*scrubber._PASSES, ("broken", _broken)))


def _logged(caplog) -> str:
    return "\n".join(
        f"{r.getMessage()} {r.exc_info!r} {r.exc_text!r} {r.__dict__}" for r in caplog.records
    )


def test_a_failing_pass_refuses_the_text_and_logs_where_without_the_text(broken_pass, caplog):
    with caplog.at_level(logging.DEBUG), pytest.raises(ScrubFailed) as failed:
        scrubber.scrub(f"{SECRET} rang about a late parcel")

    assert isinstance(failed.value, CoachError) and failed.value.user_message == SCRUB_FAILED
    assert failed.value.__suppress_context__  # its traceback does not show the pass's error
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert "'broken'" in record.getMessage() and "ValueError" in record.getMessage()
    assert "test_scrub_fails_closed.py:" in record.getMessage()  # where it broke
    assert "Brackenbury" not in _logged(caplog)


async def test_a_debrief_is_not_prepared_so_nothing_can_be_stored(app, broken_pass):
    with pytest.raises(ScrubFailed):
        app.debriefs.prepare("g1", {"what_happened": f"{SECRET} shouted at me for an hour"})
    assert await app.database.connection.execute_fetchall("SELECT * FROM debriefs") == []


async def test_the_terminal_says_so_plainly_and_keeps_the_conversation_going(app, broken_pass):
    console = Console(app)
    await console.handle("debrief")
    for line in (f"{SECRET} shouted at me", "I listened", "skip"):
        await console.handle(line)

    reply = await console.handle("Next time I check the account first")

    assert SCRUB_FAILED in reply and "Brackenbury" not in reply and "What happened?" in reply
    assert (await app.debriefs.report("local")).total == 0
    assert "Nothing was stored" in await console.handle("cancel")


async def test_an_ask_still_gets_its_card_but_leaves_no_unmasked_log_row(
    app, clock, broken_pass, caplog
):
    with caplog.at_level(logging.DEBUG):
        result = await app.asks.ask("customer keeps screaming at me")

    assert result.kind is AskKind.CARD and result.topic is not None
    assert await AskLog(app.database).since(clock().date()) == []
    assert "screaming" not in _logged(caplog)
