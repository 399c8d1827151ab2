"""The 9:00 burst: 1,000 agents answer the same quiz within 2 seconds, via the service layer.

Clicks arrive at random instants spread over the 2 seconds; latency is measured from each
click's arrival to its answer being stored. Every agent clicks twice (a double click is
common); the second click must be refused.
Afterwards the store must hold exactly one answer per agent and the leaderboard must agree
with the answers given. Usage: python -m benchmarks.quiz_load [--runs 3] [--agents 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from coachbot.app import App
from coachbot.quiz.schedule import parse_schedule
from coachbot.quiz.service import AnswerKind, Period
from coachbot.settings import Settings

REPO = Path(__file__).resolve().parents[1]
MONDAY_9_BERLIN = datetime(2026, 11, 23, 8, 0, 30, tzinfo=UTC)
WINDOW_SECONDS = 2.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _one_run(agents: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), knowledge_dir=REPO / "knowledge")
        app = await App.create(settings, clock=lambda: MONDAY_9_BERLIN)
        quiz = app.quiz
        assert quiz is not None
        try:
            schedule = parse_schedule(
                guild_id="g", channel_id="c", time_text="09:00", timezone_text="Europe/Berlin"
            )
            await quiz.schedules.save(schedule, today=MONDAY_9_BERLIN.date())
            [opened] = await quiz.due_quizzes()
            await quiz.posted(opened, "m1")
            item = opened.items[0]
            rng = random.Random(5)
            choices = {f"agent-{n}": rng.randrange(len(item.choices)) for n in range(agents)}
            latencies: list[float] = []

            began = time.perf_counter()

            async def click(agent: str, at: float) -> AnswerKind:
                await asyncio.sleep(at)
                arrived = began + at
                result = await quiz.answer(opened.post_id, 0, agent, choices[agent])
                latencies.append(time.perf_counter() - arrived)
                return result.kind

            clicks = [agent for agent in choices for _ in range(2)]
            rng.shuffle(clicks)
            arrivals = sorted(rng.uniform(0, WINDOW_SECONDS) for _ in clicks)
            kinds = await asyncio.gather(
                *(click(a, t) for a, t in zip(clicks, arrivals, strict=True))
            )
            burst = time.perf_counter() - began

            recorded = kinds.count(AnswerKind.RECORDED)
            refused = kinds.count(AnswerKind.ALREADY_ANSWERED)
            async with app.database.connection.execute(
                "SELECT COUNT(*), COUNT(DISTINCT agent_id) FROM quiz_answers"
            ) as cursor:
                rows, distinct = await cursor.fetchone()
            expected_right = sum(1 for c in choices.values() if c == item.answer)
            board = await quiz.leaderboard("c", Period.ALL)
            everyone = await quiz.leaderboard("c", Period.ALL, limit=agents)
            right_on_board = sum(s.points for s in everyone)
            if not (recorded == rows == distinct == agents and refused == agents):
                raise SystemExit(f"lost or doubled answers: {recorded=} {rows=} {refused=}")
            if right_on_board != expected_right or (board and board[0].points != 1):
                raise SystemExit("the leaderboard disagrees with the answers")
        finally:
            await app.close()
    return {
        "burst": burst,
        "p50": statistics.median(latencies) * 1000,
        "p99": _percentile(latencies, 0.99) * 1000,
        "throughput": len(clicks) / burst,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agents", type=int, default=1000)
    args = parser.parse_args()
    results = [asyncio.run(_one_run(args.agents)) for _ in range(args.runs)]
    print(
        f"\nQuiz burst: {args.agents} agents x 2 clicks each within {WINDOW_SECONDS:g} s"
        f" ({args.runs} runs)"
    )
    print("| run | burst s | clicks/s | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for n, r in enumerate(results, 1):
        print(
            f"| {n} | {r['burst']:.2f} | {r['throughput']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} |"
        )
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print(
        f"| median | {med['burst']:.2f} | {med['throughput']:.0f} | {med['p50']:.1f}"
        f" | {med['p99']:.1f} |"
    )
    print("every answer recorded exactly once, every second click refused, leaderboard checked")
    print("burst s: first arrival to last answer stored (the clicks arrive over 2 s)")


if __name__ == "__main__":
    main()
