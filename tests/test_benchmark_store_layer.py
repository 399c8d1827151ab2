"""benchmarks/store_layer.py keeps measuring what it says: every hot call runs on the real
repositories and checks its result, and the size comparison counts lines of code only."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest

from benchmarks import store_layer
from coachbot.store.database import Database

CALLS = {"claim", "record_answer", "leaderboard", "ask_batch", "debrief_add", "answer_burst"}


def _workload(tmp_path: Path, variant: str) -> dict[str, store_layer.Sample]:
    async def go() -> dict[str, store_layer.Sample]:
        db = await store_layer._open(variant, str(tmp_path / "coachbot.db"))
        try:
            return await store_layer.workload(db, 20)
        finally:
            await db.close()

    return asyncio.run(go())


def test_every_hot_call_is_measured_on_the_thin_layer(tmp_path: Path) -> None:
    samples = _workload(tmp_path, store_layer.LAYER)
    assert set(samples) == CALLS
    assert len(samples["record_answer"].latencies) == 20
    assert len(samples["answer_burst"].latencies) == 2 * store_layer.BURST
    assert all(min(s.latencies) > 0 and s.cpu >= 0 for s in samples.values())


@pytest.mark.skipif(
    importlib.util.find_spec("sqlalchemy") is None,
    reason="SQLAlchemy is not installed (not a CoachBot dependency): nothing to compare",
)
@pytest.mark.parametrize("variant", ["text", "driver_sql"])
def test_sqlalchemy_runs_the_same_calls_and_stores_the_same_rows(
    tmp_path: Path, variant: str
) -> None:
    samples = _workload(tmp_path, variant)
    assert set(samples) == CALLS

    async def count() -> int:
        db = await Database.open(tmp_path / "coachbot.db")
        try:
            return (await db.fetch("SELECT COUNT(*) FROM quiz_answers"))[0][0]
        finally:
            await db.close()

    # 20 answers + 5 warm-up ones on the first post, 2 bursts of 100 on the second
    assert asyncio.run(count()) == 25 + 2 * store_layer.BURST


def test_a_wrong_result_stops_the_benchmark() -> None:
    with pytest.raises(RuntimeError, match="wrong result: a first answer was refused"):
        store_layer._check(False, "a first answer was refused")


def test_code_lines_counts_code_only(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text(
        '"""Module docstring,\non two lines."""\n'
        "\n"
        "import os  # a comment after code counts\n"
        "\n"
        "\n"
        "def wanted(x):\n"
        '    """Its docstring does not count."""\n'
        "    # nor a comment line\n"
        "    return (x +\n"
        "            1)\n"
        "\n"
        "\n"
        "class Box:\n"
        "    def other(self):\n"
        "        return os.sep\n",
        encoding="utf-8",
    )
    assert store_layer.code_lines(source, ("wanted",)) == 3
    assert store_layer.code_lines(source, ("Box.other",)) == 2
    assert store_layer.code_lines(source) == 7
