"""The simulated shift behind `make load`: what agents type and click, and what is kept of it.

benchmarks/shift_load.py starts the bot and the fake Discord and prints the figures; this
module is the floor itself. Each operation is one interaction, timed by the fake Discord from
INTERACTION_CREATE leaving its gateway to the bot's callback request arriving at its REST API:

- ask: `/ask` with a knowledge-base example question, an out-of-scope one, or one with typos
- practice question / practice answer: `/quiz practice`, then a click on one of its choices
- debrief form / preview / submit: `/debrief write`, the form sent, "Submit anonymously"
- quiz click: a first click on the 9:00 quiz; quiz second click: the same agent again
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from benchmarks.quiz_load import _percentile
from cogs._errors import GENERIC
from tests.discord_harness import FakeChannel, FakeUser, InteractionRecord, buttons
from tests.load_driver import LoadDiscord, answer_counted, answer_refused, is_quiz_post

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
OPS = (
    "ask",
    "quiz click",
    "quiz second click",
    "practice question",
    "practice answer",
    "debrief form",
    "debrief preview",
    "debrief submit",
)
# An agent takes a while to fill in the form; a submit within milliseconds could also reach the
# bot before it has stored the form it just sent, which no person can do.
FILLING_IN_SECONDS = (1.0, 3.0)
CODE = re.compile(r"\*\*[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\*\*")

# ---- what agents type --------------------------------------------------------------------


def questions(rng: random.Random) -> list[str]:
    """Every example question of the knowledge base, the out-of-scope examples, and a fifth of
    the examples again with a typo or two: the mix the ask stream draws from."""
    in_scope = [
        str(q)
        for path in sorted((KNOWLEDGE / "topics").glob("*.yaml"))
        for q in yaml.safe_load(path.read_text(encoding="utf-8")).get("questions") or ()
    ]
    out_of_scope = yaml.safe_load((KNOWLEDGE / "out_of_scope.yaml").read_text(encoding="utf-8"))
    typos = [typo(q, rng) for q in rng.sample(in_scope, len(in_scope) // 5)]
    return in_scope + [str(q) for q in out_of_scope.get("examples") or ()] + typos


def typo(text: str, rng: random.Random) -> str:
    """One or two slips of the finger: two letters swapped, one dropped or one doubled."""
    for _ in range(rng.randint(1, 2)):
        letters = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
        if not letters:
            break
        i = rng.choice(letters)
        kind = rng.randrange(3)
        if kind == 0:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif kind == 1:
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + text[i] + text[i:]
    return text


_CUSTOMERS = ("Mr Jonathan Pryce", "Mrs Alvarez", "Priya Natarajan", "a caller called Dave")
_WHAT = (
    "{who} ({email}, {phone}) shouted at me for ten minutes about a £{n} charge.",
    "{who} said the parcel was three weeks late and asked for my manager twice.",
    "{who} called from {phone} about order {ref} and kept repeating the same complaint.",
    "{who} threatened to post about us online unless we refunded {n} pounds today.",
)
_TRIED = (
    "I let them vent, then summed up what they needed.",
    "I apologised for the delay and explained what I could do right now.",
    "I offered a callback once I had checked the account.",
)
_WORKED = (
    "Giving a date for the refund calmed things down.",
    "Naming the next step and a time worked.",
    "Staying calm and not arguing about the details helped.",
)
_NEXT = (
    "Check the order history before picking up.",
    "Set expectations earlier in the call.",
    "",
)


def debrief(rng: random.Random) -> dict[str, str]:
    """A tough-call debrief as an agent writes it, personal details and all."""
    who = rng.choice(_CUSTOMERS)
    what = rng.choice(_WHAT).format(
        who=who,
        email=f"{who.split()[-1].lower()}{rng.randrange(100)}@example.com",
        phone=f"+44 7700 900{rng.randrange(1000):03d}",
        n=rng.randrange(20, 500),
        ref=f"A{rng.randrange(10**6):06d}",
    )
    return {
        "what_happened": what,
        "what_tried": rng.choice(_TRIED),
        "what_worked": rng.choice(_WORKED),
        "next_time": rng.choice(_NEXT),
        "topic": "",
    }


# ---- what is kept --------------------------------------------------------------------------


@dataclass
class OpLog:
    """One operation's records and the ones that went wrong (with why)."""

    records: list[InteractionRecord] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, record: InteractionRecord, problem: str | None) -> None:
        self.records.append(record)
        if problem is None and record.callback is None:
            problem = "no response"
        if problem is not None:
            self.failures.append(problem)

    def figures(self, window: float) -> dict[str, float]:
        """count, ops/s over `window` seconds, p50/p99/max ms (answered ones), errors."""
        seconds = [r.response_seconds for r in self.records if r.callback is not None]
        ms = [s * 1000 for s in seconds] or [0.0]
        return {
            "count": len(self.records),
            "rate": len(self.records) / window if window > 0 else 0.0,
            "p50": _percentile(ms, 0.5),
            "p99": _percentile(ms, 0.99),
            "max": max(ms),
            "errors": len(self.failures),
        }


def _reply_problem(record: InteractionRecord) -> str | None:
    if record.callback is None:
        return "no response"
    if GENERIC in record.content or "Slow down" in record.content:
        return f"error reply: {record.content[:60]!r}"
    return None


@dataclass
class Click:
    agent: FakeUser
    choice: int
    record: InteractionRecord

    @property
    def counted(self) -> bool:
        return answer_counted(self.record)

    @property
    def refused(self) -> bool:
        return answer_refused(self.record)


# ---- the floor -----------------------------------------------------------------------------


class Shift:
    """Agents at work: streams of asks, practice and debriefs, and the 9:00 burst."""

    def __init__(
        self,
        env: LoadDiscord,
        agents: list[FakeUser],
        rng: random.Random,
        channels: list[FakeChannel] | None = None,
    ) -> None:
        """`channels`: the teams' channels (one per server); agent n works in the n-th modulo
        their number (default: the fake's one channel)."""
        self.env, self.agents, self.rng = env, agents, rng
        self.channels = channels or [env.channel]
        self.home = {a.id: self.channels[n % len(self.channels)] for n, a in enumerate(agents)}
        self.questions = questions(rng)
        self.ops = {name: OpLog() for name in OPS}
        self.clicks: list[Click] = []
        self.began = 0.0  # perf_counter() when the streams started
        self._tasks: set[asyncio.Task[None]] = set()

    async def ask(self) -> None:
        agent = self.rng.choice(self.agents)
        record = await self.env.send_slash(
            "ask", user=agent, channel=self.home[agent.id], question=self.rng.choice(self.questions)
        )
        problem = _reply_problem(record)
        if problem is None and not (
            record.callback_type == 4 and (record.embeds or record.content)
        ):
            problem = f"unexpected reply {record.callback}"
        self.ops["ask"].add(record, problem)

    async def practice(self) -> None:
        agent = self.rng.choice(self.agents)
        question = await self.env.send_slash(
            "quiz practice", user=agent, channel=self.home[agent.id]
        )
        choices = buttons(question.message or {})
        problem = _reply_problem(question)
        if problem is None and not choices and "practised everything" not in question.content:
            problem = "no choices to click"
        self.ops["practice question"].add(question, problem)
        if problem is None and choices:
            choice = self.rng.choice(choices)["custom_id"]
            answer = await self.env.send_click(question, choice, user=agent)
            problem = _reply_problem(answer)
            if problem is None and not answer.embeds:
                problem = f"no feedback: {answer.content[:60]!r}"
            self.ops["practice answer"].add(answer, problem)

    async def debrief(self) -> None:
        agent = self.rng.choice(self.agents)
        form = await self.env.send_slash("debrief write", user=agent, channel=self.home[agent.id])
        problem = _reply_problem(form) or (None if form.modal else "no form")
        self.ops["debrief form"].add(form, problem)
        if problem is not None:
            return
        await asyncio.sleep(self.rng.uniform(*FILLING_IN_SECONDS))
        preview = await self.env.send_modal(form, debrief(self.rng))
        labels = [b.get("label") for b in buttons(preview.message or {})]
        problem = _reply_problem(preview)
        if problem is None and "Submit anonymously" not in labels:
            problem = f"no submit button: {preview.content[:60]!r}"
        self.ops["debrief preview"].add(preview, problem)
        if problem is not None:
            return
        done = await self.env.send_click(preview, "Submit anonymously", user=agent)
        problem = _reply_problem(done)
        if problem is None and not CODE.search(done.content):
            problem = f"no deletion code: {done.content[:60]!r}"
        self.ops["debrief submit"].add(done, problem)

    async def stream(self, rate: float, seconds: float, op: Callable[[], Awaitable[None]]) -> None:
        """Start `op` at random (Poisson) instants, `rate` a second on average, for `seconds`;
        each runs on its own, so a slow answer never holds the next one back."""
        if rate <= 0:
            return
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        at = loop.time()
        while True:
            at += self.rng.expovariate(rate)
            if at >= end:
                return
            await asyncio.sleep(max(0.0, at - loop.time()))
            self._spawn(op())

    async def burst(self, posts: dict[int, dict], seconds: float, double_clicks: float) -> None:
        """Every agent clicks one of their team's quiz answers (`posts` by channel id) within
        `seconds`; a share of them click a second time (the same or another answer) a moment
        later."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        plan = []
        for agent in self.agents:
            post = posts[self.home[agent.id].id]
            count = len(buttons(post))
            at = self.rng.uniform(0, seconds)
            plan.append((at, agent, post, self.rng.randrange(count), "quiz click"))
            if self.rng.random() < double_clicks:
                again = at + self.rng.uniform(0.05, 0.5)
                plan.append((again, agent, post, self.rng.randrange(count), "quiz second click"))
        plan.sort(key=lambda p: p[0])
        for at, agent, post, choice, op in plan:
            await asyncio.sleep(max(0.0, start + at - loop.time()))
            custom_id = buttons(post)[choice]["custom_id"]
            self._spawn(self._click(post, custom_id, agent, choice, op))

    async def _click(
        self, post: dict, custom_id: str, agent: FakeUser, choice: int, op: str
    ) -> None:
        click = Click(agent, choice, await self.env.send_click(post, custom_id, user=agent))
        self.clicks.append(click)
        problem = _reply_problem(click.record)
        if problem is None and not (click.counted or click.refused):
            problem = f"unexpected answer: {click.record.content[:60]!r}"
        self.ops[op].add(click.record, problem)

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def exactly_once(self, rows: list[tuple]) -> dict[str, int | bool]:
        """Every answer the bot said counted is one row (`rows`: the stored answers' agent_id
        and choice), as clicked; every other click was refused; every agent who clicked has
        exactly one answer; and each team's quiz was posted once (no double posts)."""
        posts = {c.record.payload["data"]["custom_id"].split(":")[2] for c in self.clicks}
        quiz_posts = [
            sum(is_quiz_post(m) for m in self.env.sent_messages(channel))
            for channel in self.channels
        ]
        stored = {int(agent): int(choice) for agent, choice in rows}
        counted: dict[int, int] = {}
        told_twice = 0
        for click in self.clicks:
            if click.counted:
                told_twice += click.agent.id in counted
                counted[click.agent.id] = click.choice
        agents = {click.agent.id for click in self.clicks}
        refused = sum(click.refused for click in self.clicks)
        ok = (
            len(posts) == len(self.channels)
            and quiz_posts == [1] * len(self.channels)
            and len(rows) == len(stored) == len(agents)
            and stored == counted
            and told_twice == 0
            and refused == len(self.clicks) - len(agents)
        )
        return {
            "rows": len(rows),
            "agents": len(agents),
            "refused": refused,
            "double_posts": sum(max(0, n - 1) for n in quiz_posts),
            "ok": ok,
        }

    def burst_figures(self, deadline: float) -> dict[str, float]:
        """How long the burst took (first click out to last answer in), how many clicks were
        not answered within `deadline` seconds, and the p99 of the asks sent meanwhile and of
        all the others."""
        clicks = self.ops["quiz click"].records + self.ops["quiz second click"].records
        answered = [r for r in clicks if r.callback is not None]
        if not answered:
            return {"seconds": 0.0, "late": len(clicks), "ask_p99": 0.0, "ask_p99_outside": 0.0}
        start = min(r.sent_at for r in clicks)
        end = max(r.answered_at for r in answered)
        during: list[float] = []
        outside: list[float] = []
        for r in self.ops["ask"].records:
            if r.callback is not None:
                (during if start <= r.sent_at <= end else outside).append(r.response_seconds)
        return {
            "seconds": end - start,
            "late": len(clicks) - sum(r.response_seconds <= deadline for r in answered),
            "ask_p99": _percentile(during, 0.99) * 1000 if during else 0.0,
            "ask_p99_outside": _percentile(outside, 0.99) * 1000 if outside else 0.0,
        }

    async def drain(self) -> None:
        """Wait for every operation still in flight (each gives up after its timeout)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
