"""The 9:00 burst on Slack: 1,000 agents click an answer of the same quiz post within 2 seconds.

Through the real Slack app (create_slack_app) over signed HTTP from the loopback Slack of the
tests: the quiz is posted by the Slack scheduler tick, then every click is a `block_actions`
request signed as Slack signs it, arriving at a random instant of the 2 seconds. Measured: the
ack (Slack gives an app 3 s), and the whole burst, from the first arrival to the last private
feedback delivered through its response_url. Afterwards every click must have been acked,
stored exactly once (one answer per agent) and answered privately exactly once, with the post
unchanged. Usage: python -m benchmarks.slack_quiz_burst [--runs 3] [--clicks 1000]
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
from typing import Any

import aiohttp

from coachbot.app import App
from coachbot.quiz.schedule import parse_schedule
from coachbot.settings import Settings
from slack_adapter import ids
from slack_adapter import quiz as slack_quiz
from slack_adapter.app import create_slack_app, verify_token
from slack_adapter.context import SlackContext
from tests.slack_fake.surfaces import buttons, public_message
from tests.slack_fake.web_api import ResponseTarget
from tests.slack_harness import CHANNEL, TEAM_ID, SlackEnv, payloads

REPO = Path(__file__).resolve().parents[1]
MONDAY_9_BERLIN = datetime(2026, 11, 23, 8, 0, 30, tzinfo=UTC)
WINDOW_SECONDS = 2.0
SETTLE_SECONDS = 60.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _click(env: SlackEnv, post: dict[str, Any], button: dict[str, Any], user: str) -> Any:
    """A click on `button` of the channel post by `user`, as Slack would send it."""
    action = {
        "type": "button",
        "action_id": button["action_id"],
        "block_id": "b",
        "text": button["text"],
        "action_ts": env.api.next_ts(),
    }
    return payloads.block_actions(
        [action],
        user_id=user,
        user_name=user.lower(),
        container={
            "type": "message",
            "message_ts": post["ts"],
            "channel_id": CHANNEL,
            "is_ephemeral": False,
        },
        trigger_id=env.api.issue_trigger(user),
        response_url=env.api.issue_response_url(ResponseTarget(CHANNEL, user, original=post)),
        channel={"id": CHANNEL, "name": "coaching"},
        message=public_message(post),
        state={"values": {}},
    )


async def _one_run(clicks: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = SlackEnv(timeout=SETTLE_SECONDS)
        await env.start()
        settings = Settings(
            data_dir=Path(data_dir),
            knowledge_dir=REPO / "knowledge",
            watch_knowledge=False,
            slack_bot_token=env.bot_token,
            slack_signing_secret=env.signing_secret,
        )
        app = await App.create(settings, clock=lambda: MONDAY_9_BERLIN)
        try:
            bolt = create_slack_app(app, settings, client=env.client())
            await verify_token(bolt)  # as the runner does at start-up
            await env.serve(bolt)
            assert app.quiz is not None
            schedule = parse_schedule(
                guild_id=ids.team_key(TEAM_ID),
                channel_id=ids.channel_key(CHANNEL),
                time_text="09:00",
                timezone_text="Europe/Berlin",
            )
            await app.quiz.schedules.save(schedule, today=MONDAY_9_BERLIN.date())
            await slack_quiz.tick(SlackContext(core=app, settings=settings), env.client())
            [post] = env.messages_in(CHANNEL)
            before = repr(post["blocks"])
            choices = buttons(post)
            rng = random.Random(5)
            users = [f"U{n:07d}" for n in range(clicks)]
            clickers = set(users)
            requests = [_click(env, post, rng.choice(choices), user) for user in users]
            signed = [(r.body, payloads.signed_headers(r, env.signing_secret)) for r in requests]
            await env.command("/coach", "quiz stats")  # a running app: Bolt has its auth.test
            arrivals = sorted(rng.uniform(0, WINDOW_SECONDS) for _ in users)
            acks: list[float] = []
            statuses: list[int] = []
            connector = aiohttp.TCPConnector(limit=200)
            async with aiohttp.ClientSession(connector=connector) as http:
                began = time.perf_counter()

                async def send(request: tuple[str, dict[str, str]], at: float) -> None:
                    await asyncio.sleep(at)
                    sent = time.perf_counter()
                    body, headers = request
                    async with http.post(env.events_url, data=body, headers=headers) as r:
                        await r.read()
                        statuses.append(r.status)
                    acks.append(time.perf_counter() - sent)

                await asyncio.gather(*(send(r, t) for r, t in zip(signed, arrivals, strict=True)))
                deadline = time.perf_counter() + SETTLE_SECONDS
                while len(env.calls_to("response_url")) < clicks + 1:  # + the warm-up
                    if time.perf_counter() > deadline:
                        raise SystemExit("not every click was answered within a minute")
                    await asyncio.sleep(0.005)
                burst = time.perf_counter() - began

            rows = await app.database.fetch(
                "SELECT COUNT(*), COUNT(DISTINCT agent_id) FROM quiz_answers"
            )
            stored, distinct = rows[0][0], rows[0][1]
            feedback = [
                e
                for e in env.api.ephemerals
                if e.get("via") == "response_url" and e["recipient"] in clickers
            ]
            answered = {e["recipient"] for e in feedback}
            problems = env.take_problems()
            if not (statuses.count(200) == len(statuses) == clicks):
                raise SystemExit(f"not every click was acknowledged: {len(statuses)=}")
            if not (stored == distinct == clicks == len(feedback) == len(answered)):
                raise SystemExit(f"lost or doubled clicks: {stored=} {distinct=} {len(feedback)=}")
            if repr(post["blocks"]) != before or problems:
                raise SystemExit(f"the post changed or Slack saw problems: {problems[:3]}")
        finally:
            await env.stop()
            await app.close()
    return {
        "burst": burst,
        "p50": statistics.median(acks) * 1000,
        "p99": _percentile(acks, 0.99) * 1000,
        "max": max(acks) * 1000,
        "throughput": clicks / burst,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=1000)
    args = parser.parse_args()
    results = [asyncio.run(_one_run(args.clicks)) for _ in range(args.runs)]
    print(
        f"\nSlack quiz burst: {args.clicks} agents click within {WINDOW_SECONDS:g} s,"
        f" signed HTTP through create_slack_app ({args.runs} runs)"
    )
    print("| run | burst s | clicks/s | ack p50 ms | ack p99 ms | ack max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for n, r in enumerate(results, 1):
        print(
            f"| {n} | {r['burst']:.2f} | {r['throughput']:.0f} | {r['p50']:.1f}"
            f" | {r['p99']:.1f} | {r['max']:.1f} |"
        )
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print(
        f"| median | {med['burst']:.2f} | {med['throughput']:.0f} | {med['p50']:.1f}"
        f" | {med['p99']:.1f} | {med['max']:.1f} |"
    )
    print("every click acked (Slack allows 3 s), stored once and answered privately once;")
    print("the post unchanged. burst s: first arrival to the last feedback delivered")


if __name__ == "__main__":
    main()
