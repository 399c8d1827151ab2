"""How long the insights report takes on a busy month: `python -m benchmarks.insights_report`.

Builds a temporary database with a month of a large team's activity (asks, votes, quiz
answers, debriefs), then times `InsightsService.report`, the three renderers and the chart.
Prints one table; nothing is asserted (tests never time anything).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from coachbot.app import App
from coachbot.insights.chart import render_chart
from coachbot.insights.models import Period
from coachbot.insights.render import render_csv, render_json, render_text
from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import BUNDLED_KNOWLEDGE, Settings
from coachbot.store.database import Database

TODAY = date(2026, 11, 23)
ASKS = 20_000
GAP_SHARE = 0.25
AGENTS = 400
QUIZ_DAYS = 22
VOTES = 3_000
DEBRIEFS = 300
RUNS = 3

WORDS = """refund parcel damaged late password reset payroll holiday vpn shipping canada invoice
manager overtime angry broken promise discount voucher warranty delivery driver address
login account locked spanish language translator subscription cancel contract upgrade
roaming charge bill tariff router outage engineer appointment complaint review""".split()


def _question(rng: random.Random) -> str:
    return "customer wants " + " ".join(rng.sample(WORDS, rng.randint(2, 5)))


async def _fill(database: Database, topics: list[str], rng: random.Random) -> None:
    connection = database.connection
    start = TODAY - timedelta(days=29)
    days = [(start + timedelta(days=n)).isoformat() for n in range(30)]
    asks = []
    for _ in range(ASKS):
        gap = rng.random() < GAP_SHARE
        answered = not gap or rng.random() < 0.3
        if not gap:
            confidence = rng.uniform(0.5, 1.0)
        else:
            confidence = rng.uniform(0.3, 0.499) if answered else rng.uniform(0.0, 0.299)
        asks.append((rng.choice(days), _question(rng), rng.choice(topics), confidence, answered))
    await connection.executemany(
        "INSERT INTO asks (guild_id, day, question, topic_id, confidence, answered)"
        " VALUES ('g1', ?, ?, ?, ?, ?)",
        asks,
    )
    await connection.executemany(
        "INSERT INTO card_votes (guild_id, vote_key, topic_id, helpful, day)"
        " VALUES ('g1', ?, ?, ?, ?)",
        [(f"k{n}", rng.choice(topics), rng.random() < 0.7, rng.choice(days)) for n in range(VOTES)],
    )
    answers = []
    for n in range(QUIZ_DAYS):
        for team in range(8):
            cursor = await connection.execute(
                "INSERT INTO quiz_posts (guild_id, channel_id, local_date, claimed_at)"
                " VALUES (?, ?, ?, ?)",
                ("g1", f"c{team}", days[n], datetime.now(UTC).isoformat()),
            )
            post = cursor.lastrowid
            topic = rng.choice(topics)
            await connection.execute(
                "INSERT INTO quiz_post_items (post_id, position, item_id, topic_id)"
                " VALUES (?, 0, ?, ?)",
                (post, f"{topic}-1", topic),
            )
            for agent in range(team * AGENTS // 8, (team + 1) * AGENTS // 8):
                if rng.random() < 0.8:
                    right = rng.random() < 0.7
                    answers.append((post, f"{topic}-1", f"a{agent}", topic, 0, right, days[n]))
    await connection.executemany(
        "INSERT INTO quiz_answers (post_id, item_id, agent_id, topic_id, choice, correct,"
        " answered_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
        answers,
    )
    await connection.executemany(
        "INSERT INTO debriefs (id, guild_id, day, what_happened, what_tried, what_worked,"
        " next_time, topic_id, delete_hash, status) VALUES (?, 'g1', ?, 't', 't', 't', 't', ?, ?,"
        " 'shared')",
        [(f"{n:024x}", rng.choice(days), rng.choice(topics), f"h{n}") for n in range(DEBRIEFS)],
    )


def _time(action, report) -> float:
    started = time.perf_counter()
    action(report)
    return time.perf_counter() - started


async def main() -> None:
    rng = random.Random(2026)
    live = LiveKnowledge.load(BUNDLED_KNOWLEDGE)
    topics = [t.id for t in live.kb.topics]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), knowledge_dir=BUNDLED_KNOWLEDGE)
        database = await Database.open(settings.database_path)
        app = App(settings, live, database, lambda: datetime(2026, 11, 23, 12, tzinfo=UTC))
        await _fill(database, topics, rng)
        period = Period.last(30, TODAY)
        timings: dict[str, list[float]] = {}
        for _ in range(RUNS):
            started = time.perf_counter()
            report = await app.insights.report(period, "g1")
            timings.setdefault("report (store + grouping + score)", []).append(
                time.perf_counter() - started
            )
            renders = (("text", render_text), ("json", render_json), ("csv", render_csv))
            for name, render in (*renders, ("chart PNG", render_chart)):
                timings.setdefault(name, []).append(_time(render, report))
        await app.close()
    if report.asks_total != ASKS or sum(r.answered for r in report.quiz_topics.rows) == 0:
        # the report is scoped to one server: rows filed under another would time nothing
        raise SystemExit(f"the report saw {report.asks_total} of the {ASKS} asks filled in")
    gaps = sum(g.count for g in report.ask_groups) + report.ungrouped
    print(
        f"{report.asks_total} asks ({gaps} declined or unsure, {len(report.ask_groups)} groups),"
        f" {sum(r.answered for r in report.quiz_topics.rows)} quiz answers, {AGENTS} agents,"
        f" {report.debriefs.total} debriefs; median of {RUNS} runs"
    )
    print("| step | seconds |\n| --- | ---: |")
    for name, values in timings.items():
        print(f"| {name} | {statistics.median(values):.3f} |")


if __name__ == "__main__":
    asyncio.run(main())
