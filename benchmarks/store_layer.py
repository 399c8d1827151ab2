"""The store's thin layer against SQLAlchemy 2 async Core, on SQLite and PostgreSQL.

Why: issue 15 allows a dialect layer of our own (coachbot/store/dialect.py, database.py,
postgres.py) over SQLAlchemy only if it is smaller and measured faster. This runs the hot
store calls through the real repositories (QuizStore, ScheduleStore, AskLog, DebriefStore,
same SQL) on (a) the project's layer, (b) SQLAlchemy with text() statements and (c)
SQLAlchemy's exec_driver_sql (its thinnest path), see benchmarks/_sqlalchemy_store.py. Same
shapes: every statement autocommits, the PostgreSQL debrief rewrite is one transaction, one
SQLite connection, a pool of 10 on PostgreSQL. Each run uses a fresh database per variant and
turns the variants' order; the table gives the median over runs of each run's p50 and p99
latency and of the process CPU per call (all our threads; the PostgreSQL server's CPU is not
ours). Wall clock on a shared machine also measures the neighbours; CPU per call much less.

Usage: python -m benchmarks.store_layer [--runs 5] [--calls 400] [--db sqlite|postgresql|both]
SQLAlchemy is not a dependency: without it only the layer is measured (a line says so);
without PostgreSQL server binaries only SQLite is (a line says so).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import importlib.metadata
import io
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

from coachbot.store.asks import AskLog, LoggedAsk
from coachbot.store.database import Database
from coachbot.store.debriefs import DebriefStatus, DebriefStore, StoredDebrief
from coachbot.store.quiz import QuizStore
from coachbot.store.schedules import ScheduleStore
from coachbot.timetable import DuePost, Schedule
from tests import pg_server

try:
    from benchmarks._sqlalchemy_store import DRIVER_SQL, TEXT, SQLAlchemyDatabase
except ImportError as missing:  # SQLAlchemy is not one of the project's dependencies
    SQLAlchemyDatabase = None  # type: ignore[assignment,misc]
    TEXT, DRIVER_SQL = "text", "driver_sql"
    WHY_NO_SQLALCHEMY = f"{missing.name or missing} is not installed"
else:
    WHY_NO_SQLALCHEMY = ""

REPO = Path(__file__).resolve().parents[1]
LAYER = "layer"
VARIANTS = {LAYER: "thin layer", TEXT: "SA text()", DRIVER_SQL: "SA driver_sql"}
DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ASK_BATCH = 200  # rows per ask-log batch: about one second of a busy shift
BURST = 100  # answers at once in one burst (the 9:00 quiz)
AGENTS = 100  # answering agents: the leaderboard groups this many


@dataclass(frozen=True)
class Sample:
    latencies: list[float]  # seconds, one per call
    cpu: float  # process CPU seconds per call


Call = Callable[[int], Awaitable[None]]


def _check(ok: bool, what: str) -> None:
    """A variant that got a call wrong is not measured: it stops the benchmark."""
    if not ok:
        raise RuntimeError(f"wrong result: {what}")


async def _measure(call: Call, count: int, warm: int) -> Sample:
    """`count` calls one after another, after `warm` unmeasured ones."""
    for n in range(warm):
        await call(-1 - n)
    latencies = []
    cpu_began = time.process_time()
    for n in range(count):
        began = time.perf_counter()
        await call(n)
        latencies.append(time.perf_counter() - began)
    return Sample(latencies, (time.process_time() - cpu_began) / count)


async def _bursts(call: Call, bursts: int) -> Sample:
    """`bursts` times BURST calls at once; each call's latency from the burst's start."""
    latencies: list[float] = []
    cpu_began = time.process_time()
    for burst in range(bursts):
        began = time.perf_counter()

        async def timed(n: int, began: float = began) -> None:
            await call(n)
            latencies.append(time.perf_counter() - began)

        await asyncio.gather(*(timed(burst * BURST + n) for n in range(BURST)))
    return Sample(latencies, (time.process_time() - cpu_began) / (bursts * BURST))


async def workload(db: Database, calls: int) -> dict[str, Sample]:
    """The hot calls, each `calls` times (fewer for the slow ones), on a migrated database."""
    quiz, schedules, asks = QuizStore(db), ScheduleStore(db), AskLog(db)
    debriefs = DebriefStore(db, random.Random(7))
    warm = max(5, calls // 20)
    schedule = await schedules.save(
        Schedule(None, "g1", "c1", day_time(9), "Europe/Berlin", frozenset(range(1, 8)), 3, 8),
        today=DAY,
    )
    post = await quiz.create_post(guild_id="g1", channel_id="c1", local_date=DAY, claimed_at=NOW)
    burst_post = await quiz.create_post(
        guild_id="g1", channel_id="c1", local_date=DAY, claimed_at=NOW
    )
    results: dict[str, Sample] = {}

    async def claim(n: int) -> None:
        local = DAY + timedelta(days=n + 10_000)  # a new quiz day each call
        due = DuePost(schedule, local, NOW, NOW + timedelta(hours=8))
        claimed = await schedules.claim(due, now=NOW)
        _check(claimed is not None, "a new quiz day was not claimed")

    async def answer(n: int, post_id: int = post) -> None:
        first = await quiz.record_answer(
            post_id=post_id,
            item_id=f"q{n // AGENTS}",
            topic_id=f"t{n % 7}",
            agent_id=f"agent-{n % AGENTS}",
            choice=n % 4,
            correct=n % 3 == 0,
            day=DAY,
        )
        _check(first, "a first answer was refused")

    async def burst_answer(n: int) -> None:
        await answer(n, burst_post)

    async def leaderboard(n: int) -> None:
        standings = await quiz.leaderboard("c1", DAY - timedelta(days=7))
        _check(len(standings) == 10, "the leaderboard is not the top 10")

    rows = [
        LoggedAsk(DAY, f"how do I refund order <number> {n % 50}", f"t{n % 9}", 0.8, True, "g1")
        for n in range(ASK_BATCH)
    ]

    async def ask_batch(n: int) -> None:
        await asks.record_many(rows)  # logs and drops the batch on a database error

    async def debrief(n: int) -> None:
        story = StoredDebrief(
            uuid.uuid4().hex,
            f"g{n // 5 + 10}",  # up to 5 waiting debriefs per team and day
            DAY,
            "A customer asked for a refund twice.",
            "Checked the order.",
            "Explained the policy.",
            "Check earlier.",
            "refunds",
            DebriefStatus.WAITING,
        )
        await debriefs.add(story, uuid.uuid4().hex)

    results["claim"] = await _measure(claim, calls, warm)
    results["record_answer"] = await _measure(answer, calls, warm)
    results["leaderboard"] = await _measure(leaderboard, calls, warm)
    results["ask_batch"] = await _measure(ask_batch, max(10, calls // 10), 2)
    results["debrief_add"] = await _measure(debrief, max(20, calls // 5), 2)
    results["answer_burst"] = await _bursts(burst_answer, max(2, calls // BURST))
    [(logged,)] = await db.fetch("SELECT COUNT(*) FROM asks")
    _check(logged == ASK_BATCH * (2 + max(10, calls // 10)), "ask-log rows were lost")
    [(stored,)] = await db.fetch("SELECT COUNT(*) FROM debriefs")
    _check(stored == 2 + max(20, calls // 5), "debriefs were lost")
    return results


async def _open(variant: str, target: str) -> Database:
    migrated = await Database.open(target)  # the project's migrations, for every variant
    if variant == LAYER:
        return migrated
    await migrated.close()
    return await SQLAlchemyDatabase.open(target, variant)


async def _one(variant: str, target: str, calls: int) -> dict[str, Sample]:
    db = await _open(variant, target)
    try:
        return await workload(db, calls)
    finally:
        await db.close()


@contextlib.contextmanager
def _target(dialect: str, server: pg_server.Server | None) -> Iterator[str]:
    """A fresh, empty database: an SQLite file in a new folder, or a new PostgreSQL database."""
    if dialect == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "coachbot.db")
        return
    assert server is not None
    name = f"bench_{uuid.uuid4().hex[:12]}"
    pg_server.psql(server, f"CREATE DATABASE {name}")
    try:
        yield server.url(name)
    finally:
        pg_server.psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


Results = dict[tuple[str, str, str], list[tuple[float, float, float]]]  # (p50, p99, cpu)


def run(dialects: list[str], variants: list[str], runs: int, calls: int) -> Results:
    results: Results = {}
    with contextlib.ExitStack() as stack:
        server = None
        if "postgresql" in dialects:
            server = stack.enter_context(pg_server.running())
        for number in range(runs):
            turned = variants[number % len(variants) :] + variants[: number % len(variants)]
            for dialect in dialects:
                for variant in turned:
                    with _target(dialect, server) as target:
                        samples = asyncio.run(_one(variant, target, calls))
                    for call, sample in samples.items():
                        results.setdefault((dialect, call, variant), []).append(
                            (
                                statistics.median(sample.latencies),
                                _percentile(sample.latencies, 0.99),
                                sample.cpu,
                            )
                        )
            print(f"run {number + 1} of {runs} done", file=sys.stderr, flush=True)
    return results


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f}"


def _change(value: float, base: float) -> str:
    return f"{(value - base) * 1e6:+,.0f} ({(value / base - 1) * 100:+.0f}%)"


def table(results: Results, variants: list[str]) -> str:
    """Markdown: per database and call, each variant's median p50, p99 and CPU per call (µs),
    and the change against the thin layer."""
    lines = [
        "| database | call | layer | p50 µs | p99 µs | CPU µs/call | p50 vs thin | CPU vs thin |",
        "|---|---|---|--:|--:|--:|--:|--:|",
    ]
    keys = sorted({(d, c) for d, c, _ in results}, key=lambda k: (k[0] != "sqlite", k[1]))
    for dialect, call in keys:
        base = None
        for variant in variants:
            per_run = results.get((dialect, call, variant))
            if not per_run:
                continue
            p50, p99, cpu = (statistics.median(v[i] for v in per_run) for i in range(3))
            if variant == LAYER:
                base = (p50, cpu)
                versus = ("", "")
            else:
                versus = (_change(p50, base[0]), _change(cpu, base[1])) if base else ("", "")
            lines.append(
                f"| {dialect} | {call} | {VARIANTS[variant]} | {_us(p50)} | {_us(p99)}"
                f" | {_us(cpu)} | {versus[0]} | {versus[1]} |"
            )
    return "\n".join(lines)


# What the thin layer is: the repository API and its placeholder/rowcount helpers. The rest of
# database.py, postgres.py and dialect.py (migrations and their translation, PRAGMAs, advisory
# lock, erase_deleted) would stay with SQLAlchemy Core too.
LAYER_PARTS = {
    "coachbot/store/dialect.py": ("numbered_placeholders", "rowcount"),
    "coachbot/store/database.py": (
        "Database.fetch",
        "Database.execute",
        "Database.executemany",
        "Database.transaction",
        "SQLiteDatabase.fetch",
        "SQLiteDatabase.execute",
        "SQLiteDatabase.executemany",
    ),
    "coachbot/store/postgres.py": (
        "PostgresDatabase.fetch",
        "PostgresDatabase.execute",
        "PostgresDatabase.executemany",
        "PostgresDatabase.transaction",
        "Statements",
    ),
}


def code_lines(path: Path, names: tuple[str, ...] | None = None) -> int:
    """Lines holding code (no blank, comment-only or docstring lines) in the whole file or in
    the named functions and classes ("Class.method")."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    wanted: set[int] = set()
    skipped: set[int] = set()

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            name = prefix + child.name
            if names is None or name in names:
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                wanted.update(range(first, child.end_lineno + 1))
            visit(child, name + ".")

    visit(tree, "")
    if names is None:
        wanted = set(range(1, len(source.splitlines()) + 1))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                skipped.update(range(body[0].lineno, body[0].end_lineno + 1))
    code: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            code.update(range(token.start[0], token.end[0] + 1))
    return len((wanted & code) - skipped)


def _installed(distribution: str) -> tuple[float, int]:
    """(megabytes installed, lines of Python) of one installed distribution."""
    size, lines = 0, 0
    for file in importlib.metadata.distribution(distribution).files or ():
        located = Path(file.locate())
        if located.is_file():
            size += located.stat().st_size
            if located.suffix == ".py":
                lines += located.read_bytes().count(b"\n")
    return size / 1e6, lines


def _import_seconds() -> float:
    """Median time to import SQLAlchemy's asyncio engine and both dialects, in a new process
    that has already imported asyncpg and aiosqlite (the project pays for those anyway)."""
    code = (
        "import asyncpg, aiosqlite, time; t = time.perf_counter();"
        " import sqlalchemy.ext.asyncio, sqlalchemy.dialects.postgresql.asyncpg,"
        " sqlalchemy.dialects.sqlite.aiosqlite; print(time.perf_counter() - t)"
    )
    times = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(5)
    ]
    return statistics.median(times)


def sizes() -> str:
    layer = sum(code_lines(REPO / path, names) for path, names in LAYER_PARTS.items())
    lines = [
        f"Thin layer (repository API + placeholders + rowcount): {layer} lines of code"
        " (dialect.py, database.py, postgres.py; migrations and the rest are not counted:"
        " they stay either way).",
    ]
    if SQLAlchemyDatabase is None:
        return "\n".join(lines)
    adapter = code_lines(REPO / "benchmarks" / "_sqlalchemy_store.py")
    sa_mb, sa_lines = _installed("SQLAlchemy")
    gl_mb, _ = _installed("greenlet")
    version = importlib.metadata.version("SQLAlchemy")
    lines += [
        f"SQLAlchemy instead: {adapter} lines of adapter code (benchmarks/_sqlalchemy_store.py,"
        " the same repository API on an AsyncEngine; migrations, erase_deleted, doctor and"
        " backup not ported),",
        f"  plus SQLAlchemy {version} ({sa_mb:.1f} MB installed, {sa_lines:,} lines of Python)"
        f" and greenlet ({gl_mb:.1f} MB, a compiled extension), two more locked dependencies,",
        f"  and {_import_seconds() * 1000:.0f} ms more start-up to import them.",
    ]
    return "\n".join(lines)


def _load() -> str:
    """The 1, 5 and 15 minute load averages (the machine may be shared): Linux only."""
    loadavg = Path("/proc/loadavg")
    return " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of every variant (default 5)")
    parser.add_argument("--calls", type=int, default=400, help="calls per hot call and run")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    variants = [LAYER]
    if SQLAlchemyDatabase is None:
        print(
            f"Skipping SQLAlchemy: {WHY_NO_SQLALCHEMY} (not a CoachBot dependency; to compare:"
            " .venv/bin/pip install 'sqlalchemy[asyncio]>=2,<3'). Measuring the thin layer only."
        )
    else:
        variants += [TEXT, DRIVER_SQL]
    dialects = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in dialects:
        why = pg_server.unavailable()
        if why:
            print(f"Skipping PostgreSQL: {why}.")
            dialects.remove("postgresql")
    if not dialects:
        return 0
    print(f"load average before: {_load()}")
    began = time.perf_counter()
    results = run(dialects, variants, args.runs, args.calls)
    print(
        f"{args.runs} runs, {args.calls} calls of each sequential call per run (ask_batch:"
        f" {max(10, args.calls // 10)} batches of {ASK_BATCH} rows; debrief_add:"
        f" {max(20, args.calls // 5)}; answer_burst: {BURST} at once), medians over runs,"
        f" {time.perf_counter() - began:.0f} s"
    )
    print(table(results, variants))
    print(sizes())
    print(f"load average after: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
