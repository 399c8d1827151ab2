"""A simulated 1,000-agent shift through the real bot and the loopback Discord (`make load`).

The bot runs `coachbot run` in child processes (tests/bot_process.py), each with a data
directory of its own and a clock that starts shortly before 09:00 on a Monday in Berlin; this
process runs the fake Discord (tests/discord_harness.py) and the agents (benchmarks/_shift.py).
Each bot is pinned to a core of its own and the driver to the others (os.sched_setaffinity;
with as many bots as cores, the bots get one each and the driver shares them, as the report
says). The bots' quiz loops post the 09:00 quiz about half-way through the run, and every agent
answers it within `--burst-seconds` (a fifth of them click twice). All the while asks, practice
questions and debriefs arrive at random instants at the given rates, none waiting for another.
The /ask cooldown is lifted, as in benchmarks/discord_ask.py: 220 asks a second is more than
1,000 agents may ask.

`--db postgresql --processes 2`: the bots share a PostgreSQL database that the benchmark starts
itself (tests/pg_server.py; a fresh database per run) and split two Discord shards, one server
(team) each, half of the agents in each; every quiz must still be posted once and every click
stored once. `--compare` runs 1 process on SQLite, then the PostgreSQL processes at `--scale`
times the ask rate, and prints the scaling.

Latency is the fake Discord's: INTERACTION_CREATE leaving its gateway to the bot's callback
request arriving at its REST API; its own delays count in the figures, which are therefore
pessimistic. CPU figures are the bots' own (see benchmarks/_load_report.py). Errors: a response
missing or not 2xx, a reply other than the expected one, an ERROR in a bot's log, a request the
fake refused. After each run the quiz answers are checked against what agents were told.

Usage: python -m benchmarks.shift_load [--seconds 60] [--agents 1000] [--runs 3]
       [--db sqlite|postgresql] [--processes N] [--compare] ...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import _cpu
from benchmarks._load_report import DEADLINE_S, compare, report
from benchmarks._shift import Shift
from benchmarks.quiz_load import _percentile
from coachbot.store.database import Database
from cogs.quiz import TICK_SECONDS
from tests import pg_server
from tests.discord_harness import GUILD_ID, FakeChannel
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
WARM_UP_ASKS = 20
CPU_PROBE_ASKS = 200  # asked one at a time before the shift: each one's CPU in the bots


async def _ready(log: Path, process: asyncio.subprocess.Process, timeout: float = 60.0) -> None:
    """Until the bot printed that it is connected: its quiz loop has just ticked for the first
    time, so the next ticks come every TICK_SECONDS from now."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while READY_LINE not in log.read_text(encoding="utf-8", errors="replace"):
        if process.returncode is not None or loop.time() > deadline:
            raise SystemExit(f"the bot did not get ready:\n{log.read_text(encoding='utf-8')}")
        await asyncio.sleep(0.05)


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


async def _shift(
    env: LoadDiscord, args: argparse.Namespace, rng: random.Random, channels: list[FakeChannel]
) -> Shift:
    """The shift itself: the streams for `args.seconds`, and the burst when the quizzes appear."""
    shift = Shift(env, env.agents(args.agents), rng, channels)

    async def nine_oclock() -> None:
        try:
            posts = {
                channel.id: await env.wait_for_message(channel, is_quiz_post, args.seconds + 30)
                for channel in channels
            }
        except AssertionError:
            raise SystemExit("the bots did not post the 09:00 quiz") from None
        await shift.burst(posts, args.burst_seconds, args.double_clicks)

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


async def _ask_cpu(env: LoadDiscord, shift_rng: random.Random, pids: list[int]) -> dict:
    """Each ask's CPU in the bots, asked one at a time (their CPU before and after; the
    schedstat clock counts nanoseconds): what an ask costs, whatever the neighbours do."""
    probe = Shift(env, env.agents(1), shift_rng)
    for _ in range(WARM_UP_ASKS):  # not counted: the first asks fill caches
        await probe.ask()
    costs = []
    for _ in range(CPU_PROBE_ASKS):
        before = [_cpu.cpu_seconds(pid) for pid in pids]
        await probe.ask()
        await asyncio.sleep(0.002)  # the bot finishes what follows the reply
        after = [_cpu.cpu_seconds(pid) for pid in pids]
        if None not in before and None not in after:
            costs.append(sum(after) - sum(before))  # type: ignore[arg-type]
    ms = [c * 1000 for c in costs] or [0.0]
    return {"p50": _percentile(ms, 0.5), "p99": _percentile(ms, 0.99), "count": len(costs)}


def _bot_env(url: str | None, shard: int, shards: int) -> dict[str, str]:
    """Settings for one bot: the shared PostgreSQL database and its shard (several)."""
    if url is None:
        return {}
    extra = {"COACHBOT_DATABASE_URL": url, "COACHBOT_MULTI_PROCESS": "1"}
    if shards > 1:  # commands for every server (the dev guild would be the first one only)
        extra |= {
            "COACHBOT_SHARD_COUNT": str(shards),
            "COACHBOT_SHARD_IDS": str(shard),
            "COACHBOT_DEV_GUILD": "",
        }
    return extra


async def _stored_answers(target: Path | str) -> list[tuple]:
    database = await Database.open(target)
    try:
        return await database.fetch("SELECT agent_id, choice FROM quiz_answers")
    finally:
        await database.close()


def _channels(env: LoadDiscord, shards: int) -> list[FakeChannel]:
    """One team (server) per shard: the fake's own server and one more on each other shard."""
    channels = [env.channel]
    if shards > 1:
        env.shard_count = shards
        home = (GUILD_ID >> 22) % shards
        for shard in range(shards):
            if shard != home:
                channels.append(env.add_guild(f"Team {shard}", shard=(shard, shards))[1])
    return channels


async def one_run(args: argparse.Namespace, seed: int, server: pg_server.Server | None) -> dict:
    """Start the fake Discord and the bots, run the shift, stop the bots, collect the figures."""
    # The quiz loop ticks on start and every TICK_SECONDS; the clock starts so that the tick
    # nearest half-way through the run is the first at or after 09:00.
    ticks = int(args.seconds / 2) // TICK_SECONDS
    clock_start = NINE_BERLIN - timedelta(seconds=ticks * TICK_SECONDS)
    count = args.processes
    with tempfile.TemporaryDirectory() as tmp, _database(server) as url:
        folder = Path(tmp)
        data_dirs = [folder / f"data{n}" for n in range(count)]
        logs = [folder / f"bot{n}.log" for n in range(count)]
        usages = [folder / f"usage{n}" for n in range(count)]
        env = LoadDiscord(timeout=30.0, response_timeout=10.0)
        channels = _channels(env, count if url else 1)
        for channel in channels:
            await seed_schedule(
                data_dirs[0], channel, "09:00", today=NINE_BERLIN.date(), database_url=url
            )
        bot_cores, driver_cores = _cpu.cores(count)
        _cpu.pin(0, driver_cores)
        await env.start()
        try:
            processes = [
                await start_bot(
                    env,
                    data_dirs[n],
                    logs[n],
                    clock_start=clock_start,
                    lift_ask_cooldown=True,
                    rusage=usages[n],
                    extra_env=_bot_env(url, n, count),
                    cpus=bot_cores[n],
                )
                for n in range(count)
            ]
            pids = [process.pid for process in processes]
            try:
                await env.wait_for_shards(len(channels), processes, timeout=90)
            except AssertionError as exc:
                said = "".join(log.read_text(encoding="utf-8", errors="replace") for log in logs)
                raise SystemExit(f"the bots did not connect ({exc}):\n{said[-3000:]}") from None
            for log, process in zip(logs, processes, strict=True):
                await _ready(log, process)
            for pid, chosen in zip(pids, bot_cores, strict=True):
                _cpu.pin(pid, chosen)  # again: every thread it started, whatever it did
            pinned = [_cpu.affinity(pid) for pid in pids]
            ask_cpu = await _ask_cpu(env, random.Random(seed), pids)
            sampler = _cpu.CpuSampler(pids)
            sampler.start()
            driver_cpu, bot_cpu = time.process_time(), _cpu_total(pids)
            shift = await _shift(env, args, random.Random(seed), channels)
            driver_cpu = time.process_time() - driver_cpu
            bot_after = _cpu_total(pids)
            await sampler.stop()
            bot_cpu = None if bot_cpu is None or bot_after is None else bot_after - bot_cpu
            database_mb = 0.0 if url else _database_mb(data_dirs[0])
            peak_mb = [_peak_rss_mb(pid) for pid in pids]
            stopped = [await _stop(process) for process in processes]
        finally:
            await env.stop()
        target = url or data_dirs[0] / "coachbot.sqlite3"
        once = shift.exactly_once(await _stored_answers(target))
        texts = [log.read_text(encoding="utf-8") for log in logs]
        problems = env.problems() + [p for text in texts for p in log_problems(text)]
        problems += [f"{r} -> {r.status}" for r in env.requests if not 200 <= r.status < 300]
        problems += [stop for stop in stopped if stop]
        if args.keep_logs is not None:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for n, log in enumerate(logs):
                shutil.copy(log, args.keep_logs / f"bot-{seed}-{n}.log")
            if url is None:
                shutil.copy(target, args.keep_logs / f"bot-{seed}.sqlite3")
        bot_usage = [json.loads(u.read_text()) if u.exists() else {} for u in usages]
    asks = shift.ops["ask"].records
    in_time = [r for r in asks if r.callback and r.answered_at <= shift.began + args.seconds]
    burst = shift.burst_figures(DEADLINE_S)
    clicks = shift.ops["quiz click"].records + shift.ops["quiz second click"].records
    burst_start = min((r.sent_at for r in clicks), default=0.0)
    ops = sum(len(log_.records) for log_ in shift.ops.values())
    if bot_cpu is None:  # no /proc: the bots' whole lives (start-up too)
        bot_cpu = sum(u.get("cpu_seconds", 0.0) for u in bot_usage)
    return {
        "ops": {name: log_.figures(args.seconds) for name, log_ in shift.ops.items()},
        "asks_per_s": len(in_time) / args.seconds,
        "burst": burst,
        "failures": [f for log_ in shift.ops.values() for f in log_.failures],
        "problems": problems,
        "once": once,
        # /proc's high-water mark starts again at exec; getrusage's ru_maxrss does not (Linux
        # keeps the larger of the parent's at fork), so after a first run it reported the
        # driver's own size. getrusage only where there is no /proc.
        "rss_mb": max(
            (m if m is not None else u.get("max_rss_kib", 0) / 1024)
            for m, u in zip(peak_mb, bot_usage, strict=True)
        ),
        "bot_cpu_s": bot_cpu,
        "driver_cpu_s": driver_cpu,
        "db_mb": database_mb,
        "ask_cpu": ask_cpu,
        "cpu_ms_per_op": bot_cpu * 1000 / ops if ops else 0.0,
        "peak_core": sampler.peak(burst_start, burst_start + burst["seconds"]),
        "cores": _cores_text(pinned, driver_cores),
    }


def _cpu_total(pids: list[int]) -> float | None:
    values = [_cpu.cpu_seconds(pid) for pid in pids]
    return None if None in values else sum(values)  # type: ignore[arg-type]


def _cores_text(bots: list[set[int] | None], driver: set[int]) -> str:
    def name(cores: set[int] | None) -> str:
        return "any" if not cores else ",".join(map(str, sorted(cores)))

    return f"{' / '.join(name(c) for c in bots)}; {name(driver)}"


@contextlib.contextmanager
def _database(server: pg_server.Server | None) -> Iterator[str | None]:
    """A fresh PostgreSQL database for one run (None: the bots use their SQLite file)."""
    if server is None:
        yield None
        return
    name = f"load_{uuid.uuid4().hex[:12]}"
    pg_server.psql(server, f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        pg_server.psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _runs(args: argparse.Namespace) -> list[dict]:
    """`args.runs` shifts in the setup `args` names (PostgreSQL: one server for them all)."""
    with contextlib.ExitStack() as stack:
        server = None
        if args.db == "postgresql":
            why = pg_server.unavailable()
            if why:
                raise SystemExit(f"make load LOAD_DB=postgresql: {why}")
            server = stack.enter_context(pg_server.running())
        results = []
        for run in range(args.runs):
            results.append(asyncio.run(one_run(args, args.seed + run, server)))
            print(f"run {run + 1} of {args.runs} done", file=sys.stderr, flush=True)
        return results


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
    parser.add_argument("--keep-logs", type=Path, help="keep each run's bot logs and database here")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--processes", type=int, help="bot processes (PostgreSQL only; default 2 there, else 1)"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="1 process on SQLite, then --processes on PostgreSQL at --scale times the ask rate",
    )
    parser.add_argument("--scale", type=float, default=2.0, help="ask rate multiple (--compare)")
    args = parser.parse_args(argv)
    if args.seconds < 5 or args.agents < 1 or args.runs < 1:
        parser.error("use at least 5 seconds, 1 agent and 1 run")
    if args.compare:
        args.db = "postgresql"
    if args.processes is None:
        args.processes = 2 if args.db == "postgresql" else 1
    if args.processes < 1 or (args.db == "sqlite" and args.processes != 1):
        parser.error("several processes need --db postgresql (SQLite is one process's file)")
    if not args.compare:
        return 0 if report(_runs(args), args) else 1
    single_args = argparse.Namespace(**{**vars(args), "db": "sqlite", "processes": 1})
    single = _runs(single_args)
    ok = report(single, single_args)
    several_args = argparse.Namespace(**{**vars(args), "ask_rate": args.ask_rate * args.scale})
    several = _runs(several_args)
    ok = report(several, several_args) and ok
    return 0 if compare(single, several, args) and ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
