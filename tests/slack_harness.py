"""A fake Slack on loopback that a real, unchanged Bolt app talks to.

One aiohttp server on 127.0.0.1 is Slack: the Web API (``/api/<method>``, recording every call,
refusing what Block Kit's limits refuse), response URLs, file upload URLs and the Socket Mode
websocket. The app under test is a real ``AsyncApp`` whose client is ``slack.client()``; the
harness sends it signed requests through Bolt's own aiohttp HTTP adapter (``serve``) or
envelopes through ``AsyncSocketModeHandler`` (``connect_socket_mode``), and tests read like a
conversation::

    async def test_ask(slack_env):
        bolt = create_slack_app(app, settings, client=slack_env.client())
        await slack_env.serve(bolt)
        turn = await slack_env.command("/coach", "customer keeps yelling", user=slack_env.ada)
        assert turn.status == 200
        [card] = slack_env.ephemerals_to(slack_env.ada)
        helped = await slack_env.click(card, "Helpful")

Every conversation call returns a ``SlackTurn`` once the app has acked AND finished the work it
started after the ack (its new asyncio tasks are done), or fails with a clear
``AssertionError`` within ``env.timeout`` seconds. The ``slack_env`` fixture fails the test if
slack_bolt, slack_sdk, ``slack_adapter`` or ``coachbot`` logged an ERROR, if the app called a
method this fake does not know, or if the fake refused a call as Slack would (Block Kit limits,
bad token, missing argument, unknown message or trigger); tests that provoke those on purpose
call ``env.take_problems()``.

Get the fixture with ``from tests.slack_harness import slack_env_fixture  # noqa: F401``.
For a process under test, ``env.bot_command("run")`` runs ``coachbot run`` with slack_sdk
pointed at this fake (pass ``env.environ()`` in its environment).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from tests.fake_platform import running
from tests.slack_fake import blockkit, payloads
from tests.slack_fake.payloads import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    SIGNATURE_MAX_AGE,
    TEAM_ID,
    SlackRequest,
)
from tests.slack_fake.socket_mode import Envelope
from tests.slack_fake.surfaces import (
    buttons,
    message_text,
    options_by_value,
    pings,
    public_message,
    public_view,
    view_state,
)
from tests.slack_fake.web_api import (
    FakeSlackWebApi,
    ResponseTarget,
    SlackApiFault,
    SlackCall,
    SlackFile,
    SlackUser,
    SlackUsergroup,
)

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "CHANNEL",
    "OTHER_CHANNEL",
    "SIGNATURE_MAX_AGE",
    "TEAM_ID",
    "TRAINER_GROUP",
    "SlackCall",
    "SlackEnv",
    "SlackFile",
    "SlackRequest",
    "SlackTurn",
    "SlackUser",
    "SlackUsergroup",
    "blockkit",
    "buttons",
    "message_text",
    "payloads",
    "pings",
    "point_slack_at",
    "slack_env_fixture",
]

CHANNEL, OTHER_CHANNEL = "C0COACHING", "C0TRAINERS"
TRAINER_GROUP = "coach-trainers"  # handle of the trainers' user group (S0TRAINERS)
EVENTS_PATH = "/slack/events"
WATCHED_LOGGERS = ("slack_bolt", "slack_sdk", "slack_adapter", "coachbot")
# Long-lived loops of slack_sdk's Socket Mode client: never "work after the ack".
SOCKET_LOOPS = ("monitor_current_session", "receive_messages", "process_messages")
REAL_BASE_URL = "https://slack.com/api/"
AIOHTTP_DIR = os.path.dirname(aiohttp.__file__)  # its tasks serve connections, not the app
UserRef = SlackUser | str


# --------------------------------------------------------------------------------------------
# Turns
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class SlackTurn:
    """One request Slack sent the app, the ack it got back, and everything the app did
    because of it until its work was done."""

    request: SlackRequest
    user: str
    via: str  # "http" or "socket"
    status: int = 0  # HTTP status of the ack (200 for a Socket Mode ack)
    body: str = ""  # the ack's body (Socket Mode: its payload as JSON, "" for a bare ack)
    calls: list[SlackCall] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    envelope: Envelope | None = None

    @property
    def payload(self) -> dict[str, Any]:
        return self.request.payload

    @property
    def ack(self) -> dict[str, Any] | None:
        """The ack's body as Slack reads it (``{"text": ...}``, ``{"response_action": ...}``),
        or None for an empty ack."""
        if not self.body or self.status != 200:
            return None
        try:
            data = json.loads(self.body)
        except json.JSONDecodeError:
            return {"text": self.body}  # Bolt acks bare text as text/plain; Slack shows it
        return data if isinstance(data, dict) else None

    @property
    def response_action(self) -> str | None:
        return (self.ack or {}).get("response_action")

    @property
    def errors(self) -> dict[str, str]:
        """A view submission's ``response_action: errors`` (block_id -> message)."""
        return (self.ack or {}).get("errors") or {} if self.response_action == "errors" else {}

    @property
    def replies(self) -> list[dict[str, Any]]:
        """Messages the user can see because of this turn: the ack's own message (a command's
        ``ack(text)``), then ephemerals and channel messages, oldest first."""
        ack = self.ack
        shown = [ack] if ack and ("text" in ack or "blocks" in ack) else []
        return shown + sorted(self.ephemerals + self.messages, key=lambda m: m["ts"])

    @property
    def views(self) -> list[dict[str, Any]]:
        """Views the app opened, pushed, updated or published, as Slack returned them."""
        return [c.response["view"] for c in self.calls if c.ok and "view" in (c.response or {})]

    @property
    def view(self) -> dict[str, Any] | None:
        return self.views[-1] if self.views else None

    @property
    def text(self) -> str:
        """All the text of the replies and views, for quick ``in`` checks."""
        return "\n".join(message_text(m) for m in [*self.replies, *self.views])

    def calls_to(self, method: str) -> list[SlackCall]:
        return [c for c in self.calls if c.method == method]


# --------------------------------------------------------------------------------------------
# Problems: ERROR logs, unknown methods, refused calls
# --------------------------------------------------------------------------------------------


class _ErrorLogs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> list[str]:
        lines = []
        for record in self.records:
            text = f"{record.levelname} logged by {record.name!r}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
            lines.append(text)
        return lines


def point_slack_at(base_url: str) -> Callable[[], None]:
    """Make every slack_sdk Web API client built without a ``base_url`` use the fake at
    ``base_url`` (``http://host:port``). Returns the function that undoes it."""
    from slack_sdk.web.async_base_client import AsyncBaseClient
    from slack_sdk.web.base_client import BaseClient

    api = base_url.rstrip("/") + "/api/"
    saved = [(cls.__init__, cls.__init__.__defaults__) for cls in (AsyncBaseClient, BaseClient)]
    for init, defaults in saved:
        init.__defaults__ = tuple(api if d == REAL_BASE_URL else d for d in defaults or ())

    def restore() -> None:
        for init, defaults in saved:
            init.__defaults__ = defaults

    return restore


# --------------------------------------------------------------------------------------------
# The environment
# --------------------------------------------------------------------------------------------


class SlackEnv:
    """The fake Slack, the app's transport and the conversation API. See the module docstring."""

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        signing_secret: str = "harness-signing-secret",
        bot_token: str = "xoxb-harness-bot-token",
        app_token: str = "xapp-1-A0COACHBOT-harness",
    ) -> None:
        self.timeout, self.signing_secret = timeout, signing_secret
        self.bot_token, self.app_token = bot_token, app_token
        self.api = FakeSlackWebApi(bot_token=bot_token, app_token=app_token)
        api = self.api
        # The world: members, admins, the trainers' group, two channels
        self.ada, self.ben = api.user("U0ADA"), api.user("U0BEN")
        self.ada.name, self.ben.name = "ada", "ben"
        self.tara = api.user("U0TARA")  # a trainer through the user group
        self.tara.name = "tara"
        self.max = api.user("U0MAX")  # workspace admin
        self.max.name, self.max.is_admin = "max", True
        self.olive = api.user("U0OLIVE")  # workspace owner
        self.olive.name, self.olive.is_owner = "olive", True
        bot = api.user(BOT_USER_ID)
        bot.name, bot.is_bot = "coachbot", True
        api.usergroups.append(SlackUsergroup("S0TRAINERS", TRAINER_GROUP, "Trainers", ["U0TARA"]))
        api.channel_names.update({CHANNEL: "coaching", OTHER_CHANNEL: "trainers"})
        self.base_url = self.api_url = self.events_url = ""
        self._runner: web.AppRunner | None = None
        self._app_runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._socket_handler: AsyncSocketModeHandler | None = None
        self._logs = _ErrorLogs()
        self._events = count(1)

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Serve the fake on a free loopback port; start collecting ERROR logs."""
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).addHandler(self._logs)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self.api.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self.api_url = f"{self.base_url}/api/"
        self.api.base_url = self.base_url
        self._http = aiohttp.ClientSession()

    async def stop(self) -> None:
        """Disconnect the app and stop both servers; keep the records."""
        try:
            await self.disconnect()
            await self.api.socket.close()
            if self._http is not None:
                await self._http.close()
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None
        finally:
            for name in WATCHED_LOGGERS:
                logging.getLogger(name).removeHandler(self._logs)

    def client(self, **kwargs: Any) -> AsyncWebClient:
        """An ``AsyncWebClient`` with the bot token, talking to the fake."""
        kwargs.setdefault("token", self.bot_token)
        return AsyncWebClient(base_url=self.api_url, **kwargs)

    def environ(self, *, socket_mode: bool = False) -> dict[str, str]:
        """The Slack variables a process needs for this fake (HTTP mode unless asked)."""
        env = {"SLACK_BOT_TOKEN": self.bot_token}
        if socket_mode:
            env["SLACK_APP_TOKEN"] = self.app_token
        else:
            env["SLACK_SIGNING_SECRET"] = self.signing_secret
        return env

    def bot_command(self, *coachbot_args: str) -> list[str]:
        """argv running ``coachbot <args>`` with slack_sdk pointed at this fake."""
        return [sys.executable, "-m", "tests.slack_harness", self.base_url, *coachbot_args]

    async def serve(self, bolt_app: AsyncApp, *, path: str = EVENTS_PATH) -> str:
        """Serve ``bolt_app`` through Bolt's aiohttp adapter (``AsyncApp.web_app``) on a free
        loopback port; requests go there from now on. Returns the events URL."""
        await self.disconnect()
        self._app_runner = web.AppRunner(bolt_app.web_app(path=path), access_log=None)
        await self._app_runner.setup()
        await web.TCPSite(self._app_runner, "127.0.0.1", 0).start()
        self.events_url = f"http://127.0.0.1:{self._app_runner.addresses[0][1]}{path}"
        return self.events_url

    async def connect_socket_mode(
        self, bolt_app: AsyncApp, **handler_kwargs: Any
    ) -> AsyncSocketModeHandler:
        """Connect ``bolt_app`` with slack_bolt's ``AsyncSocketModeHandler`` (aiohttp client)
        and wait for the fake's ``hello``; requests go through the socket from now on."""
        await self.disconnect()
        handler = AsyncSocketModeHandler(bolt_app, app_token=self.app_token, **handler_kwargs)
        self._socket_handler = handler
        await handler.connect_async()
        await self.wait_for_socket()
        return handler

    async def wait_for_socket(self, timeout: float | None = None) -> None:
        """Wait until an app (in this process or another) has connected over Socket Mode."""
        await self.api.socket.wait_connected(self.timeout if timeout is None else timeout)

    async def disconnect(self) -> None:
        """Stop serving the app / close its socket; the fake keeps its state."""
        handler, self._socket_handler = self._socket_handler, None
        if handler is not None:
            await handler.close_async()
        runner, self._app_runner = self._app_runner, None
        if runner is not None:
            await runner.cleanup()
        self.events_url = ""

    # ---- problems --------------------------------------------------------------------------

    def problems(self) -> list[str]:
        found = self._logs.describe()
        found += [
            f"the app called something the fake Slack does not know: {u}"
            for u in self.api.unexpected
        ]
        for call in self.api.rejected:
            detail = call.response
            if isinstance(detail, dict):
                detail = detail.get("response_metadata", {}).get("messages") or detail["error"]
            found.append(f"the fake Slack refused {call.method}: {detail}")
        return found

    def take_problems(self) -> list[str]:
        """Return the problems and forget them (for tests that provoke them on purpose)."""
        found = self.problems()
        self._logs.records.clear()
        self.api.unexpected.clear()
        self.api.rejected.clear()
        return found

    # ---- queries ---------------------------------------------------------------------------

    @property
    def calls(self) -> list[SlackCall]:
        return self.api.calls

    def calls_to(self, method: str) -> list[SlackCall]:
        """Calls of one Web API method (or ``"response_url"`` / ``"upload"``), oldest first."""
        return [c for c in self.api.calls if c.method == method]

    def user(self, user: UserRef) -> SlackUser:
        return user if isinstance(user, SlackUser) else self.api.user(user)

    def dm_channel(self, user: UserRef) -> str:
        return self.api.dm_channel(self.user(user).id)

    def ephemerals_to(self, user: UserRef, channel: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages a user can still see (chat.postEphemeral and response_url
        replies), oldest first."""
        user_id = self.user(user).id
        return [
            m
            for m in self.api.ephemerals
            if m["recipient"] == user_id
            and not m.get("deleted")
            and (channel is None or m["channel"] == channel)
        ]

    def history(self, channel: str) -> list[dict[str, Any]]:
        """Every message in a channel (users' and the app's), oldest first."""
        return [m for m in self.api.messages.get(channel, []) if not m.get("deleted")]

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """The app's messages in a channel (or ``dm_channel(user)``), oldest first."""
        return [m for m in self.history(channel) if m.get("bot_id") == BOT_ID]

    def last_message_in(self, channel: str) -> dict[str, Any]:
        messages = self.messages_in(channel)
        if not messages:
            raise AssertionError(f"The app has no message in {channel}")
        return messages[-1]

    def replies_in_thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        return [m for m in self.messages_in(channel) if m.get("thread_ts") == thread_ts]

    def open_modal(self, user: UserRef) -> dict[str, Any] | None:
        """The modal on top of the user's stack, or None when no modal is open."""
        stack = self.api.modal_stacks.get(self.user(user).id) or []
        return self.api.views[stack[-1]] if stack else None

    def home_of(self, user: UserRef) -> dict[str, Any] | None:
        """The App Home view published for the user, or None."""
        view_id = self.api.home_views.get(self.user(user).id)
        return self.api.views.get(view_id) if view_id else None

    def files_shared_in(self, channel: str) -> list[SlackFile]:
        return [f for f in self.api.files.values() if f.channel == channel]

    # ---- conversation API ------------------------------------------------------------------

    async def command(
        self,
        command: str,
        text: str = "",
        /,
        *,
        user: UserRef | None = None,
        channel: str = CHANNEL,
        **delivery: Any,
    ) -> SlackTurn:
        """Run ``/command text`` as ``user`` (default Ada) in ``channel`` (a ``dm_channel``
        works too). ``delivery`` takes ``bad_signature=True`` or ``age=seconds``."""
        member = self.user(user or self.ada)
        request = payloads.slash_command(
            command,
            text,
            user_id=member.id,
            user_name=member.name,
            channel_id=channel,
            channel_name=self.api.channel_names.get(channel, "general"),
            trigger_id=self.api.issue_trigger(member.id),
            response_url=self.api.issue_response_url(ResponseTarget(channel, member.id)),
        )
        return await self.deliver(request, member.id, **delivery)

    async def mention(
        self,
        text: str,
        /,
        *,
        user: UserRef | None = None,
        channel: str = CHANNEL,
        thread_ts: str | None = None,
        **delivery: Any,
    ) -> SlackTurn:
        """Post ``@CoachBot text`` in a channel: an ``app_mention`` event."""
        mention = f"<@{BOT_USER_ID}>"
        text = text if mention in text else f"{mention} {text}"
        return await self._user_message("app_mention", text, user, channel, thread_ts, delivery)

    async def dm(self, text: str, /, *, user: UserRef | None = None, **delivery: Any) -> SlackTurn:
        """Send the app a direct message: a ``message`` event with ``channel_type: im``."""
        member = self.user(user or self.ada)
        channel = self.dm_channel(member)
        return await self._user_message("message", text, member, channel, None, delivery)

    async def open_home(self, *, user: UserRef | None = None, **delivery: Any) -> SlackTurn:
        """Open the App Home tab: an ``app_home_opened`` event."""
        member = self.user(user or self.ada)
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": member.id,
            "channel": self.dm_channel(member),
            "tab": "home",
            "event_ts": self.api.next_ts(),
        }
        home = self.home_of(member)
        if home is not None:
            event["view"] = public_view(home)
        return await self.deliver(self._event(event), member.id, **delivery)

    async def click(
        self,
        target: Any,
        button: str | None = None,
        /,
        *,
        action_id: str | None = None,
        user: UserRef | None = None,
        **delivery: Any,
    ) -> SlackTurn:
        """Click a button (by action_id or label) in ``target``: a message, an ephemeral, a
        view, a list of them or a ``SlackTurn`` (its newest reply or view with that button).
        The user defaults to whoever sees the message or view."""
        wanted = action_id or button
        if wanted is None:
            raise TypeError("click() needs a button label or action_id")
        surface, block, element = self._find_element(target, wanted, kinds=("button",))
        action = {
            "type": "button",
            "action_id": element["action_id"],
            "block_id": block["block_id"],
            "text": element["text"],
            "action_ts": self.api.next_ts(),
        }
        for name in ("value", "style"):
            if name in element:
                action[name] = element[name]
        return await self._act(surface, action, user, delivery, f"click on {wanted!r}")

    async def select(
        self,
        target: Any,
        action_id: str,
        value: str | list[str],
        /,
        *,
        user: UserRef | None = None,
        **delivery: Any,
    ) -> SlackTurn:
        """Choose option ``value`` (values, for a multi-select) in a select, overflow, radio or
        checkbox element of ``target`` (see ``click``)."""
        surface, block, element = self._find_element(target, action_id, kinds=None)
        chosen = options_by_value(element, [value] if isinstance(value, str) else value)
        action: dict[str, Any] = {
            "type": element["type"],
            "action_id": element["action_id"],
            "block_id": block["block_id"],
            "action_ts": self.api.next_ts(),
        }
        if isinstance(value, str):
            action["selected_option"] = chosen[0]
        else:
            action["selected_options"] = chosen
        return await self._act(surface, action, user, delivery, f"selection in {action_id!r}")

    async def submit(
        self,
        target: Any,
        /,
        values: dict[str, Any] | None = None,
        *,
        user: UserRef | None = None,
        **delivery: Any,
    ) -> SlackTurn:
        """Fill in and submit a modal (a view, a ``SlackTurn`` that opened one, or a user whose
        open modal it is). ``values`` maps an input's action_id or block_id to its text (or
        option value(s)). Empty required inputs fail as Slack's client would refuse them."""
        view = self._modal(target)
        member = self.user(user or view["user"])
        state = view_state(view, values or {})
        submitted = {**public_view(view), "state": state}
        request = payloads.view_submission(
            submitted,
            user_id=member.id,
            user_name=member.name,
            trigger_id=self.api.issue_trigger(member.id),
        )
        turn = await self.deliver(request, member.id, **delivery)
        self._apply_response_action(turn, view)
        return turn

    async def close_modal(
        self, target: Any, /, *, user: UserRef | None = None, **delivery: Any
    ) -> SlackTurn | None:
        """Close a modal with its Cancel button; the app hears of it (``view_closed``) only
        when the view asked for ``notify_on_close``."""
        view = self._modal(target)
        member = self.user(user or view["user"])
        self.api.modal_stacks[member.id] = []
        if not view.get("notify_on_close"):
            return None
        request = payloads.view_closed(public_view(view), user_id=member.id, user_name=member.name)
        return await self.deliver(request, member.id, **delivery)

    # ---- delivery --------------------------------------------------------------------------

    async def deliver(
        self,
        request: SlackRequest,
        user: str = "",
        *,
        bad_signature: bool = False,
        age: float = 0,
        via: str | None = None,
    ) -> SlackTurn:
        """Send ``request`` to the app (signed HTTP when served, else Socket Mode) and return
        once it acked and its work after the ack is done."""
        via = via or ("http" if self.events_url else "socket")
        turn = SlackTurn(request, user, via)
        calls, ephemerals, timeline = (
            len(self.api.calls),
            len(self.api.ephemerals),
            len(self.api.timeline),
        )
        before = set(asyncio.all_tasks())
        if via == "http":
            if not self.events_url:
                raise AssertionError("No app is served: await env.serve(bolt_app) first")
            assert self._http is not None
            headers = payloads.signed_headers(
                request, self.signing_secret, age=age, bad_signature=bad_signature
            )
            async with self._http.post(self.events_url, data=request.body, headers=headers) as r:
                turn.status, turn.body = r.status, await r.text()
        else:
            turn.envelope = await self.api.socket.send(request)
            ack = turn.envelope.ack_payload
            turn.status, turn.body = 200, json.dumps(ack) if ack else ""
        self._check_ack(turn)
        await self._settle(before, f"{request.kind} from {user or 'Slack'}")
        turn.calls = self.api.calls[calls:]
        turn.ephemerals = self.api.ephemerals[ephemerals:]
        turn.messages = [m for m in self.api.timeline[timeline:] if m.get("bot_id") == BOT_ID]
        return turn

    def _check_ack(self, turn: SlackTurn) -> None:
        """An ack carrying a message must fit Block Kit's limits like any other message."""
        ack = turn.ack
        faults = blockkit.message_faults(ack) if ack and "blocks" in ack else []
        if faults:
            call = SlackCall("ack", ack or {}, {}, status=turn.status)
            call.response = {"ok": False, "error": "invalid_blocks", "errors": faults}
            self.api.rejected.append(call)

    async def _settle(self, before: set[asyncio.Task[Any]], what: str) -> None:
        """Wait until the tasks the app started for this request are done."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while pending := [t for t in asyncio.all_tasks() if t not in before and _is_work(t)]:
            remaining = deadline - loop.time()
            if remaining <= 0:
                names = ", ".join(sorted({_task_name(t) for t in pending}))
                raise AssertionError(
                    f"The app was still working {self.timeout:g}s after the {what}: {names}"
                )
            await asyncio.wait(pending, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
        await asyncio.sleep(0)

    def _event(self, event: dict[str, Any]) -> SlackRequest:
        number = next(self._events)
        return payloads.event_callback(
            event, event_id=f"Ev{number:08d}", event_time=int(time.time())
        )

    async def _user_message(
        self,
        kind: str,
        text: str,
        user: UserRef | None,
        channel: str,
        thread_ts: str | None,
        delivery: dict[str, Any],
    ) -> SlackTurn:
        member = self.user(user or self.ada)
        ts = self.api.next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": member.id,
            "text": text,
            "ts": ts,
            "team": TEAM_ID,
            "channel": channel,
            "client_msg_id": f"{ts}-{member.id}",
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        self.api.add_message(message)
        event = {**message, "type": kind, "event_ts": ts}
        if channel.startswith("D"):
            event["channel_type"] = "im"
        elif kind == "message":
            event["channel_type"] = "channel"
        return await self.deliver(self._event(event), member.id, **delivery)

    # ---- finding what to click -----------------------------------------------------------

    def _surfaces(self, target: Any) -> list[dict[str, Any]]:
        if isinstance(target, SlackTurn):
            views = [self.api.views.get(v["id"], v) for v in target.views]
            return list(reversed([*target.ephemerals, *target.messages, *views]))
        if isinstance(target, dict):
            if target.get("type") in ("modal", "home"):
                return [self.api.views.get(target.get("id", ""), target)]
            return [target]
        if isinstance(target, (list, tuple)):
            return list(reversed([s for t in target for s in self._surfaces(t)]))
        raise TypeError(f"Cannot look for buttons in {type(target).__name__}")

    def _find_element(
        self, target: Any, wanted: str, *, kinds: tuple[str, ...] | None
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        seen = []
        for surface in self._surfaces(target):
            for block, element in blockkit.iter_elements(surface.get("blocks")):
                if kinds is not None and element.get("type") not in kinds:
                    continue
                label = (element.get("text") or {}).get("text")
                seen.append(f"{element.get('action_id')!r} ({label or element.get('type')})")
                if wanted in (element.get("action_id"), label):
                    return surface, block, element
        raise AssertionError(f"No element {wanted!r} to use; found: {', '.join(seen) or 'none'}")

    async def _act(
        self,
        surface: dict[str, Any],
        action: dict[str, Any],
        user: UserRef | None,
        delivery: dict[str, Any],
        what: str,
    ) -> SlackTurn:
        if surface.get("type") in ("modal", "home"):
            member = self.user(user or surface["user"])
            state = view_state(surface, {}, check_required=False)
            request = payloads.block_actions(
                [action],
                user_id=member.id,
                user_name=member.name,
                container={"type": "view", "view_id": surface["id"]},
                trigger_id=self.api.issue_trigger(member.id),
                view={**public_view(surface), "state": state},
            )
            return await self.deliver(request, member.id, **delivery)
        channel = surface["channel"]
        member = self.user(user or surface.get("recipient") or self.ada)
        ephemeral = "recipient" in surface
        container = {
            "type": "message",
            "message_ts": surface["ts"],
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        target = ResponseTarget(channel, member.id, original=surface)
        request = payloads.block_actions(
            [action],
            user_id=member.id,
            user_name=member.name,
            container=container,
            trigger_id=self.api.issue_trigger(member.id),
            response_url=self.api.issue_response_url(target),
            channel={"id": channel, "name": self.api.channel_names.get(channel, "general")},
            message=None if ephemeral else public_message(surface),
            state={"values": {}},
        )
        return await self.deliver(request, member.id, **delivery)

    def _modal(self, target: Any) -> dict[str, Any]:
        if isinstance(target, SlackUser | str):
            view = self.open_modal(target)
        elif isinstance(target, SlackTurn):
            modals = [v for v in target.views if v["type"] == "modal"]
            view = self.api.views.get(modals[-1]["id"]) if modals else None
        else:
            view = self.api.views.get(target.get("id", "")) if isinstance(target, dict) else None
        if view is None or view["type"] != "modal":
            raise AssertionError(f"No open modal to use in {target!r}")
        return view

    def _apply_response_action(self, turn: SlackTurn, view: dict[str, Any]) -> None:
        """Do what Slack does with a view_submission's ack: keep the modal (errors), replace
        it (update), push one, close them all (clear) or close this one (anything else)."""
        stack = self.api.modal_stacks.setdefault(view["user"], [])
        action, ack = turn.response_action, turn.ack or {}
        if action == "errors":
            return
        if action in ("update", "push"):
            try:
                new = self.api.store_view(
                    ack.get("view"), view["user"], replacing=view if action == "update" else None
                )
            except SlackApiFault as fault:
                call = SlackCall(f"response_action {action}", ack, {}, status=200)
                call.response = fault.body
                self.api.rejected.append(call)
                return
            if action == "push":
                stack.append(new["id"])
            return
        if action == "clear":
            stack.clear()
        elif view["id"] in stack:
            stack.remove(view["id"])


def _is_work(task: asyncio.Task[Any]) -> bool:
    """Is this task the app's work (not a server connection or a Socket Mode loop)?"""
    if task.done():
        return False
    coro = task.get_coro()
    code = getattr(coro, "cr_code", None)
    if code is not None and code.co_filename.startswith(AIOHTTP_DIR):
        return False
    return getattr(coro, "__name__", "") not in SOCKET_LOOPS


def _task_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", None) or task.get_name()


# --------------------------------------------------------------------------------------------
# pytest fixture
# --------------------------------------------------------------------------------------------


@pytest_asyncio.fixture(name="slack_env")
async def slack_env() -> AsyncIterator[SlackEnv]:
    """A started fake Slack; at teardown, fails the test on ERROR logs, unknown methods and
    calls Slack would refuse."""
    async with running(SlackEnv(), "Slack") as env:
        yield env


slack_env_fixture = slack_env  # import this name: same fixture, no ruff F811 in tests


# --------------------------------------------------------------------------------------------
# Subprocess entry point: python -m tests.slack_harness BASE_URL [coachbot args...]
# --------------------------------------------------------------------------------------------


def _main(argv: list[str]) -> int:
    base_url, *args = argv
    point_slack_at(base_url)
    from coachbot.cli import main

    return main(args)


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
