"""slack-manifest.yml asks for exactly what the adapter uses: a scope for every Web API method
the code calls and every event it listens to, and none it does not need.

The methods are read from the adapter's source, so a new `client.<method>(...)` call fails
here until its scope is in METHOD_SCOPES and in the manifest.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from slack_adapter.commands import COMMAND

REPO = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((REPO / "slack-manifest.yml").read_text(encoding="utf-8"))
SOURCE = {p: p.read_text(encoding="utf-8") for p in (REPO / "slack_adapter").rglob("*.py")}

# Slack's documented scope for each method (https://api.slack.com/methods); views.* need none.
METHOD_SCOPES: dict[str, set[str]] = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "conversations_open": {"im:write"},  # a DM with one person
    "users_info": {"users:read"},
    "usergroups_list": {"usergroups:read"},
    "usergroups_users_list": {"usergroups:read"},
    "files_upload_v2": {"files:write"},  # getUploadURLExternal + completeUploadExternal
    "views_open": set(),
    "views_update": set(),
    "views_publish": set(),
    "auth_test": set(),
}
EVENT_SCOPES = {"app_mention": {"app_mentions:read"}, "message.im": {"im:history"}}
# what no single call shows: posting quizzes and digests in channels CoachBot is not in
EXTRA_SCOPES = {"chat:write.public", "commands"}

# `client.chat_postMessage(`, `self.client.views_open(`, text.private's `target.…(`
CALL = re.compile(r"(?:client|target)\.([a-z]+_[A-Za-z0-9_]+)\(")
EVENT = re.compile(r"@bolt\.event\(\"([a-z_.]+)\"\)")


def called_methods() -> set[str]:
    return {m for text in SOURCE.values() for m in CALL.findall(text)}


def listened_events() -> set[str]:
    found = {e for text in SOURCE.values() for e in EVENT.findall(text)}
    # a `message` listener answers DMs only (channel_type "im"): Slack's message.im
    return {"message.im" if e == "message" else e for e in found}


def bot_scopes() -> set[str]:
    return {str(scope) for scope in MANIFEST["oauth_config"]["scopes"]["bot"]}


def test_the_scan_finds_the_calls_it_should():
    assert {"chat_postMessage", "conversations_open", "files_upload_v2"} <= called_methods()
    assert {"app_mention", "message.im", "app_home_opened"} <= listened_events()


def test_every_web_api_method_the_adapter_calls_has_its_scope():
    unknown = called_methods() - METHOD_SCOPES.keys()
    assert unknown == set(), f"add the scope these need to METHOD_SCOPES: {sorted(unknown)}"
    needed = set().union(*(METHOD_SCOPES[m] for m in called_methods()))
    assert needed - bot_scopes() == set()


def test_every_event_is_subscribed_with_its_scope():
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert events == listened_events()
    needed = set().union(*(EVENT_SCOPES.get(e, set()) for e in events))
    assert needed - bot_scopes() == set()


def test_no_scope_is_asked_for_that_nothing_uses():
    used = set().union(*(METHOD_SCOPES[m] for m in called_methods()))
    used |= set().union(*(EVENT_SCOPES.get(e, set()) for e in listened_events()))
    assert bot_scopes() - used - EXTRA_SCOPES == set()


def test_the_command_buttons_and_modals_are_switched_on():
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["should_escape"] is False
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
