"""The ask hot path on PostgreSQL: N agents at once ask, then click, against one App.

Why: `make load LOAD_DB=compare` showed ask p99 1.2 s on PostgreSQL with the bots at a
quarter of a core: the time goes to waiting, not computing. This measures the store's share
of an ask and a click as the bots make them (shared rate limit, ask, reply token; then the
token's pick and a vote) with `--agents` at once, and samples what waits meanwhile: the
server's backends by wait event (pg_stat_activity) and the asyncpg pool's queue.

    python -m benchmarks.pg_hotpath [--agents 200] [--rounds 10] [--runs 3] [--think 0]

Prints p50/p99 of ask and click per run and the median over runs. Needs the PostgreSQL server
binaries (tests/pg_server.py starts a server of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import asyncpg

from coachbot.app import App
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from coachbot.store.database import Database
from coachbot.suggestions import DECLINE
from tests import pg_server

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
# questions the shipped knowledge declines or clarifies (they get a token), and one it answers
QUESTIONS = (
    "grandpa mails a handwritten letter each week about the meter",
    "an old man writes to us about the meter daily",
    "customer keeps shouting at me about the bill",
)


@dataclass
class Samples:
    waits: Counter[str] = field(default_factory=Counter)  # backend state/wait event -> samples
    queued: list[int] = field(default_factory=list)  # tasks waiting for a pooled connection
    sizes: list[int] = field(default_factory=list)  # connections open in the pool
    busy: float = 0.0  # this process's CPU time over wall time (1.0: a whole core)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def agent(
    app: App, n: int, round_: int, think: float, asks: list[float], clicks: list[float]
) -> None:
    question = QUESTIONS[n % len(QUESTIONS)]
    start = time.perf_counter()
    await app.ask_limits.hit(f"bench:{n}")
    result = await app.asks.ask(question, guild_id="team")
    token = await app.suggestions.remember(result.question) or ""
    asks.append(time.perf_counter() - start)
    await asyncio.sleep(think)  # the agent reads the reply, then clicks
    start = time.perf_counter()
    if token:
        await app.suggestions.pick(token, "repeat-difficult-customer", DECLINE)
    await app.feedback.vote(
        "repeat-difficult-customer", n % 2 == 0, card=f"c{round_}:{n}", voter=str(n)
    )
    clicks.append(time.perf_counter() - start)


async def sample(app: App, url: str, samples: Samples, stop: asyncio.Event) -> None:
    watcher = await asyncpg.connect(url)
    pool = getattr(app.database, "pool", None)
    try:
        while not stop.is_set():
            rows = await watcher.fetch(
                "SELECT state, wait_event_type, wait_event FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            for state, kind, event in rows:
                samples.waits[f"{state}:{kind or '-'}:{event or '-'}"] += 1
            if pool is not None:
                samples.sizes.append(pool.get_size())
                queue = getattr(pool, "_queue", None)
                samples.queued.append(len(getattr(queue, "_getters", ()) or ()))
            await asyncio.sleep(0.01)
    finally:
        await watcher.close()


async def one_run(
    url: str, agents: int, rounds: int, think: float
) -> tuple[list[float], list[float], Samples]:
    settings = Settings(data_dir=Path("/nonexistent"), knowledge_dir=KNOWLEDGE)
    settings = replace(settings, database_url=url)
    app = App(settings, LiveKnowledge.load(KNOWLEDGE), await Database.open(url))
    app.asks.batch_log(1.0)  # as `coachbot run` does
    if app.knowledge_sync is not None:
        await app.knowledge_sync.start()
    asks: list[float] = []
    clicks: list[float] = []
    samples = Samples()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample(app, url, samples, stop))
    cpu = wall = 0.0
    try:
        for round_ in range(rounds):
            started, used = time.perf_counter(), time.process_time()
            await asyncio.gather(
                *(agent(app, n, round_, think, asks, clicks) for n in range(agents))
            )
            cpu += time.process_time() - used
            wall += time.perf_counter() - started
            await asyncio.sleep(1.1)  # the ask log's batch written between bursts
    finally:
        samples.busy = cpu / wall if wall else 0.0
        stop.set()
        await sampler
        await app.close()
    return asks, clicks, samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds between the reply and the click (0: at once, the worst case for a"
        " reply's token, still in the ask log's batch; people take a second or more)",
    )
    options = parser.parse_args(argv)
    missing = pg_server.unavailable()
    if missing:
        print(f"skipped: {missing}")
        return 0
    results = []
    with pg_server.running() as server:
        for run in range(options.runs):
            name = f"hotpath_{run}"
            pg_server.psql(server, f"CREATE DATABASE {name}")
            asks, clicks, samples = asyncio.run(
                one_run(server.url(name), options.agents, options.rounds, options.think)
            )
            ms = [
                1000 * pct(v, q) for v in (asks, clicks) for q in (0.5, 0.99)
            ]  # ask p50, p99, click p50, p99
            results.append(ms)
            print(
                f"run {run + 1}: ask p50 {ms[0]:.1f} ms p99 {ms[1]:.1f} ms;"
                f" click p50 {ms[2]:.1f} ms p99 {ms[3]:.1f} ms;"
                f" pool size max {max(samples.sizes, default=0)},"
                f" queued max {max(samples.queued, default=0)}"
                f" mean {statistics.fmean(samples.queued or [0]):.1f};"
                f" CPU in the bursts {100 * samples.busy:.0f}% of a core (with the sampler)"
            )
            top = ", ".join(f"{k} {v}" for k, v in samples.waits.most_common(5))
            print(f"  backends sampled: {top}")
    medians = [statistics.median(r[i] for r in results) for i in range(4)]
    print(
        f"median of {options.runs} runs: ask p50 {medians[0]:.1f} ms p99 {medians[1]:.1f} ms;"
        f" click p50 {medians[2]:.1f} ms p99 {medians[3]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
