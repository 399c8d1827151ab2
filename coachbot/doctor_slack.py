"""`coachbot doctor` on the Slack settings: tokens of the right kind, one way of connecting,
a port that is a port, who the trainers are. Read from Settings only; no secret is printed.

Slack's token prefixes say what a token is (xoxb- bot, xapp- app-level, xoxp- a person's),
so a token in the wrong variable is named exactly, before `coachbot run` meets a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coachbot.doctor import Check, Status
from coachbot.settings import Settings

KINDS = {"xoxb-": "a bot token", "xapp-": "an app-level token", "xoxp-": "a user token"}
SIGNING_SECRET = re.compile(r"[0-9a-f]{32}")
HANDLE = re.compile(r"[a-z0-9._-]+")
EVENTS_PATH = "/slack/events"  # where HTTP mode listens (slack_adapter.runner)


def configured(settings: Settings) -> bool:
    """Any Slack setting at all: otherwise doctor says nothing about Slack."""
    return bool(
        settings.slack_bot_token
        or settings.slack_app_token
        or settings.slack_signing_secret
        or settings.slack_trainer_group
        or settings.slack_port_typed
    )


def _kind(token: str) -> str:
    return next((kind for prefix, kind in KINDS.items() if token.startswith(prefix)), "")


def check_bot_token(settings: Settings) -> Check | None:
    if not configured(settings):
        return None
    token = settings.slack_bot_token
    if not token:
        return Check(
            "Slack bot token",
            Status.FAIL,
            "SLACK_BOT_TOKEN is not set, but other Slack settings are. Copy the Bot User OAuth "
            "Token (xoxb-…) from your Slack app: OAuth & Permissions.",
        )
    if not token.startswith("xoxb-"):
        found = _kind(token) or "not a Slack token"
        return Check(
            "Slack bot token",
            Status.FAIL,
            f"SLACK_BOT_TOKEN is set, but it is {found}, not a bot token (xoxb-…). Copy the Bot "
            "User OAuth Token from your Slack app: OAuth & Permissions.",
        )
    return Check("Slack bot token", Status.OK, "set (not shown)")


def check_mode(settings: Settings) -> Check | None:
    """Exactly one way in: Socket Mode (SLACK_APP_TOKEN) or HTTP (SLACK_SIGNING_SECRET)."""
    if not configured(settings):
        return None
    app_token, secret = settings.slack_app_token, settings.slack_signing_secret
    if app_token and not app_token.startswith("xapp-"):
        found = _kind(app_token) or "not a Slack token"
        return Check(
            "Slack connection",
            Status.FAIL,
            f"SLACK_APP_TOKEN is set, but it is {found}, not an app-level token (xapp-…). Make "
            "one in your Slack app: Basic Information, App-Level Tokens, scope "
            "connections:write.",
        )
    if app_token and secret:
        return Check(
            "Slack connection",
            Status.WARN,
            "both SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are set: CoachBot uses Socket Mode "
            "and ignores the signing secret. Keep only the one you mean.",
        )
    if app_token:
        return Check("Slack connection", Status.OK, "Socket Mode (app token set, not shown)")
    if not secret:
        return Check(
            "Slack connection",
            Status.FAIL,
            "neither SLACK_APP_TOKEN (xapp-…, Socket Mode, no public address needed) nor "
            "SLACK_SIGNING_SECRET (HTTP mode) is set: set one of them.",
        )
    if not SIGNING_SECRET.fullmatch(secret):
        return Check(
            "Slack connection",
            Status.WARN,
            "HTTP mode, but SLACK_SIGNING_SECRET does not look like a signing secret (32 "
            "letters and digits). Copy it again from your Slack app: Basic Information, App "
            "Credentials.",
        )
    return Check(
        "Slack connection",
        Status.OK,
        f"HTTP mode (signing secret set, not shown): Slack's Request URL is "
        f"https://<your address>:{settings.slack_port}{EVENTS_PATH}",
    )


def check_port(settings: Settings) -> Check | None:
    typed = settings.slack_port_typed
    if typed and not (typed.isdigit() and 0 < int(typed) < 65536):
        shown = typed if len(typed) <= 12 else typed[:12] + "…"
        return Check(
            "Slack port",
            Status.FAIL,
            f"COACHBOT_SLACK_PORT={shown} is not a port number (1 to 65535); HTTP mode would "
            f"listen on {settings.slack_port} instead.",
        )
    return None


def check_trainers(settings: Settings) -> Check | None:
    if not settings.slack_bot_token:
        return None
    group = settings.slack_trainer_group
    if not group:
        return Check(
            "Slack trainers",
            Status.OK,
            "workspace admins and owners only; to add others, set "
            "COACHBOT_SLACK_TRAINER_GROUP to the handle of a Slack user group.",
        )
    if not HANDLE.fullmatch(group.casefold()):
        return Check(
            "Slack trainers",
            Status.WARN,
            "COACHBOT_SLACK_TRAINER_GROUP is not a user-group handle (one word, such as "
            "coach-trainers, without @): only workspace admins and owners are trainers.",
        )
    return Check(
        "Slack trainers",
        Status.OK,
        f"workspace admins and owners, and the members of @{group}",
    )


CHECKS: list[Callable[[Settings], Check | None]] = [
    check_bot_token,
    check_mode,
    check_port,
    check_trainers,
]
