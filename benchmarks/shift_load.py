"""A simulated 1,000-agent shift through the real bot and the loopback Discord (`make load`).

Two processes, so that the bot has a core of its own on a 2-core machine: this one runs the
fake Discord (tests/discord_harness.py) and the agents (benchmarks/_shift.py); the bot runs
`coachbot run` in a child process (tests/bot_process.py) with a data directory of its own and
a clock that starts shortly before 09:00 on a Monday in Berlin. Its own quiz loop posts the
team's 09:00 quiz about half-way through the run, and every agent answers it within
`--burst-seconds` (a fifth of them click twice). All the while asks, practice questions and
debriefs arrive at random instants at the given rates, none waiting for another. The /ask
cooldown is lifted, as in benchmarks/discord_ask.py: 220 asks a second is more than 1,000
agents may ask.

Latency is the fake Discord's: INTERACTION_CREATE leaving its gateway to the bot's callback
request arriving at its REST API. The fake has the other core to itself only if nothing else
runs; its own delays count in the figures, which are therefore pessimistic. Errors: a response
missing or not 2xx, a reply other than the expected one, an ERROR in the bot's log, a request
the fake refused. After each run the quiz answers are checked against what agents were told.

Usage: python -m benchmarks.shift_load [--seconds 60] [--agents 1000] [--runs 3] ...
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks._shift import OPS, Shift
from cogs.quiz import TICK_SECONDS
from tests.load_driver import (
    LoadDiscord,
    is_quiz_post,
    log_problems,
    seed_schedule,
    start_bot,
    stop_bot,
)

NINE_BERLIN = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Berlin
READY_LINE = "Connected to Discord as"
DEADLINE_S = 3.0  # Discord's interaction deadline
TARGET_ASKS_PER_S = 200
TARGET_ASK_P99_MS = 100
WARM_UP_ASKS = 20


async def _ready(log: Path, process: asyncio.subprocess.Process, timeout: float = 60.0) -> None:
    """Until the bot printed that it is connected: its quiz loop has just ticked for the first
    time, so the next ticks come every TICK_SECONDS from now."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while READY_LINE not in log.read_text(encoding="utf-8", errors="replace"):
        if process.returncode is not None or loop.time() > deadline:
            raise SystemExit(f"the bot did not get ready:\n{log.read_text(encoding='utf-8')}")
        await asyncio.sleep(0.05)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used so far, from /proc (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory so far, from /proc (Linux): for a bot that had to be killed and
    so never wrote its own getrusage figures."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def _database_mb(data_dir: Path) -> float:
    """The database file plus its write-ahead log, as they stand (before the bot stops)."""
    files = [data_dir / "coachbot.sqlite3", data_dir / "coachbot.sqlite3-wal"]
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


async def _stop(process: asyncio.subprocess.Process) -> str | None:
    """docker stop; a problem if the bot does not exit cleanly within a minute."""
    try:
        code = await stop_bot(process, timeout=60)
    except TimeoutError:
        process.kill()
        await process.wait()
        return "the bot did not stop within 60 s of SIGTERM"
    return None if code == 0 else f"the bot exited with {code}"


async def _shift(env: LoadDiscord, args: argparse.Namespace, rng: random.Random) -> Shift:
    """The shift itself: the streams for `args.seconds`, and the burst when the quiz appears."""
    shift = Shift(env, env.agents(args.agents), rng)
    for _ in range(WARM_UP_ASKS):  # not counted
        await env.send_slash("ask", user=shift.agents[0], question=shift.questions[0])

    async def nine_oclock() -> None:
        try:
            post = await env.wait_for_message(env.channel, is_quiz_post, args.seconds + 30)
        except AssertionError:
            raise SystemExit("the bot did not post the 09:00 quiz") from None
        await shift.burst(post, args.burst_seconds, args.double_clicks)

    # The fake Discord keeps every request and message of the shift. Its garbage collector,
    # scanning them all, paused it for up to 0.4 s at a time, and every interaction in flight
    # then counted that pause as the bot's. Real Discord does not pause for the bot's
    # benchmark: collect now, and not again until the shift is over.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        shift.began = time.perf_counter()
        await asyncio.gather(
            shift.stream(args.ask_rate, args.seconds, shift.ask),
            shift.stream(args.practice_rate, args.seconds, shift.practice),
            shift.stream(args.debrief_rate, args.seconds, shift.debrief),
            nine_oclock(),
        )
        await shift.drain()
    finally:
        gc.enable()
        gc.unfreeze()
    return shift


async def one_run(args: argparse.Namespace, seed: int) -> dict:
    """Start the fake Discord and the bot, run the shift, stop the bot, collect the figures."""
    # The quiz loop ticks on start and every TICK_SECONDS; the clock starts so that the tick
    # nearest half-way through the run is the first at or after 09:00.
    ticks = int(args.seconds / 2) // TICK_SECONDS
    clock_start = NINE_BERLIN - timedelta(seconds=ticks * TICK_SECONDS)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, log, usage = Path(tmp) / "data", Path(tmp) / "bot.log", Path(tmp) / "usage"
        env = LoadDiscord(timeout=30.0, response_timeout=10.0)
        await seed_schedule(data_dir, env.channel, "09:00", today=NINE_BERLIN.date())
        await env.start()
        try:
            process = await start_bot(
                env, data_dir, log, clock_start=clock_start, lift_ask_cooldown=True, rusage=usage
            )
            await env.wait_for_bot(timeout=60, process=process)
            await _ready(log, process)
            driver_cpu, bot_cpu = time.process_time(), _cpu_seconds(process.pid)
            shift = await _shift(env, args, random.Random(seed))
            driver_cpu = time.process_time() - driver_cpu
            bot_after = _cpu_seconds(process.pid)
            bot_cpu = None if bot_cpu is None or bot_after is None else bot_after - bot_cpu
            database_mb, peak_mb = _database_mb(data_dir), _peak_rss_mb(process.pid)
            stopped = await _stop(process)
        finally:
            await env.stop()
        once = shift.exactly_once(data_dir / "coachbot.sqlite3")
        bot_usage = json.loads(usage.read_text()) if usage.exists() else {}
        problems = env.problems() + log_problems(log.read_text(encoding="utf-8"))
        problems += [f"{r} -> {r.status}" for r in env.requests if not 200 <= r.status < 300]
        problems += [stopped] if stopped else []
        if args.keep_logs is not None:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            shutil.copy(log, args.keep_logs / f"bot-{seed}.log")
            shutil.copy(data_dir / "coachbot.sqlite3", args.keep_logs / f"bot-{seed}.sqlite3")
    asks = shift.ops["ask"].records
    in_time = [r for r in asks if r.callback and r.answered_at <= shift.began + args.seconds]
    return {
        "ops": {name: log_.figures(args.seconds) for name, log_ in shift.ops.items()},
        "asks_per_s": len(in_time) / args.seconds,
        "burst": shift.burst_figures(DEADLINE_S),
        "failures": [f for log_ in shift.ops.values() for f in log_.failures],
        "problems": problems,
        "once": once,
        # /proc's high-water mark starts again at exec; getrusage's ru_maxrss does not (Linux
        # keeps the larger of the parent's at fork), so after a first run it reported the
        # driver's own size. getrusage only where there is no /proc.
        "rss_mb": peak_mb if peak_mb is not None else bot_usage.get("max_rss_kib", 0) / 1024,
        # CPU during the shift; without /proc, the bot's whole life (start-up too)
        "bot_cpu_s": bot_usage.get("cpu_seconds", 0.0) if bot_cpu is None else bot_cpu,
        "driver_cpu_s": driver_cpu,
        "db_mb": database_mb,
    }


# ---- report --------------------------------------------------------------------------------


def _median(results: list[dict], *keys: str) -> float:
    values = []
    for value in results:
        for key in keys:
            value = value[key]
        values.append(value)
    return statistics.median(values)


def _ops_table(results: list[dict]) -> None:
    print("| operation | count | ops/s | p50 ms | p99 ms | max ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in OPS:
        m = {k: _median(results, "ops", name, k) for k in ("count", "rate", "p50", "p99", "max")}
        if name.startswith("quiz"):  # a burst: its rate is over the burst, not the shift
            m["rate"] = statistics.median(
                r["ops"][name]["count"] / max(r["burst"]["seconds"], 1e-9) for r in results
            )
        errors = sum(r["ops"][name]["errors"] for r in results)
        print(
            f"| {name} | {m['count']:,.0f} | {m['rate']:,.1f} | {m['p50']:.1f} | {m['p99']:.1f}"
            f" | {m['max']:.1f} | {errors} |"
        )


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _runs_table(results: list[dict]) -> None:
    print(
        "| run | asks/s | ask p99 ms | ask p99 in burst ms | ask p99 other ms | burst s"
        " | slowest click ms"
        " | answers stored | 2nd clicks refused | errors | bot peak RSS MB | DB + WAL MB"
        " | bot CPU s | driver CPU s |"
    )
    print("| --- " + "| ---: " * 13 + "|")
    for n, r in enumerate(results, 1):
        slowest = max(r["ops"]["quiz click"]["max"], r["ops"]["quiz second click"]["max"])
        print(
            f"| {n} | {r['asks_per_s']:.1f} | {r['ops']['ask']['p99']:.1f}"
            f" | {r['burst']['ask_p99']:.1f} | {r['burst']['ask_p99_outside']:.1f}"
            f" | {r['burst']['seconds']:.2f} | {slowest:.0f}"
            f" | {r['once']['rows']:,} of {r['once']['agents']:,} | {r['once']['refused']:,}"
            f" | {len(r['failures']) + len(r['problems'])} | {_mb(r['rss_mb'])}"
            f" | {r['db_mb']:.1f} | {r['bot_cpu_s']:.1f} | {r['driver_cpu_s']:.1f} |"
        )
    for r in results:
        for line in (r["problems"] + r["failures"])[:5]:
            print(f"  problem: {line[:300]}")


def _targets(results: list[dict]) -> list[tuple[str, bool, str]]:
    """(target, met, measured): speed on the median of runs, correctness in every run."""
    asks = _median(results, "asks_per_s")
    p99 = _median(results, "ops", "ask", "p99")
    slowest = max(
        max(r["ops"]["quiz click"]["max"], r["ops"]["quiz second click"]["max"]) for r in results
    )
    errors = sum(len(r["failures"]) + len(r["problems"]) for r in results)
    return [
        (f"asks/s sustained >= {TARGET_ASKS_PER_S}", asks >= TARGET_ASKS_PER_S, f"{asks:.1f}"),
        (
            f"p99 ask <= {TARGET_ASK_P99_MS} ms",
            p99 <= TARGET_ASK_P99_MS and _median(results, "ops", "ask", "count") > 0,
            f"{p99:.1f} ms",
        ),
        (
            f"every quiz click answered within {DEADLINE_S:g} s, every run",
            all(r["burst"]["late"] == 0 for r in results),
            f"slowest {slowest:.0f} ms",
        ),
        (
            "every click recorded exactly once, every run",
            all(r["once"]["ok"] for r in results),
            ", ".join(f"{r['once']['rows']:,} rows" for r in results),
        ),
        ("no errors, every run", errors == 0, f"{errors} errors"),
    ]


def report(results: list[dict], args: argparse.Namespace) -> bool:
    print(
        f"\nShift of {args.agents:,} agents, {args.seconds:g} s, {len(results)} run(s):"
        f" {args.ask_rate:g} asks/s, {args.practice_rate:g} practice/s,"
        f" {args.debrief_rate:g} debriefs/s offered; the 09:00 quiz answered by every agent"
        f" within {args.burst_seconds:g} s, {args.double_clicks:.0%} clicking twice."
        "\nMedians of the runs (errors: the total). Quiz ops/s: over the burst."
    )
    _ops_table(results)
    print()
    _runs_table(results)
    print()
    checks = _targets(results)
    for name, met, measured in checks:
        print(f"{'PASS' if met else 'FAIL'}  {name}: {measured}")
    return all(met for _, met, _ in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the shift")
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--ask-rate",
        type=float,
        default=220.0,
        help="asks a second (10%% above the target, so random arrivals cannot fall short)",
    )
    parser.add_argument("--practice-rate", type=float, default=5.0, help="practice a second")
    parser.add_argument("--debrief-rate", type=float, default=2.0, help="debriefs a second")
    parser.add_argument("--burst-seconds", type=float, default=2.0)
    parser.add_argument("--double-clicks", type=float, default=0.2, help="share clicking twice")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep-logs", type=Path, help="keep each run's bot log and database here")
    args = parser.parse_args(argv)
    if args.seconds < 5 or args.agents < 1 or args.runs < 1:
        parser.error("use at least 5 seconds, 1 agent and 1 run")
    results = []
    for run in range(args.runs):
        results.append(asyncio.run(one_run(args, args.seed + run)))
        print(f"run {run + 1} of {args.runs} done", file=sys.stderr, flush=True)
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    raise SystemExit(main())
