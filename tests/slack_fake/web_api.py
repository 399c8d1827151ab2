"""A loopback Slack Web API that records every call and answers as Slack does.

Served under ``/api/<method>`` for an ``AsyncWebClient(base_url=...)``, together with the
response URLs Slack hands out (``/response_url/<key>``, what Bolt's ``respond()`` posts to), the
upload URLs of ``files_upload_v2`` (``/upload/v1/<file_id>``) and the Socket Mode websocket
(``/link/``). Answers carry the fields real Slack returns; payloads over Block Kit's limits are
refused with Slack's error shape; ``rate_limit`` and ``fail`` make the next calls of a method
answer 429 (with Retry-After) or an error.

Calls the fake refused because the app got something wrong (Block Kit limits, a missing
argument, a bad token, an unknown message, trigger or method) are kept in ``rejected`` /
``unexpected``: the harness fixture fails a test that leaves any behind.
"""

from __future__ import annotations

import contextlib
import copy
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from tests.slack_fake import blockkit
from tests.slack_fake.payloads import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from tests.slack_fake.socket_mode import FakeSocketMode

JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")
RESPONSE_URL_USES = 5  # Slack accepts five responses per response_url (within 30 minutes)
REQUIRED = {
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
    "chat.delete": ("channel", "ts"),
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
    "users.info": ("user",),
    "usergroups.users.list": ("usergroup",),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
}


class SlackApiFault(Exception):
    """An ``{"ok": false}`` answer; ``app_fault`` marks it a mistake of the app's."""

    def __init__(
        self, error: str, *, messages: Sequence[str] = (), app_fault: bool = True, **extra: Any
    ) -> None:
        super().__init__(error)
        self.body: dict[str, Any] = {"ok": False, "error": error, **extra}
        if messages:
            self.body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}
        self.app_fault = app_fault


# --------------------------------------------------------------------------------------------
# The world and the records
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class SlackUser:
    """A workspace member as ``users.info`` describes them."""

    id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    tz: str = "Europe/Berlin"

    def to_json(self) -> dict[str, Any]:
        offset = datetime.now(ZoneInfo(self.tz)).utcoffset()
        real_name = self.name.title()
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": self.name,
                "display_name_normalized": self.name,
                "team": TEAM_ID,
                "image_48": f"https://avatars.example/{self.id}_48.png",
            },
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
            "is_email_confirmed": True,
        }


@dataclass(eq=False)
class SlackUsergroup:
    """A user group (``@coach-trainers``) with its member ids."""

    id: str
    handle: str
    name: str
    users: list[str] = field(default_factory=list)

    def to_json(self, include_users: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": TEAM_ID,
            "is_usergroup": True,
            "is_subteam": True,
            "name": self.name,
            "description": "",
            "handle": self.handle,
            "is_external": False,
            "date_create": 1_700_000_000,
            "date_update": 1_700_000_000,
            "date_delete": 0,
            "auto_type": None,
            "created_by": "U0OLIVE",
            "updated_by": "U0OLIVE",
            "deleted_by": None,
            "prefs": {"channels": [], "groups": []},
            "user_count": len(self.users),
        }
        if include_users:
            data["users"] = list(self.users)
        return data


@dataclass(eq=False)
class SlackCall:
    """One request the app made to the fake: the Web API method (or ``response_url`` /
    ``upload``), its arguments (query, form and JSON merged; JSON strings parsed), its headers
    and token, and what the fake answered."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    token: str | None = None
    status: int = 200
    response: Any = None
    peer: str = ""  # the app's end of the connection it came on (host and port)

    @property
    def ok(self) -> bool:
        body = self.response
        return self.status == 200 and not (isinstance(body, dict) and body.get("ok") is False)

    @property
    def error(self) -> str | None:
        body = self.response
        if isinstance(body, dict) and body.get("ok") is False:
            return body.get("error")
        return None if self.ok else str(body)

    def __str__(self) -> str:
        return f"{self.method} -> {self.status} {self.error or 'ok'}"


@dataclass(eq=False)
class ResponseTarget:
    """What a response_url answers into: the conversation, the user, the clicked message."""

    channel: str
    user: str
    original: dict[str, Any] | None = None
    uses: int = 0


@dataclass(eq=False)
class SlackFile:
    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


# --------------------------------------------------------------------------------------------
# The Web API
# --------------------------------------------------------------------------------------------


class FakeSlackWebApi:
    """State, routes and handlers of the loopback Slack. See the module docstring."""

    def __init__(self, *, bot_token: str, app_token: str) -> None:
        self.bot_token, self.app_token = bot_token, app_token
        self.base_url = ""
        self.users: dict[str, SlackUser] = {}
        self.usergroups: list[SlackUsergroup] = []
        self.channel_names: dict[str, str] = {}
        # Records
        self.calls: list[SlackCall] = []
        self.rejected: list[SlackCall] = []
        self.unexpected: list[str] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> history, oldest first
        self.timeline: list[dict[str, Any]] = []  # every channel message, oldest first
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, str] = {}  # user -> view id
        self.modal_stacks: dict[str, list[str]] = {}  # user -> open modal ids, root first
        self.files: dict[str, SlackFile] = {}
        self.triggers: dict[str, tuple[str, bool]] = {}  # trigger_id -> (user, used)
        self.response_urls: dict[str, ResponseTarget] = {}
        self.socket = FakeSocketMode()
        self._injected: dict[str, list[SlackApiFault | int]] = {}
        self._ids = count(1)
        self._ts_base = int(time.time())
        self._handlers: dict[str, Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]] = {
            "api.test": self._api_test,
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "usergroups.list": self._usergroups_list,
            "usergroups.users.list": self._usergroup_users,
            "conversations.open": self._conversations_open,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    # ---- set-up and injection --------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/link/", self.socket.handle)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response_url/{key}", self._response_url)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        app.router.add_route("*", "/{tail:.*}", self._unknown)

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 0) -> None:
        """The next ``times`` calls of ``method`` answer 429 with ``Retry-After``."""
        self._injected.setdefault(method, []).extend([retry_after] * times)

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}``."""
        fault = SlackApiFault(error, app_fault=False)
        self._injected.setdefault(method, []).extend([fault] * times)

    def issue_trigger(self, user: str) -> str:
        trigger = f"{next(self._ids)}.{TEAM_ID}.{uuid.uuid4().hex[:16]}"
        self.triggers[trigger] = (user, False)
        return trigger

    def issue_response_url(self, target: ResponseTarget) -> str:
        key = uuid.uuid4().hex
        self.response_urls[key] = target
        return f"{self.base_url}/response_url/{key}"

    def next_ts(self) -> str:
        return f"{self._ts_base}.{next(self._ids):06d}"

    def dm_channel(self, user: str) -> str:
        channel = "D" + user.removeprefix("U").removeprefix("W")
        self.channel_names.setdefault(channel, "directmessage")
        return channel

    # ---- HTTP plumbing ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = await self._record(request, method)
        status, headers = 200, {}
        try:
            injected = self._injected.get(method)
            if injected:
                fault = injected.pop(0)
                if isinstance(fault, int):
                    status, headers = 429, {"Retry-After": str(fault)}
                    raise SlackApiFault("ratelimited", app_fault=False)
                raise fault
            handler = self._handlers.get(method)
            if handler is None:
                self.unexpected.append(f"{request.method} /api/{method}")
                raise SlackApiFault("unknown_method", app_fault=False)
            self._check_token(method, call.token)
            missing = [
                name for name in REQUIRED.get(method, ()) if call.args.get(name) in (None, "")
            ]
            if missing:
                raise SlackApiFault(
                    "invalid_arguments", messages=[f"missing required field: {n}" for n in missing]
                )
            body = {"ok": True, **await handler(call.args)}
        except SlackApiFault as fault:
            body = fault.body
            if fault.app_fault:
                self.rejected.append(call)
        call.status, call.response = status, body
        return web.json_response(body, status=status, headers={**headers, "X-Slack-Req-Id": "1"})

    async def _record(self, request: web.Request, method: str) -> SlackCall:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json() or {})
        elif request.can_read_body:
            args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        for name in JSON_FIELDS:
            if isinstance(args.get(name), str):
                with contextlib.suppress(json.JSONDecodeError):  # refused later, as by Slack
                    args[name] = json.loads(args[name])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        call = SlackCall(method, args, dict(request.headers), token)
        self.calls.append(call)
        return call

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise SlackApiFault("not_authed")
        wanted = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != wanted:
            kind_mismatch = token in (self.app_token, self.bot_token)
            raise SlackApiFault("not_allowed_token_type" if kind_mismatch else "invalid_auth")

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path}")
        return web.Response(status=404, text="not found")

    # ---- auth and Socket Mode --------------------------------------------------------------

    async def _api_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"args": {k: v for k, v in args.items() if k != "token"}}

    async def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Support Floor",
            "user": "coachbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "is_enterprise_install": False,
        }

    async def _connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        ws_base = self.base_url.replace("http://", "ws://", 1)
        return {"url": f"{ws_base}/link/?ticket={self.socket.new_ticket()}&app_id={APP_ID}"}

    # ---- messages --------------------------------------------------------------------------

    def _check_message(self, args: dict[str, Any], *, need_content: bool = True) -> None:
        if isinstance(args.get("blocks"), str):
            raise SlackApiFault("invalid_blocks_format")
        faults = blockkit.message_faults(args)
        if faults:
            raise SlackApiFault("invalid_blocks", messages=faults, errors=faults)
        text = args.get("text")
        if isinstance(text, str) and len(text) > blockkit.MESSAGE_TEXT:
            raise SlackApiFault("msg_too_long")
        if need_content and not (text or args.get("blocks") or args.get("attachments")):
            raise SlackApiFault("no_text")

    def _channel(self, channel: str) -> str:
        if channel.startswith(("U", "W")):  # posting to a user id lands in the app's DM
            return self.dm_channel(channel)
        if not channel.startswith(("C", "D", "G")):
            raise SlackApiFault("channel_not_found")
        return channel

    def _message(self, args: dict[str, Any], channel: str, ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": args.get("text") or "",
            "ts": ts,
            "channel": channel,
        }
        for name in ("blocks", "attachments", "metadata", "thread_ts"):
            if args.get(name) is not None:
                message[name] = args[name]
        if "blocks" in message:
            message["blocks"] = with_ids(message["blocks"])
        return message

    def add_message(self, message: dict[str, Any]) -> dict[str, Any]:
        self.messages.setdefault(message["channel"], []).append(message)
        self.timeline.append(message)
        return message

    def find_message(self, channel: str, ts: str) -> dict[str, Any]:
        for message in self.messages.get(channel, []):
            if message["ts"] == ts and not message.get("deleted"):
                return message
        raise SlackApiFault("message_not_found")

    async def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        self._check_message(args)
        channel = self._channel(str(args["channel"]))
        message = self.add_message(self._message(args, channel, self.next_ts()))
        answer = {"channel": channel, "ts": message["ts"], "message": _public(message)}
        if args.get("blocks") and not args.get("text"):
            answer["warning"] = "missing_text_or_fallback_or_attachments"
            answer["response_metadata"] = {"warnings": [answer["warning"]]}
        return answer

    async def _post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        self._check_message(args)
        channel = self._channel(str(args["channel"]))
        message = self._message(args, channel, self.next_ts())
        message.update(recipient=str(args["user"]), via="chat.postEphemeral")
        self.ephemerals.append(message)
        return {"message_ts": message["ts"]}

    async def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        self._check_message(args, need_content=False)
        message = self.find_message(self._channel(str(args["channel"])), str(args["ts"]))
        for name in ("text", "blocks", "attachments", "metadata"):
            if name in args:
                message[name] = with_ids(args[name]) if name == "blocks" else args[name]
        message["edited"] = {"user": BOT_USER_ID, "ts": self.next_ts()}
        return {
            "channel": message["channel"],
            "ts": message["ts"],
            "text": message["text"],
            "message": _public(message),
        }

    async def _delete(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self.find_message(self._channel(str(args["channel"])), str(args["ts"]))
        message["deleted"] = True
        return {"channel": message["channel"], "ts": message["ts"]}

    # ---- views -----------------------------------------------------------------------------

    def _take_trigger(self, trigger_id: str) -> str:
        if trigger_id not in self.triggers:
            raise SlackApiFault("invalid_trigger_id")
        user, used = self.triggers[trigger_id]
        if used:
            raise SlackApiFault("exchanged_trigger_id")
        self.triggers[trigger_id] = (user, True)
        return user

    def store_view(self, view: Any, user: str, *, replacing: dict | None = None) -> dict[str, Any]:
        """Check ``view`` against the limits and store it as Slack returns it."""
        faults = blockkit.view_faults(view)
        if faults:
            raise SlackApiFault("invalid_arguments", messages=faults)
        view_id = replacing["id"] if replacing else f"V{next(self._ids):08d}"
        stored = {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view["type"],
            "blocks": with_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close")),
            "notify_on_close": bool(view.get("notify_on_close")),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": replacing["root_view_id"] if replacing else view_id,
            "app_id": APP_ID,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
            "user": user,  # not in Slack's answer: who sees it (kept for the harness)
        }
        self.views[view_id] = stored
        return stored

    async def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._take_trigger(str(args["trigger_id"]))
        view = self.store_view(args["view"], user)
        self.modal_stacks[user] = [view["id"]]
        return {"view": _public(view)}

    async def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._take_trigger(str(args["trigger_id"]))
        stack = self.modal_stacks.get(user) or []
        if not stack:
            raise SlackApiFault("not_found")
        if len(stack) >= 3:
            raise SlackApiFault("push_limit_reached")
        view = self.store_view(args["view"], user)
        view["root_view_id"], view["previous_view_id"] = stack[0], stack[-1]
        stack.append(view["id"])
        return {"view": _public(view)}

    async def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        old = self.views.get(str(args.get("view_id")))
        if old is None and args.get("external_id"):
            matches = [v for v in self.views.values() if v["external_id"] == args["external_id"]]
            old = matches[-1] if matches else None
        if old is None:
            raise SlackApiFault("not_found")
        if args.get("hash") and args["hash"] != old["hash"]:
            raise SlackApiFault("hash_conflict", app_fault=False)
        return {"view": _public(self.store_view(args["view"], old["user"], replacing=old))}

    async def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args["user_id"])
        if not isinstance(args["view"], dict) or args["view"].get("type") != "home":
            raise SlackApiFault("invalid_arguments", messages=["must be a home view"])
        old = self.views.get(self.home_views.get(user, ""))
        if old is not None and args.get("hash") and args["hash"] != old["hash"]:
            raise SlackApiFault("hash_conflict", app_fault=False)
        view = self.store_view(args["view"], user, replacing=old)
        self.home_views[user] = view["id"]
        return {"view": _public(view)}

    # ---- people ----------------------------------------------------------------------------

    def user(self, user_id: str) -> SlackUser:
        """The member ``user_id``, created as a plain member on first mention."""
        if user_id not in self.users:
            self.users[user_id] = SlackUser(user_id, user_id.lower())
        return self.users[user_id]

    async def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args["user"]))
        if user is None:
            raise SlackApiFault("user_not_found", app_fault=False)
        return {"user": user.to_json()}

    async def _usergroups_list(self, args: dict[str, Any]) -> dict[str, Any]:
        include = str(args.get("include_users", "")).lower() in ("1", "true")
        return {"usergroups": [g.to_json(include) for g in self.usergroups]}

    async def _usergroup_users(self, args: dict[str, Any]) -> dict[str, Any]:
        for group in self.usergroups:
            if group.id == args["usergroup"]:
                return {"users": list(group.users)}
        raise SlackApiFault("no_such_subteam")

    async def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if len(users) != 1:
            raise SlackApiFault("invalid_arguments", messages=["this fake opens 1:1 DMs only"])
        channel = self.dm_channel(users[0])
        return {"no_op": True, "already_open": True, "channel": {"id": channel}}

    # ---- files -----------------------------------------------------------------------------

    async def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):08d}"
        length = int(args["length"])
        self.files[file_id] = SlackFile(file_id, str(args["filename"]), length, args.get("alt_txt"))
        return {"upload_url": f"{self.base_url}/upload/v1/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        content = await request.read()
        call = SlackCall(
            "upload", {"file_id": file_id, "length": len(content)}, dict(request.headers)
        )
        self.calls.append(call)
        upload = self.files.get(file_id)
        if upload is None:
            call.status, call.response = 404, "file_not_found"
            self.rejected.append(call)
            return web.Response(status=404, text=call.response)
        upload.content = content
        call.response = f"OK - {len(content)}"
        return web.Response(text=call.response)

    async def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(args["files"], list):
            raise SlackApiFault("invalid_arguments", messages=["files must be a JSON array"])
        channel = args.get("channel_id") or (str(args.get("channels") or "").split(",")[0] or None)
        shared = []
        for item in args["files"]:
            upload = self.files.get(str(item.get("id")))
            if upload is None or upload.content is None:
                raise SlackApiFault("file_not_found")
            upload.title = item.get("title") or upload.filename
            upload.channel = self._channel(str(channel)) if channel else None
            upload.initial_comment, upload.thread_ts = (
                args.get("initial_comment"),
                args.get("thread_ts"),
            )
            shared.append(
                {
                    "id": upload.id,
                    "created": self._ts_base,
                    "timestamp": self._ts_base,
                    "name": upload.filename,
                    "title": upload.title,
                    "mimetype": "",
                    "filetype": upload.filename.rsplit(".", 1)[-1],
                    "user": BOT_USER_ID,
                    "size": len(upload.content),
                    "is_public": bool(upload.channel and upload.channel.startswith("C")),
                    "url_private": f"https://files.slack.com/files-pri/{TEAM_ID}-{upload.id}/x",
                }
            )
        return {"files": shared}

    # ---- response URLs ---------------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        try:
            args = await request.json()
        except json.JSONDecodeError:
            args = {}
        call = SlackCall("response_url", args, dict(request.headers), peer=_peer(request))
        self.calls.append(call)
        target = self.response_urls.get(request.match_info["key"])
        error = None
        if target is None:
            error = "expired_url"
        elif target.uses >= RESPONSE_URL_USES:
            error = "used_url"
        else:
            try:
                self._check_message(args, need_content=not args.get("delete_original"))
            except SlackApiFault as fault:
                error = fault.body["error"]
        if error is not None:
            call.status, call.response = 404 if "url" in error else 400, error
            self.rejected.append(call)
            return web.Response(status=call.status, text=error)
        assert target is not None
        target.uses += 1
        self._respond(args, target)
        call.response = {"ok": True}
        return web.json_response(call.response)

    def _respond(self, args: dict[str, Any], target: ResponseTarget) -> None:
        """Apply a response_url POST: delete or replace the original, or add a message."""
        original = target.original
        if original is not None and (args.get("delete_original") or args.get("replace_original")):
            if args.get("delete_original"):
                original["deleted"] = True
            else:  # the whole message is replaced, as Slack does
                original["text"] = args.get("text") or ""
                for name in ("blocks", "attachments"):
                    original.pop(name, None)
                    if args.get(name) is not None:
                        original[name] = args[name]
                if "blocks" in original:
                    original["blocks"] = with_ids(original["blocks"])
                original["replaced"] = original.get("replaced", 0) + 1
            return
        message = self._message(args, target.channel, self.next_ts())
        if args.get("response_type") == "in_channel":
            self.add_message(message)
        else:
            message.update(recipient=target.user, via="response_url")
            self.ephemerals.append(message)


def with_ids(blocks: Any) -> Any:
    """A copy of ``blocks`` with the ids Slack makes up for blocks and interactive elements
    that have none (random, so an app cannot rely on them)."""
    blocks = copy.deepcopy(blocks)
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict):
            block.setdefault("block_id", uuid.uuid4().hex[:5])
    for _, element in blockkit.iter_elements(blocks):
        if element.get("type") not in ("image", "plain_text", "mrkdwn"):
            element.setdefault("action_id", uuid.uuid4().hex[:5])
    return blocks


def _public(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored message or view without the harness's own bookkeeping keys."""
    hidden = ("channel", "user", "recipient", "via", "deleted")
    keep_user = stored.get("type") == "message"
    return {k: v for k, v in stored.items() if k not in hidden or (k == "user" and keep_user)}


def _peer(request: web.Request) -> str:
    """Where a request came from, port included: two requests with the same peer came on one
    connection (kept alive)."""
    transport = request.transport
    return str(transport.get_extra_info("peername")) if transport is not None else ""
