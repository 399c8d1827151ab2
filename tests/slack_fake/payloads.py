"""What Slack sends an app: slash commands, events, block actions and view submissions, as
payloads, as HTTP bodies (each in Slack's own encoding) and signed with the signing secret.

Signing is slack_sdk's own ``SignatureVerifier.generate_signature`` (v0 HMAC-SHA256 of
``v0:{timestamp}:{body}``), so a request built here passes Bolt's check exactly when a real one
would. The same payloads travel in Socket Mode envelopes (``envelope_type``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

TEAM_ID, TEAM_DOMAIN = "T0COACH", "support-floor"
ENTERPRISE_ID = None
APP_ID = "A0COACHBOT"
BOT_USER_ID, BOT_ID = "U0COACHBOT", "B0COACHBOT"
VERIFICATION_TOKEN = "harness-verification-token"  # the deprecated "token" field Slack still sends
SIGNATURE_MAX_AGE = 60 * 5  # Bolt refuses a timestamp older than this (seconds)

COMMAND, EVENT, INTERACTIVE = "slash_commands", "events_api", "interactive"


@dataclass(frozen=True)
class SlackRequest:
    """One request from Slack: its kind (the Socket Mode envelope type) and its payload."""

    kind: str  # COMMAND, EVENT or INTERACTIVE
    payload: dict[str, Any]

    @property
    def body(self) -> str:
        """The HTTP body as Slack encodes it: commands form-encoded, events JSON, interactive
        payloads as one form field ``payload`` holding JSON."""
        if self.kind == COMMAND:
            return urlencode(self.payload)
        if self.kind == INTERACTIVE:
            return urlencode({"payload": json.dumps(self.payload)})
        return json.dumps(self.payload)

    @property
    def content_type(self) -> str:
        return "application/json" if self.kind == EVENT else "application/x-www-form-urlencoded"

    @property
    def accepts_response_payload(self) -> bool:
        return self.kind != EVENT


def signed_headers(
    request: SlackRequest,
    secret: str,
    *,
    age: float = 0,
    bad_signature: bool = False,
) -> dict[str, str]:
    """Headers Slack would send: ``age`` seconds old, signed with ``secret`` (or, with
    ``bad_signature``, with a signature of another body)."""
    timestamp = str(int(time.time() - age))
    body = request.body + (" tampered" if bad_signature else "")
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": request.content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def _team() -> dict[str, Any]:
    return {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def slash_command(
    command: str,
    text: str,
    *,
    user_id: str,
    user_name: str,
    channel_id: str,
    channel_name: str,
    trigger_id: str,
    response_url: str,
) -> SlackRequest:
    """A slash command exactly as Slack posts it (every value a string)."""
    return SlackRequest(
        COMMAND,
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        },
    )


def event_callback(event: dict[str, Any], *, event_id: str, event_time: int) -> SlackRequest:
    """An Events API delivery wrapping ``event``."""
    return SlackRequest(
        EVENT,
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "context_team_id": TEAM_ID,
            "context_enterprise_id": ENTERPRISE_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": ENTERPRISE_ID,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{event_id}",
        },
    )


def _interactive_user(user_id: str, user_name: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": TEAM_ID}


def block_actions(
    actions: list[dict[str, Any]],
    *,
    user_id: str,
    user_name: str,
    container: dict[str, Any],
    trigger_id: str,
    response_url: str | None = None,
    channel: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    state: dict[str, Any] | None = None,
) -> SlackRequest:
    """A ``block_actions`` payload: clicks in a message (``message``, ``channel`` and a
    ``response_url``; ephemeral messages come without ``message``) or in a view (``view``)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _interactive_user(user_id, user_name),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id,
        "team": _team(),
        "enterprise": ENTERPRISE_ID,
        "is_enterprise_install": False,
        "actions": actions,
    }
    if channel is not None:
        payload["channel"] = channel
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if state is not None:
        payload["state"] = state
    if response_url is not None:
        payload["response_url"] = response_url
    return SlackRequest(INTERACTIVE, payload)


def view_submission(
    view: dict[str, Any], *, user_id: str, user_name: str, trigger_id: str
) -> SlackRequest:
    """A ``view_submission`` payload for ``view`` (which carries its ``state``)."""
    return SlackRequest(
        INTERACTIVE,
        {
            "type": "view_submission",
            "team": _team(),
            "user": _interactive_user(user_id, user_name),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": trigger_id,
            "view": view,
            "response_urls": [],
            "enterprise": ENTERPRISE_ID,
            "is_enterprise_install": False,
        },
    )


def view_closed(view: dict[str, Any], *, user_id: str, user_name: str) -> SlackRequest:
    """A ``view_closed`` payload (sent only for modals opened with ``notify_on_close``)."""
    return SlackRequest(
        INTERACTIVE,
        {
            "type": "view_closed",
            "team": _team(),
            "user": _interactive_user(user_id, user_name),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "view": view,
            "is_cleared": False,
            "is_enterprise_install": False,
        },
    )
