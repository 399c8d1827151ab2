"""Slack's Socket Mode side: the websocket ``apps.connections.open`` points to.

On connect it says ``hello`` as Slack does; ``send`` wraps a request in an envelope
(``slash_commands``, ``events_api`` or ``interactive``) and returns the app's ack, which every
envelope needs within three seconds. Every ack is kept in ``acks``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.slack_fake.payloads import APP_ID, SlackRequest

ACK_SECONDS = 3.0  # Slack retries an envelope that is not acked in time


@dataclass(eq=False)
class Envelope:
    """One envelope sent over the socket and the ack the app sent back (None: not yet)."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    ack: dict[str, Any] | None = None
    retry_attempt: int = 0

    @property
    def ack_payload(self) -> dict[str, Any] | None:
        """What the app put in its ack (a command's reply, a view_submission's
        response_action), or None for a bare ack."""
        return None if self.ack is None else self.ack.get("payload")


@dataclass(eq=False)
class SocketSession:
    ws: web.WebSocketResponse
    ticket: str
    waiting: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    received: list[Any] = field(default_factory=list)  # anything else the app sent


class FakeSocketMode:
    """The websocket endpoint plus the envelopes sent through it."""

    def __init__(self) -> None:
        self.sessions: list[SocketSession] = []
        self.envelopes: list[Envelope] = []
        self.tickets: list[str] = []
        self._connected = asyncio.Event()

    @property
    def acks(self) -> list[dict[str, Any]]:
        return [e.ack for e in self.envelopes if e.ack is not None]

    @property
    def session(self) -> SocketSession | None:
        """The newest open session (Slack sends to any; the fake sends to the newest)."""
        live = [s for s in self.sessions if not s.ws.closed]
        return live[-1] if live else None

    def new_ticket(self) -> str:
        ticket = uuid.uuid4().hex
        self.tickets.append(ticket)
        return ticket

    async def wait_connected(self, timeout: float) -> SocketSession:
        """The open session, once an app has connected (fails after ``timeout`` seconds)."""
        try:
            async with asyncio.timeout(timeout):
                while (session := self.session) is None:
                    self._connected.clear()
                    await self._connected.wait()
        except TimeoutError:
            raise AssertionError(
                f"No app connected to the fake Socket Mode within {timeout:g}s "
                f"(apps.connections.open was called {len(self.tickets)} time(s))"
            ) from None
        return session

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = SocketSession(ws, ticket)
        self.sessions.append(session)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len([s for s in self.sessions if not s.ws.closed]),
                "debug_info": {"host": "applink-harness", "approximate_connection_time": 18060},
                "connection_info": {"app_id": APP_ID},
            }
        )
        self._connected.set()
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            waiter = session.waiting.pop(data.get("envelope_id", ""), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(data)
            else:
                session.received.append(data)
        for waiter in session.waiting.values():
            if not waiter.done():
                waiter.set_exception(AssertionError("the app closed the socket before acking"))
        return ws

    async def send(self, request: SlackRequest, *, timeout: float = ACK_SECONDS) -> Envelope:
        """Send ``request`` in an envelope and wait for the ack; an ack later than ``timeout``
        fails as Slack would have given up (and retried)."""
        session = self.session
        if session is None:
            raise AssertionError("No app is connected to the fake Socket Mode")
        envelope = Envelope(uuid.uuid4().hex, request.kind, request.payload)
        self.envelopes.append(envelope)
        waiter = asyncio.get_running_loop().create_future()
        session.waiting[envelope.envelope_id] = waiter
        message: dict[str, Any] = {
            "envelope_id": envelope.envelope_id,
            "payload": request.payload,
            "type": request.kind,
            "accepts_response_payload": request.accepts_response_payload,
        }
        if request.kind == "events_api":
            message["retry_attempt"], message["retry_reason"] = 0, ""
        await session.ws.send_str(json.dumps(message))
        try:
            envelope.ack = await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            session.waiting.pop(envelope.envelope_id, None)
            raise AssertionError(
                f"The app did not ack the {request.kind} envelope within {timeout:g}s"
            ) from None
        return envelope

    async def close(self) -> None:
        for session in self.sessions:
            await session.ws.close()
