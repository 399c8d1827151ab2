"""Ask-path latency through the real bot: INTERACTION_CREATE on the gateway -> callback request.

The bot is built by create_bot and connected to the loopback Discord from the tests; each
run uses a fresh bot, store and harness. The per-user cooldown is lifted for the run (it
would otherwise refuse a benchmark that asks hundreds of questions as one user).
Usage: python -m benchmarks.discord_ask [--runs 3] [--asks 400]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

import yaml

from coachbot.app import App
from coachbot.settings import Settings
from cogs._bot import create_bot
from tests.discord_harness import GUILD_ID, DiscordEnv

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "tests" / "data" / "heldout_questions.yaml"


def _questions() -> list[str]:
    held = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [item["q"] for item in held["in_scope"]] + held["out_of_scope"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _one_run(asks: int, questions: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            data_dir=Path(data_dir), knowledge_dir=REPO / "knowledge", dev_guild_id=GUILD_ID
        )
        app = await App.create(settings)
        env = DiscordEnv(timeout=10.0)
        await env.start()
        try:
            bot = create_bot(app, settings, guild_ready_timeout=0.1)
            bot.tree.get_command("ask").checks.clear()  # no cooldown while benchmarking
            await env.connect(bot)
            for question in questions[:20]:  # warm-up
                await env.slash("ask", question=question)
            seconds = []
            for n in range(asks):
                record = await env.slash("ask", question=questions[n % len(questions)])
                seconds.append(record.response_seconds)
            await env.disconnect()
        finally:
            await env.stop()
            await app.close()
    problems = env.problems()
    if problems:
        raise SystemExit("the fake Discord saw problems:\n" + "\n".join(problems))
    return {
        "p50": statistics.median(seconds) * 1000,
        "p99": _percentile(seconds, 0.99) * 1000,
        "max": max(seconds) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--asks", type=int, default=400)
    args = parser.parse_args()
    questions = _questions()
    results = [asyncio.run(_one_run(args.asks, questions)) for _ in range(args.runs)]
    print(f"\n/ask through the bot, shipped knowledge base ({args.asks} asks x {args.runs} runs)")
    print("| run | p50 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: |")
    for n, r in enumerate(results, 1):
        print(f"| {n} | {r['p50']:.2f} | {r['p99']:.2f} | {r['max']:.2f} |")
    median = {k: statistics.median(r[k] for r in results) for k in ("p50", "p99", "max")}
    print(f"| median | {median['p50']:.2f} | {median['p99']:.2f} | {median['max']:.2f} |")
    print("target: p99 <= 50 ms from INTERACTION_CREATE to the callback request")


if __name__ == "__main__":
    main()
