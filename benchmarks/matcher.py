"""Matcher speed and memory at the shipped size and at 1,000 and 10,000 synthetic topics.

Each measurement runs in a fresh process pinned to one core, so peak RSS and timings are
its own; every size is run several times and the table quotes medians across runs.
Load is measured cold (no compiled cache: YAML, validation and index build), warm (a
restart with the compiled cache present and every file unchanged) and once in between, on
the start that writes the cache. Every run must give the same match results.
Loads are also measured on more cores (`--cores`), where a big knowledge base is read by
worker processes too (coachbot/knowledge/fast/bulkload.py).
Usage: python -m benchmarks.matcher [--runs 3] [--queries 2000] [--sizes shipped,1000,10000]
       [--cores 1,2] [--keep DIR] [--settle SECONDS]
--keep generates the synthetic bases once, into DIR; --settle waits before each start for
idle CPUs, for steadier figures on a shared machine.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "knowledge"
QUERIES = REPO / "tests" / "data" / "heldout_questions.yaml"


def _vocabulary() -> list[str]:
    """Real words from the shipped cards plus made-up ones, so big bases have a long tail."""
    from coachbot.knowledge.text import words

    found: set[str] = set()
    for path in (SHIPPED / "topics").glob("*.yaml"):
        found.update(w for w in words(path.read_text(encoding="utf-8")) if w.isalpha())
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    made_up = {
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(30_000)
    }
    return sorted(found) + sorted(made_up)


class _AllBut(Sequence):
    """`items` without the one at `skip`, as a view: `random.sample` only indexes it, so the
    sample is the same as from a copied list, without copying 10,000 ids per topic."""

    def __init__(self, items: list[str], skip: int) -> None:
        self.items, self.skip = items, skip

    def __len__(self) -> int:
        return len(self.items) - 1

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.items[index + (index >= self.skip)]


def generate(directory: Path, count: int, seed: int = 1) -> None:
    """Write `count` valid topic files shaped like the shipped ones (Zipf-distributed words)."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    topics = directory / "topics"
    topics.mkdir(parents=True)

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(low, high)))

    ids = [f"synthetic-{i:05d}" for i in range(count)]
    for number, topic_id in enumerate(ids):
        doc = {
            "id": topic_id,
            "title": sentence(3, 7)[:100],
            "tags": [rng.choice(vocab) for _ in range(3)],
            "questions": [sentence(4, 14) for _ in range(16)],
            "summary": sentence(30, 50) + ".",
            "steps": [sentence(8, 16) for _ in range(5)],
            "say": [sentence(6, 14) for _ in range(4)],
            "avoid": [{"phrase": sentence(3, 6), "why": sentence(8, 14)}],
            "related": rng.sample(_AllBut(ids, number), 2),
            "sources": ["synthetic.txt"],
        }
        (topics / f"{topic_id}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")


def measure(directory: Path, query_count: int, cache_dir: Path | None, cores: int = 1) -> dict:
    """Runs inside the child process: the load on `cores` cores, the queries on one."""
    from coachbot.knowledge.live import LiveKnowledge

    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, set(available[:cores]))
    started = time.perf_counter()
    live = LiveKnowledge.load(directory, cache_dir=cache_dir)
    load_seconds = time.perf_counter() - started
    load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {available[0]})
    held = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    questions = [item["q"] for item in held["in_scope"]] + held["out_of_scope"]
    rng = random.Random(3)
    workload = [rng.choice(questions) for _ in range(query_count)]
    for question in workload[:50]:  # warm caches as a running bot would have them
        live.matcher.match(question)
    timings = []
    results = hashlib.blake2b(digest_size=8)
    for question in workload:
        t0 = time.perf_counter_ns()
        result = live.matcher.match(question)
        timings.append((time.perf_counter_ns() - t0) / 1e6)
        results.update(repr(result).encode())
    timings.sort()
    return {
        "topics": len(live.kb.topics),
        "load_s": load_seconds,
        "p50_ms": timings[len(timings) // 2],
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_rss_mb": load_rss,
        # the largest worker process the load started (0: it started none)
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "results": results.hexdigest(),
    }


# seconds to wait, before each measured start, for the machine's CPUs to be idle (--settle)
SETTLE = {"seconds": 0.0, "busy": 0}


def _settle() -> None:
    """Wait (up to SETTLE seconds) until the CPUs are >= 90% idle over a second: on a shared
    machine, other work on the cores would otherwise time itself into the loads. Linux only."""
    deadline = time.monotonic() + SETTLE["seconds"]
    while time.monotonic() < deadline:
        try:
            before = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
            time.sleep(1)
            after = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
        except (OSError, ValueError):
            return
        idle = (after[3] + after[4] - before[3] - before[4]) / max(sum(after) - sum(before), 1)
        if idle >= 0.9:
            return
    if SETTLE["seconds"]:
        SETTLE["busy"] += 1


def _child(directory: Path, queries: int, cache_dir: Path | None, cores: int = 1) -> dict:
    _settle()
    task = {"directory": str(directory), "queries": queries, "cores": cores}
    task["cache_dir"] = str(cache_dir) if cache_dir else None
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.matcher", "--child", json.dumps(task)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cell(runs: list[dict], key: str, digits: int) -> str:
    values = [run[key] for run in runs]
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def _knowledge_bases(sizes: list[str], scratch: Path, keep: Path | None) -> list[tuple]:
    """(label, folder) per size; synthetic ones generated, or reused from `keep`."""
    bases = []
    for size in sizes:
        if size == "shipped":
            bases.append(("shipped", SHIPPED))
            continue
        count = int(size)
        target = (keep or scratch) / f"kb{count}"
        if not (target / "topics").is_dir():
            generate(target, count)
        bases.append((f"synthetic {count:,}", target))
    return bases


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument(
        "--sizes", default="shipped,1000,10000", help="knowledge bases: shipped and/or counts"
    )
    parser.add_argument(
        "--cores",
        default="1,2",
        help="core counts to load on (the first table is always one core per run)",
    )
    parser.add_argument("--keep", type=Path, help="keep generated knowledge bases here")
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="wait up to this many seconds before each start for the CPUs to be idle",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task = json.loads(args.child)
        cache_dir = Path(task["cache_dir"]) if task["cache_dir"] else None
        result = measure(Path(task["directory"]), task["queries"], cache_dir, task["cores"])
        print(json.dumps(result))
        return 0

    cores = sorted({int(c) for c in args.cores.split(",")} | {1})
    SETTLE["seconds"] = args.settle
    rows, wide = [], []
    with tempfile.TemporaryDirectory() as scratch:
        bases = _knowledge_bases(args.sizes.split(","), Path(scratch), args.keep)
        for number, (label, directory) in enumerate(bases):
            cache_dir = Path(scratch) / f"cache{number}"
            cold = [_child(directory, args.queries, None) for _ in range(args.runs)]
            first = _child(directory, args.queries, cache_dir)  # the first start writes it
            warm = [_child(directory, args.queries, cache_dir) for _ in range(args.runs)]
            runs = [*cold, first, *warm]
            for count in cores[1:]:
                spread = [_child(directory, args.queries, None, count) for _ in range(args.runs)]
                shutil.rmtree(cache_dir)
                writing = _child(directory, args.queries, cache_dir, count)
                wide.append((label, count, spread, writing))
                runs += [*spread, writing]
            if len({run["results"] for run in runs}) != 1:
                raise SystemExit(f"{label}: match results differ between runs")
            rows.append((label, cold, first, warm))

    print(f"Matcher benchmark: {args.runs} runs x {args.queries} queries, one core per run")
    if args.settle:
        busy = SETTLE["busy"]
        print(f"each start waited up to {args.settle:.0f} s for idle CPUs ({busy} never got them)")
    print("medians across runs (min-max in brackets); cold: no compiled cache; warm: a restart")
    print("with the cache present and no file changed; writing: the one start that wrote it\n")
    print(
        "| knowledge base | topics | p50 ms | p99 ms | load s cold | load s warm "
        "| load s writing | peak RSS MB cold | peak RSS MB warm | peak RSS MB writing |"
    )
    print("|" + "|".join("---" for _ in range(10)) + "|")
    for label, cold, first, warm in rows:
        print(
            f"| {label} | {cold[0]['topics']:,} | {_cell(cold + warm, 'p50_ms', 3)} "
            f"| {_cell(cold + warm, 'p99_ms', 3)} | {_cell(cold, 'load_s', 2)} "
            f"| {_cell(warm, 'load_s', 2)} | {first['load_s']:.2f} "
            f"| {_cell(cold, 'peak_rss_mb', 0)} | {_cell(warm, 'peak_rss_mb', 0)} "
            f"| {first['peak_rss_mb']:.0f} |"
        )
    if wide:
        print("\nLoading on more cores (a knowledge base this big is read by worker processes")
        print("beside the main one); RSS: the main process, and the largest worker\n")
        print(
            "| knowledge base | cores | load s cold | load s writing "
            "| peak RSS MB main | peak RSS MB worker |"
        )
        print("|" + "|".join("---" for _ in range(6)) + "|")
        for label, count, spread, writing in wide:
            print(
                f"| {label} | {count} | {_cell(spread, 'load_s', 2)} | {writing['load_s']:.2f} "
                f"| {_cell(spread, 'load_rss_mb', 0)} | {_cell(spread, 'worker_rss_mb', 0)} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
