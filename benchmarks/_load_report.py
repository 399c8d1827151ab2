"""The tables `make load` prints (benchmarks/shift_load.py): per operation, per run, targets.

Wall-clock figures are the fake Discord's (INTERACTION_CREATE out -> callback in); on a shared
machine they also measure the neighbours. CPU figures are the bot processes' own: "ask CPU" is
the CPU the bots used per ask, asked one at a time before the shift (p50/p99 of 200 asks);
"CPU ms/op" the bots' CPU over the shift divided by its operations; "peak core" the busiest
quarter-second of each bot process during the 9:00 burst, as a share of one core.
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks._shift import OPS

DEADLINE_S = 3.0  # Discord's interaction deadline
TARGET_ASKS_PER_S = 200
TARGET_ASK_P99_MS = 100
TARGET_PEAK_CORE = 0.60  # one process serves the burst at <= 60% of a core
TARGET_SCALING = 1.8  # two processes sustain 1.8x the ask throughput at the same p99
SAME_P99 = 1.10  # "the same p99": within 10%


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


def _shares(values: list[float]) -> str:
    return " / ".join(f"{v:.0%}" for v in values) or "n/a"


def _runs_table(results: list[dict]) -> None:
    print(
        "| run | asks/s | ask p99 ms | ask p99 in burst ms | ask p99 other ms | burst s"
        " | slowest click ms | answers stored | 2nd clicks refused | double posts | errors"
        " | bot peak RSS MB | DB + WAL MB | bot CPU s | driver CPU s |"
    )
    print("| --- " + "| ---: " * 14 + "|")
    for n, r in enumerate(results, 1):
        slowest = max(r["ops"]["quiz click"]["max"], r["ops"]["quiz second click"]["max"])
        print(
            f"| {n} | {r['asks_per_s']:.1f} | {r['ops']['ask']['p99']:.1f}"
            f" | {r['burst']['ask_p99']:.1f} | {r['burst']['ask_p99_outside']:.1f}"
            f" | {r['burst']['seconds']:.2f} | {slowest:.0f}"
            f" | {r['once']['rows']:,} of {r['once']['agents']:,} | {r['once']['refused']:,}"
            f" | {r['once']['double_posts']} | {len(r['failures']) + len(r['problems'])}"
            f" | {_mb(r['rss_mb'])} | {r['db_mb']:.1f} | {r['bot_cpu_s']:.1f}"
            f" | {r['driver_cpu_s']:.1f} |"
        )
    print()
    print(
        "| run | ask wall p50 ms | ask wall p99 ms | ask CPU p50 ms | ask CPU p99 ms"
        " | bot CPU ms/op (shift) | peak core in burst | cores (bots; driver) |"
    )
    print("| --- " + "| ---: " * 6 + "| --- |")
    for n, r in enumerate(results, 1):
        cpu = r["ask_cpu"]
        print(
            f"| {n} | {r['ops']['ask']['p50']:.1f} | {r['ops']['ask']['p99']:.1f}"
            f" | {cpu['p50']:.2f} | {cpu['p99']:.2f} | {r['cpu_ms_per_op']:.2f}"
            f" | {_shares(r['peak_core'])} | {r['cores']} |"
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
            "every click recorded exactly once and every quiz posted once, every run",
            all(r["once"]["ok"] for r in results),
            ", ".join(
                f"{r['once']['rows']:,} rows, {r['once']['double_posts']} double posts"
                for r in results
            ),
        ),
        (
            f"each bot at most {TARGET_PEAK_CORE:.0%} of a core at the burst's peak",
            max(max(r["peak_core"], default=0.0) for r in results) <= TARGET_PEAK_CORE,
            _shares([max(r["peak_core"], default=0.0) for r in results]),
        ),
        ("no errors, every run", errors == 0, f"{errors} errors"),
    ]


def report(results: list[dict], args: argparse.Namespace) -> bool:
    print(
        f"\n{setup(args)}. Shift of {args.agents:,} agents, {args.seconds:g} s,"
        f" {len(results)} run(s):"
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


def setup(args: argparse.Namespace) -> str:
    kind = "PostgreSQL" if args.db == "postgresql" else "SQLite"
    many = f"{args.processes} bot processes" if args.processes > 1 else "1 bot process"
    return f"{many} on {kind}"


def compare(single: list[dict], several: list[dict], args: argparse.Namespace) -> bool:
    """Scaling: the several processes' ask throughput against the single one's, at their
    p99s (the several ran at `args.scale` times the single one's offered ask rate)."""
    one_rate, many_rate = _median(single, "asks_per_s"), _median(several, "asks_per_s")
    one_p99 = _median(single, "ops", "ask", "p99")
    many_p99 = _median(several, "ops", "ask", "p99")
    ratio = many_rate / one_rate if one_rate else 0.0
    print(
        "\n| setup | asks/s | ask p99 ms | ask CPU p99 ms | burst s | stored once | double posts |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for name, results in (
        ("1 process, SQLite", single),
        (f"{args.processes} processes, PostgreSQL", several),
    ):
        print(
            f"| {name} | {_median(results, 'asks_per_s'):.1f}"
            f" | {_median(results, 'ops', 'ask', 'p99'):.1f}"
            f" | {_median(results, 'ask_cpu', 'p99'):.2f}"
            f" | {_median(results, 'burst', 'seconds'):.2f}"
            f" | {'yes' if all(r['once']['ok'] for r in results) else 'NO'}"
            f" | {sum(r['once']['double_posts'] for r in results)} |"
        )
    met = ratio >= TARGET_SCALING and many_p99 <= one_p99 * SAME_P99
    print(
        f"{'PASS' if met else 'FAIL'}  {args.processes} processes sustain >= {TARGET_SCALING}x"
        f" the asks/s at the same p99 (within {SAME_P99 - 1:.0%}): {ratio:.2f}x,"
        f" p99 {many_p99:.1f} ms against {one_p99:.1f} ms"
    )
    return met
