"""Debriefs on Slack: `/coach debrief` opens the form in a modal; submitting it shows the scrubbed
preview in the same modal with Submit, Edit and Discard; Submit stores it with no author and
shows the deletion code in the modal, privately. Trainers pick the digest channel and review.

The raw text travels in the modal's own private_metadata (slack_adapter.debrief_state) so any
process can take the next step. A debrief too long for it stays in this process's draft store
(memory, coachbot.debrief.drafts, with the core's preview rate limit) when one process serves
Slack; when several may (coachbot.app.several_processes), the form refuses it with how much to
shorten, so no step depends on one process's memory. Never logged.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any
from weakref import WeakKeyDictionary

from slack_bolt.async_app import AsyncApp

from coachbot import actions
from coachbot.app import several_processes
from coachbot.debrief.drafts import DraftStore
from coachbot.debrief.preview import Preview, draft_action, preview
from coachbot.debrief.service import FIELDS, DebriefService, Draft
from coachbot.debrief.teammates import Teammates
from coachbot.errors import CoachError
from coachbot.replies import NO_PERMISSION, TRAINERS_REVIEW
from coachbot.views.debrief import (
    DISCARDED,
    NOTHING_TO_REVIEW,
    channel_text,
    debrief_view,
    deleted_text,
    helped_text,
    reviewed_text,
    thanks_text,
)
from coachbot.views.debrief_report import report_view
from slack_adapter import ids
from slack_adapter.blocks import debrief as blocks
from slack_adapter.buttons import Click, on_button
from slack_adapter.commands import COMMAND, CoachRequest, subcommand
from slack_adapter.context import SlackContext
from slack_adapter.debrief_state import ModalState, fingerprint, pack, shorten_by, unpack
from slack_adapter.errors import message_for
from slack_adapter.text import escape

EXPIRED = (
    "That draft has expired (a draft too long to travel with the form lives only in memory, "
    f"for 30 minutes). Start again with `{COMMAND} debrief`."
)
CHANGED = "The scrubbed text changed since you saw it: check it again, then submit."
USAGE = {
    "delete": "debrief delete CODE",
    "channel": "debrief channel HH:MM Zone [review]",
    "": "debrief [write | delete CODE | channel HH:MM Zone [review] | review | report]",
}

# Each Bolt app's flow (a new app is a new process: no drafts), for whoever needs to look.
flows: WeakKeyDictionary[AsyncApp, DebriefFlow] = WeakKeyDictionary()


def too_long(cut: int) -> str:
    """A form field's error: the text does not fit in the modal, and any process may get the
    next step, so nothing is kept in memory."""
    return (
        f"Too long to carry to the next step: shorten your answers by about {cut:,} "
        "characters, then press Preview again."
    )


def thanks(code: str) -> str:
    return thanks_text(f"*{code}*", delete_hint=f"`{COMMAND} debrief delete {code}`")


class DebriefFlow:
    """One app's debrief drafts (memory only) and the names its scrubber removes."""

    def __init__(self, ctx: SlackContext) -> None:
        self.ctx = ctx
        self.drafts = DraftStore(ctx.core.clock)
        self.teammates = Teammates()  # names seen in this process (memory only)
        # another process may get the next step: a draft too long for the modal is refused
        self.shared = several_processes(ctx.settings)

    @property
    def service(self) -> DebriefService:
        return _service(self.ctx)

    def refusal(self, state: ModalState, raw: dict[str, str], topic: str) -> dict[str, str]:
        """The form's field errors (`response_action: "errors"`, the typed text stays): none
        unless several processes serve Slack and the answers do not fit in the modal."""
        cut = shorten_by(state.token, raw, topic) if self.shared else 0
        if not cut:
            return {}
        longest = max(FIELDS, key=lambda key: len(raw.get(key, "")))
        return {longest: too_long(cut)}

    def known_names(self, team: str, user: dict[str, Any]) -> list[str]:
        """Everyone this process saw send a debrief in the workspace, the author included."""
        names = [str(user.get(key) or "") for key in ("username", "name")]
        self.teammates.saw(team, str(user.get("id") or ""), names)
        return self.teammates.names(team)

    # ---- the modal's steps ------------------------------------------------------------------

    async def show_preview(
        self, body: dict[str, Any], token: str, raw: dict[str, str], topic: str
    ) -> dict[str, Any]:
        """Scrub (off the event loop, rate-limited per author) and draw the preview modal."""
        team, author, user = _who(body)
        self.drafts.purge()
        shown = await preview(
            self.service,
            self.drafts,
            token=token,
            author=author,
            guild_id=team,
            raw=raw,
            topic=topic,
            known_names=self.known_names(team, user),
        )
        pending = self.drafts.take(token, author, keep=True)
        seen = fingerprint(pending.draft.fields) if pending and pending.draft else ""
        metadata = pack(ModalState(token, raw, topic, seen))
        if unpack(metadata).in_modal:  # type: ignore[union-attr]
            self.drafts.take(token, author, keep=False)  # the modal carries it: forget it here
        return blocks.preview_view(shown, metadata)

    async def submit(self, body: dict[str, Any], state: ModalState) -> dict[str, Any]:
        """Store what the preview showed; the deletion code goes to the author only."""
        team, author, user = _who(body)
        draft: Draft | None
        if state.raw is not None:
            draft = await self._scrub_again(team, user, state)
            if draft is None:  # not what the author saw: show it again
                view = await self.show_preview(body, state.token, state.raw, state.topic)
                view["blocks"].insert(0, blocks.context(CHANGED))
                return view
        else:
            pending = self.drafts.take(state.token, author, keep=False)
            if pending is None:
                return blocks.notice_view(EXPIRED)
            draft = pending.draft
            if draft is None:
                raise CoachError("Fix the debrief first: press Edit.")
        code = await self.service.submit(draft)
        return blocks.notice_view(thanks(code), "Debrief stored")

    async def _scrub_again(
        self, team: str, user: dict[str, Any], state: ModalState
    ) -> Draft | None:
        assert state.raw is not None
        draft = await asyncio.to_thread(
            self.service.prepare,
            team,
            state.raw,
            topic_hint=state.topic,
            known_names=tuple(self.known_names(team, user)),
        )
        return draft if fingerprint(draft.fields) == state.seen else None

    def restore(self, body: dict[str, Any], state: ModalState) -> dict[str, Any]:
        """Edit: the form again, filled with what the author typed."""
        if state.raw is not None:
            return blocks.form_view(pack(ModalState(state.token)), state.raw, state.topic)
        _, author, _ = _who(body)
        pending = self.drafts.take(state.token, author, keep=True)
        if pending is None:
            return blocks.notice_view(EXPIRED)
        return blocks.form_view(pack(ModalState(state.token)), pending.raw, pending.topic_hint)

    def discard(self, body: dict[str, Any], state: ModalState) -> dict[str, Any]:
        _, author, _ = _who(body)
        self.drafts.take(state.token, author, keep=False)
        return blocks.notice_view(DISCARDED)


def _service(ctx: SlackContext) -> DebriefService:
    return ctx.core.debriefs


def _who(body: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(team key, agent key, the user object) of an interactive payload."""
    user = body.get("user") or {}
    team_id = str(user.get("team_id") or (body.get("team") or {}).get("id") or "")
    return ids.team_key(team_id), ids.agent_key(team_id, str(user.get("id") or "")), user


def _answers(view: dict[str, Any]) -> tuple[dict[str, str], str]:
    values = (view.get("state") or {}).get("values") or {}

    def value(key: str) -> str:
        return str(((values.get(key) or {}).get(key) or {}).get("value") or "")

    return {key: value(key) for key in FIELDS}, value(blocks.TOPIC_INPUT)


# ---- /coach debrief ---------------------------------------------------------------------------


@subcommand("debrief")
async def debrief_command(request: CoachRequest, args: list[str]) -> None:
    word = args[0].lower() if args else "write"
    if word == "write":
        await open_form(request)
    elif word == "delete":
        await delete(request, args[1:])
    elif word == "channel":
        await set_channel(request, args[1:])
    elif word == "review":
        await review(request)
    elif word == "report":
        await report(request)
    else:
        shown = escape(word[:40])
        await request.usage(f"There is no `debrief {shown}`.", USAGE[""])


async def open_form(request: CoachRequest) -> None:
    _service(request.ctx)  # no database: say so before the form, not after it
    state = ModalState(secrets.token_urlsafe(9))
    view = blocks.form_view(pack(state), {}, "")
    await request.client.views_open(trigger_id=request.trigger_id, view=view)


async def delete(request: CoachRequest, args: list[str]) -> None:
    if len(args) != 1:
        await request.usage("Give the deletion code you were shown.", USAGE["delete"])
        return
    try:
        deleted = await _service(request.ctx).delete(args[0])
    except CoachError as problem:
        await request.usage(escape(problem.user_message), USAGE["delete"])
        return
    await request.reply(deleted_text(deleted))


async def set_channel(request: CoachRequest, args: list[str]) -> None:
    if not await request.is_trainer():
        await request.reply(NO_PERMISSION)
        return
    if len(args) not in (2, 3) or (len(args) == 3 and args[2].lower() != "review"):
        problem = "Give the time and the time zone" + (
            f"; `{escape(args[2][:40])}` is not `review`." if len(args) == 3 else "."
        )
        await request.usage(problem, USAGE["channel"])
        return
    if request.in_dm:
        await request.reply("Run this in the channel where the team should read debriefs.")
        return
    review_on = len(args) == 3
    try:
        saved = await _service(request.ctx).set_channel(
            request.team, request.channel, args[0], args[1], review_on
        )
    except CoachError as problem:
        await request.usage(escape(problem.user_message), USAGE["channel"])
        return
    await request.reply(channel_text(saved.local_time, escape(saved.timezone), review_on))


async def review(request: CoachRequest) -> None:
    if not await request.is_trainer():
        await request.reply(NO_PERMISSION)
        return
    pending = await _service(request.ctx).pending_review(request.team)
    if not pending:
        await request.reply(NOTHING_TO_REVIEW)
        return
    first = pending[0]
    shown = debrief_view({k: getattr(first, k) for k in FIELDS}, f"Review ({len(pending)} waiting)")
    await request.reply(shown.title, blocks=blocks.review_blocks(shown, first.id))


async def report(request: CoachRequest) -> None:
    """The team's report, privately; trainers only, as on Discord."""
    if not await request.is_trainer():
        await request.reply(NO_PERMISSION)
        return
    result = await _service(request.ctx).report(request.team)
    shown = report_view(result, request.ctx.core.knowledge.kb)
    await request.reply(escape(shown.title), blocks=blocks.report_blocks(shown))


# ---- listeners ----------------------------------------------------------------------------


def register(bolt: AsyncApp, ctx: SlackContext) -> None:
    """The modal's submissions and the debrief buttons; `/coach debrief` is in the registry."""
    flow = flows[bolt] = DebriefFlow(ctx)

    @bolt.view(blocks.FORM_CALLBACK)
    async def form_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        state = unpack(view.get("private_metadata") or "") or ModalState(secrets.token_urlsafe(9))
        raw, topic = _answers(view)
        errors = flow.refusal(state, raw, topic)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await _answer(ack, lambda: flow.show_preview(body, state.token, raw, topic), None)

    @bolt.view(blocks.PREVIEW_CALLBACK)
    async def preview_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        state = unpack(view.get("private_metadata") or "")
        if state is None:
            await ack(response_action="update", view=blocks.notice_view(EXPIRED))
            return
        await _answer(ack, lambda: flow.submit(body, state), view)

    @on_button(bolt, ctx, actions.DRAFT)
    async def draft_clicked(click: Click) -> None:
        view = click.body.get("view") or {}
        state = unpack(view.get("private_metadata") or "")
        verb = click.match["action"]
        if state is None or state.token != click.match["token"]:
            shown = blocks.notice_view(EXPIRED)
        elif verb == "edit":
            shown = flow.restore(click.body, state)
        elif verb == "discard":
            shown = flow.discard(click.body, state)
        else:
            shown = await flow.submit(click.body, state)
        await click.client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=shown)

    @on_button(bolt, ctx, actions.HELPED)
    async def helped(click: Click) -> None:
        first = await flow.service.helped(click.match["id"], click.agent)
        await click.reply(helped_text(first))

    @on_button(bolt, ctx, actions.REVIEW)
    async def reviewed(click: Click) -> None:
        if not await click.is_trainer():
            await click.reply(TRAINERS_REVIEW)
            return
        approve = click.match["ok"] == "1"
        done = await flow.service.review(click.match["id"], approve)
        await click.respond(text=reviewed_text(approve, done), replace_original=True)


async def _answer(ack: Any, step: Any, shown: dict[str, Any] | None) -> None:
    """Ack a modal submission with the next view. An unexpected error loses nothing: the form
    stays with everything typed in it, the generic line under its first answer; a preview
    says it with Edit and Discard, carrying the same state."""
    try:
        view = await step()
    except Exception as exc:  # the error boundary of a modal step
        text = message_for(exc)
        if shown is None:
            await ack(response_action="errors", errors={FIELDS[0]: text})
            return
        state = unpack(shown.get("private_metadata") or "")
        token = state.token if state else secrets.token_urlsafe(9)
        fix = tuple(draft_action(a, token) for a in ("edit", "discard"))
        metadata = str(shown.get("private_metadata") or "")
        view = blocks.preview_view(Preview(text, None, None, fix), metadata)
    await ack(response_action="update", view=view)
