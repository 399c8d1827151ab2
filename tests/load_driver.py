"""Many users at once against the fake Discord: for the crash test and the load benchmark.

`DiscordEnv`'s conversation calls take turns: each waits until the bot has gone quiet. A
floor of agents does not take turns, so `LoadDiscord` adds calls that send an interaction and
return as soon as the bot's response (the interaction callback) reaches the fake, while any
number of others are in flight:

    env = LoadDiscord()
    await env.start()
    process = await start_bot(env, data_dir, log_file, clock_start=MONDAY_0900_BERLIN)
    await env.wait_for_bot(process=process)
    post = await env.wait_for_message(env.channel, is_quiz_post)
    clicks = await asyncio.gather(*(env.send_click(post, "cb:quiz:1:0:2", a) for a in agents))
    [r.response_seconds for r in clicks if r.callback]   # INTERACTION_CREATE -> callback

A record whose `callback` is None got no response within `response_timeout` (or the bot went
away first). The records, requests and problems are the same as `DiscordEnv`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from tests.discord_harness import (
    GUILD_ID,
    DiscordEnv,
    FakeChannel,
    FakeUser,
    InteractionRecord,
    RecordedRequest,
    iter_components,
)

REPO = Path(__file__).resolve().parents[1]
AGENT_IDS = GUILD_ID + 100_000  # agents' user ids start here, clear of the harness's people

Message = dict[str, Any]


def is_quiz_post(message: Message) -> bool:
    """A quiz post (scheduled or `/quiz now`): a message with quiz answer buttons."""
    return any(
        str(c.get("custom_id", "")).startswith("cb:quiz:")
        for c in iter_components(message.get("components"))
    )


def answer_counted(record: InteractionRecord) -> bool:
    """The bot's reply to a quiz click shows the right answer and why: the answer counted."""
    return record.callback is not None and bool(record.embeds)


def answer_refused(record: InteractionRecord) -> bool:
    """The bot's reply to a quiz click says the agent had already answered."""
    return record.callback is not None and "already answered" in record.content


class LoadDiscord(DiscordEnv):
    """`DiscordEnv` plus concurrent interactions (see the module docstring)."""

    def __init__(self, *, response_timeout: float = 10.0, **options: Any) -> None:
        super().__init__(**options)
        self.response_timeout = response_timeout
        self._waiters: dict[str, asyncio.Future[None]] = {}
        self._watchers: list[tuple[int, Callable[[Message], bool], asyncio.Future[Message]]] = []
        self.processes: list[asyncio.subprocess.Process] = []  # bots started by start_bot

    async def stop(self) -> None:
        """Also kill any bot process still running (a failed test must not leave one behind)."""
        for process in self.processes:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        await super().stop()

    # ---- people ------------------------------------------------------------------------------

    def agents(self, count: int) -> list[FakeUser]:
        """`count` agents (not in the member list the bot gets at start: real Discord does not
        send members without the privileged members intent; their interactions carry them)."""
        found = []
        for n in range(count):
            agent = self.users.get(AGENT_IDS + n) or FakeUser(AGENT_IDS + n, f"Agent{n:04d}")
            self.users[agent.id] = agent
            found.append(agent)
        return found

    def add_channel(self, name: str) -> FakeChannel:
        """Another text channel in the server (add it before the bot connects)."""
        channel = FakeChannel(self._ids(), name, guild_id=GUILD_ID, position=len(self.channels))
        self.channels[channel.id] = channel
        return channel

    # ---- sending -----------------------------------------------------------------------------

    async def send_slash(
        self, command: str, /, user: FakeUser, channel: FakeChannel | None = None, **values: Any
    ) -> InteractionRecord:
        """`/command`, returning when the bot responded (or `response_timeout` passed)."""
        channel = channel or self.channel
        data = self._command_data(command, values, user, channel)
        return await self.send(self._new_interaction(2, data, user, channel))

    async def send_click(self, target: Any, button: str, /, user: FakeUser) -> InteractionRecord:
        """Click a button (label or custom_id) of a message the bot sent, as `user`."""
        message, comp = self._find_component(target, button, kinds=(2,))
        data = {"custom_id": comp["custom_id"], "component_type": 2}
        channel = self.channels[int(message["channel_id"])]
        return await self.send(
            self._live_message(self._new_interaction(3, data, user, channel), message)
        )

    async def send_modal(
        self, record: InteractionRecord, values: dict[str, Any], /
    ) -> InteractionRecord:
        """Submit the modal the bot opened in answer to `record`, as the same user."""
        modal = record.modal
        if modal is None:
            raise AssertionError(f"The bot did not open a modal (callback: {record.callback})")
        data = {
            "custom_id": modal["custom_id"],
            "components": self._modal_components(modal, dict(values)),
        }
        submit = self._new_interaction(5, data, record.user, record.channel)
        return await self.send(self._live_message(submit, record.payload.get("message")))

    @staticmethod
    def _live_message(record: InteractionRecord, message: Message | None) -> InteractionRecord:
        """Attach the message a component belongs to as it is, not a deep copy as `click` does
        (in a burst of clicks the copies would be much of the fake's work); it is serialised
        when the event is sent, so the bot still gets the message as it was then."""
        if message is not None:
            record.payload["message"] = message
        return record

    async def send(self, record: InteractionRecord) -> InteractionRecord:
        """Send INTERACTION_CREATE now and wait for its callback; never waits for quiet."""
        # the shard carrying the server (several bot processes each run their own shards)
        session = self._session_for(record.channel.guild_id if record.channel else None)
        if session is None or session.ws.closed:
            return record  # no bot connected: the click never reached anyone
        waiter = asyncio.get_running_loop().create_future()
        self._waiters[str(record.id)] = waiter
        try:
            record.sent_at = time.perf_counter()
            await session.dispatch("INTERACTION_CREATE", record.payload)
            await asyncio.wait_for(waiter, self.response_timeout)
        except (TimeoutError, ConnectionError, RuntimeError, aiohttp.ClientError):
            pass  # no response: the record's callback stays None
        finally:
            self._waiters.pop(str(record.id), None)
        return record

    # ---- watching ------------------------------------------------------------------------------

    async def wait_for_message(
        self, channel: FakeChannel, predicate: Callable[[Message], bool], timeout: float = 15.0
    ) -> Message:
        """The first message the bot sent (or sends within `timeout`) in `channel` that matches."""
        for message in self.sent_messages(channel):
            if predicate(message):
                return message
        found: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        watcher = (channel.id, predicate, found)
        self._watchers.append(watcher)
        try:
            return await asyncio.wait_for(found, timeout)
        except TimeoutError:
            raise AssertionError(f"The bot posted no such message in #{channel.name}") from None
        finally:
            self._watchers.remove(watcher)

    async def wait_for_shards(
        self, count: int, processes: list[asyncio.subprocess.Process], timeout: float = 60.0
    ) -> None:
        """Until `count` shard connections identified (bots in other processes, each running
        its own shards); fails at once if one of the processes exits instead."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self._live) < count:
            exited = [p.returncode for p in processes if p.returncode is not None]
            if exited:
                raise AssertionError(f"A bot process exited with {exited[0]}")
            if loop.time() > deadline:
                raise AssertionError(f"{len(self._live)} of {count} shards identified")
            await self._changed([], min(0.2, deadline - loop.time()))
        await self._finish(self._begin("the bots' startup"))

    async def wait_for_disconnect(self, timeout: float = 10.0) -> None:
        """Until the fake has seen the bot's gateway connection close (e.g. after a kill)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._session is not None:
            if loop.time() > deadline:
                raise AssertionError(f"The bot was still connected after {timeout:g}s")
            await self._changed([], deadline - loop.time())

    # ---- hooks into the fake's handlers --------------------------------------------------------

    async def _callback(self, rec: RecordedRequest, interaction_id: str, token: str) -> Any:
        try:
            return await super()._callback(rec, interaction_id, token)
        finally:
            waiter = self._waiters.get(interaction_id)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def _post_message(self, rec: RecordedRequest, channel_id: str) -> Any:
        message = await super()._post_message(rec, channel_id)
        for watched, predicate, found in list(self._watchers):
            if watched == int(channel_id) and not found.done() and predicate(message):
                found.set_result(message)
        return message

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        try:
            return await super()._gateway(request)
        finally:
            if self._session is None:  # the bot went away: nothing in flight will be answered
                for waiter in self._waiters.values():
                    if not waiter.done():
                        waiter.set_result(None)


# --------------------------------------------------------------------------------------------
# The bot in its own process
# --------------------------------------------------------------------------------------------


def bot_environment(env: DiscordEnv, data_dir: Path) -> dict[str, str]:
    """Environment for `coachbot run` against the fake, with its own data directory."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": env.token,
        "COACHBOT_DEV_GUILD": str(GUILD_ID),
        "COACHBOT_DATA_DIR": str(data_dir),
        "COACHBOT_KNOWLEDGE_DIR": str(REPO / "knowledge"),
        "COACHBOT_LOG_LEVEL": "",  # the default, WARNING
    }


async def start_bot(
    env: DiscordEnv,
    data_dir: Path,
    log: Path,
    *,
    clock_start: datetime | None = None,
    lift_ask_cooldown: bool = False,
    lift_debrief_limit: bool = False,
    quick_ready: bool = False,
    rusage: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    cpus: set[int] | None = None,
) -> asyncio.subprocess.Process:
    """Start the real `coachbot run` in a child process (see tests/bot_process.py). Its stderr
    goes to `log` (a file, not a pipe: a pipe nobody reads would stall a chatty bot).
    `extra_env`: settings on top of `bot_environment` (COACHBOT_DATABASE_URL, shards); `cpus`:
    the cores it runs on, set before it starts so that every thread it makes inherits them."""
    argv = [sys.executable, "-m", "tests.bot_process", env.base_url]
    if clock_start is not None:
        argv += ["--clock-start", clock_start.isoformat()]
    if lift_ask_cooldown:
        argv.append("--no-ask-cooldown")
    if lift_debrief_limit:
        argv.append("--no-debrief-limit")
    if quick_ready:
        argv.append("--quick-ready")
    if rusage is not None:
        argv += ["--rusage", str(rusage)]
    data_dir.parent.mkdir(parents=True, exist_ok=True)  # the bot creates data_dir (private)
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            *argv,
            "run",
            cwd=data_dir.parent,
            env={**bot_environment(env, data_dir), **(extra_env or {})},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
    if isinstance(env, LoadDiscord):
        env.processes.append(process)
    return process


async def stop_bot(process: asyncio.subprocess.Process, timeout: float = 30.0) -> int:
    """SIGTERM (docker stop) and wait; returns the exit code."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    return await asyncio.wait_for(process.wait(), timeout)


_PROBLEM = re.compile(
    r"\blevel=(?:error|critical)\b"  # logfmt
    r'|"level": ?"(?:error|critical)"'  # JSON lines
    r"| (?:ERROR|CRITICAL) "  # logging's default text format
    r"|^Traceback"
)


def log_problems(text: str) -> list[str]:
    """Lines of a bot's stderr that mean something went wrong: errors and tracebacks."""
    return [line for line in text.splitlines() if _PROBLEM.search(line)]


async def seed_schedule(
    data_dir: Path,
    channel: FakeChannel,
    local_time: str,
    timezone: str = "Europe/Berlin",
    *,
    today: date,
    database_url: str | None = None,
) -> None:
    """Schedule a channel's daily quiz in the bot's database before the bot starts, as a
    trainer's /quiz subscribe would have done (the core's own parser and store).
    `database_url`: a PostgreSQL database instead of the data folder's SQLite file."""
    from coachbot.quiz.schedule import parse_schedule
    from coachbot.settings import Settings
    from coachbot.store.database import Database
    from coachbot.store.schedules import ScheduleStore

    settings = Settings(data_dir=data_dir, knowledge_dir=REPO / "knowledge")
    database = await Database.open(database_url or settings.database_path)
    try:
        schedule = parse_schedule(
            guild_id=str(channel.guild_id),
            channel_id=str(channel.id),
            time_text=local_time,
            timezone_text=timezone,
        )
        await ScheduleStore(database).save(schedule, today=today)
    finally:
        await database.close()
