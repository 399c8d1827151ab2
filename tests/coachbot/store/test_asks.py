"""The ask log's rows, as given (masking and batching: tests/coachbot/test_ask_recorder.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.database import Database

DAY = date(2026, 11, 23)


def ask(n: int) -> LoggedAsk:
    return LoggedAsk(DAY, f"question {n}", "stay-calm", 0.5, True, "guild")


async def stored(database: Database) -> int:
    rows = await database.fetch("SELECT COUNT(*) FROM asks")
    return int(rows[0][0])


async def test_without_batching_each_ask_is_written_at_once(database):
    await AskLog(database).record(ask(1))
    assert await stored(database) == 1


async def test_a_batch_is_written_in_one_statement(database, monkeypatch):
    statements: list[int] = []
    real = database.executemany

    async def counting(sql, rows):
        statements.append(len(rows))
        await real(sql, rows)

    monkeypatch.setattr(database, "executemany", counting)
    await AskLog(database).record_many([ask(n) for n in range(3)])
    assert statements == [3]
    assert [a.question for a in await AskLog(database).since(DAY)] == [
        f"question {n}" for n in range(3)
    ]


async def test_a_batch_that_cannot_be_written_is_logged_without_its_text(
    database_target: Path | str, caplog
):
    database = await Database.open(database_target)
    await database.close()
    await AskLog(database).record_many([ask(1)])  # the connection is gone: logged, not raised
    assert "could not write 1 ask-log rows" in caplog.text
    assert "question 1" not in caplog.text
