"""An agent debriefs a tough call on Slack: the form in a modal, the scrubbed preview in the same
modal, an anonymous submit, the team's digest with "This helped me"."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import string
import threading
from dataclasses import replace
from typing import Any

import pytest

from coachbot import logs
from coachbot.views.debrief import DigestEntry, DigestPage, debrief_view, helped_action
from slack_adapter import quiz as slack_quiz
from slack_adapter.app import create_slack_app
from slack_adapter.blocks.debrief import DIGEST_PAGE_SIZE, digest_message
from slack_adapter.debrief import DebriefFlow, flows
from slack_adapter.debrief_state import ModalState, shorten_by, unpack
from slack_adapter.poster import SlackPoster
from tests.cogs.test_debrief import RAW_SECRETS
from tests.cogs.test_debrief import ROUGH_CALL as DISCORD_CALL
from tests.slack_harness import (
    CHANNEL,
    TEAM_ID,
    SlackEnv,
    blockkit,
    buttons,
    message_text,
    pings,
)

ROUGH_CALL = {k: v for k, v in DISCORD_CALL.items() if k != "topic"}  # the same call
CODE = re.compile(r"\*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\*")


async def _rows(app) -> list[dict[str, Any]]:
    columns = ("id", "guild_id", "status", "what_happened")
    rows = await app.database.fetch(f"SELECT {', '.join(columns)} FROM debriefs")
    return [dict(zip(columns, row, strict=True)) for row in rows]


async def _preview(env: SlackEnv, user=None, **changes: str) -> dict[str, Any]:
    await env.command("/coach", "debrief", user=user)
    await env.submit(user or env.ada, {**ROUGH_CALL, **changes})
    modal = env.open_modal(user or env.ada)
    assert modal is not None
    return modal


async def _debrief(env: SlackEnv, user=None, **changes: str) -> str:
    preview = await _preview(env, user, **changes)
    await env.submit(preview)
    done = env.open_modal(user or env.ada)
    return CODE.search(message_text(done)).group(1)


async def test_the_preview_shows_the_scrubbed_text_in_the_modal_and_submit_stores_it(
    env: SlackEnv, app
):
    opened = await env.command("/coach", "debrief")
    [form] = opened.views
    assert form["type"] == "modal" and message_text(form).startswith("Debrief a tough call")

    preview_turn = await env.submit(form, ROUGH_CALL)

    assert preview_turn.response_action == "update"
    preview = env.open_modal(env.ada)
    shown = message_text(preview)
    assert "Preview: this is what the team will see" in shown
    assert "[email]" in shown and "[name]" in shown and "£45" in shown and "Fibre 500" in shown
    assert not any(secret in json.dumps(preview["blocks"]) for secret in RAW_SECRETS)
    assert preview["submit"]["text"] == "Submit anonymously"
    assert [b["text"]["text"] for b in buttons(preview)] == ["Edit", "Discard"]
    assert await _rows(app) == []  # nothing is stored before Submit

    done = await env.submit(preview)

    assert done.response_action == "update"
    thanks = message_text(env.open_modal(env.ada))
    code = CODE.search(thanks).group(1)
    assert "no name on it" in thanks and f"/coach debrief delete {code}" in thanks
    [row] = await _rows(app)
    assert row["guild_id"] == f"slack:{TEAM_ID}" and "[name]" in row["what_happened"]
    assert env.calls_to("chat.postMessage") == []  # the code went nowhere but the modal


async def test_edit_restores_the_form_from_the_modal_and_discard_stores_nothing(env: SlackEnv, app):
    preview = await _preview(env)
    state = unpack(preview["private_metadata"])
    assert state is not None and state.raw == ROUGH_CALL  # the raw text travels with the modal
    assert len(_flow(env).drafts) == 0  # ... and is not kept in this process

    await env.click(preview, "Edit")

    form = env.open_modal(env.ada)
    assert form["callback_id"] == "cb:debrief-form"
    restored = {b["block_id"]: b["element"].get("initial_value") for b in _inputs(form)}
    assert restored == {**ROUGH_CALL, "topic": None}

    await env.submit(form, {"what_tried": "I listened."})
    again = env.open_modal(env.ada)
    assert "I listened." in message_text(again)

    await env.click(again, "Discard")

    assert "Discarded. Nothing was stored." in message_text(env.open_modal(env.ada))
    assert await _rows(app) == []


async def test_any_process_can_submit_the_preview_another_one_drew(
    env: SlackEnv, app, slack_settings
):
    preview = await _preview(env)
    # a second connection (another process, or this one after a restart) gets the Submit
    await _serve_anew(env, app, slack_settings)

    await env.submit(preview)

    assert CODE.search(message_text(env.open_modal(env.ada)))
    assert len(await _rows(app)) == 1


async def test_a_debrief_too_long_for_the_modal_is_kept_in_memory_and_expires_after_a_restart(
    env: SlackEnv, app, slack_settings
):
    long = _too_long_for_the_modal()  # one process: the draft waits in its memory
    preview = await _preview(env, **long)
    state = unpack(preview["private_metadata"])
    assert state is not None and state.raw is None  # too long: only the token travels
    assert len(_flow(env).drafts) == 1

    await env.click(preview, "Edit")  # the same process still has it
    form = env.open_modal(env.ada)
    assert {b["element"].get("initial_value") for b in _inputs(form)} >= set(long.values())
    await env.submit(form)
    preview = env.open_modal(env.ada)

    await _serve_anew(env, app, slack_settings)
    await env.submit(preview)

    assert "expired" in message_text(env.open_modal(env.ada))
    assert await _rows(app) == []


@pytest.mark.parametrize(
    "several", [{"multi_process": True}, {"database_url": "postgresql://db/coachbot"}]
)
async def test_with_several_processes_a_debrief_too_long_for_the_modal_is_refused_at_the_form(
    env: SlackEnv, app, slack_settings, several: dict[str, Any]
):
    await _serve_anew(env, app, replace(slack_settings, **several))
    long = _too_long_for_the_modal()
    await env.command("/coach", "debrief")
    form = env.open_modal(env.ada)

    refused = await env.submit(form, long)

    assert refused.response_action == "errors"  # Slack keeps the form and what was typed
    [(field, error)] = refused.errors.items()
    assert field in ROUGH_CALL and "shorten your answers by about" in error
    cut = int(re.search(r"about ([\d,]+) characters", error).group(1).replace(",", ""))
    assert 0 < cut < sum(map(len, long.values()))
    assert env.open_modal(env.ada)["callback_id"] == "cb:debrief-form"
    assert len(_flow(env).drafts) == 0  # nothing waits in this process's memory
    assert not any(secret in error for secret in long.values())

    shorter = _shortened(long, cut)  # cut by as much as it said: it travels with the modal
    await env.submit(form, shorter)
    preview = env.open_modal(env.ada)
    assert unpack(preview["private_metadata"]).raw == shorter
    await _serve_anew(env, app, replace(slack_settings, **several))  # any process submits it
    await env.submit(preview)
    assert CODE.search(message_text(env.open_modal(env.ada)))
    assert len(await _rows(app)) == 1


def test_the_figure_to_shorten_by_is_about_the_fewest_characters_that_fit():
    long = _too_long_for_the_modal()
    cut = shorten_by("tok", long, "billing")

    def fits(answers: dict[str, str], seen: str) -> bool:
        return ModalState("tok", answers, "billing", seen).fits

    previews = [hashlib.sha256(str(n).encode()).hexdigest()[:20] for n in range(50)]
    assert not any(fits(long, seen) for seen in previews)
    assert all(fits(_shortened(long, cut), seen) for seen in previews)  # whatever it shows
    assert not fits(_shortened(long, cut - 60), previews[0])  # and not far more than needed
    assert shorten_by("tok", ROUGH_CALL, "billing") == 0


def _too_long_for_the_modal() -> dict[str, str]:
    rng = random.Random(7)  # letters at random: too long for the modal even compressed
    letters = string.ascii_letters + "    "
    return {key: "".join(rng.choices(letters, k=1450)) for key in ROUGH_CALL}


def _shortened(answers: dict[str, str], cut: int) -> dict[str, str]:
    """Every answer shortened in proportion, `cut` characters in all (as the figure assumes)."""
    total = sum(map(len, answers.values()))
    return {k: v[: len(v) * (total - cut) // total] for k, v in answers.items()}


async def test_a_deletion_code_deletes_the_debrief_once(env: SlackEnv, app):
    code = await _debrief(env)
    assert len(await _rows(app)) == 1

    deleted = await env.command("/coach", f"debrief delete {code.lower()}")
    again = await env.command("/coach", f"debrief delete {code}")
    nonsense = await env.command("/coach", "debrief delete '; DROP TABLE debriefs; --")
    missing = await env.command("/coach", "debrief delete")

    assert "Deleted" in deleted.text and "No debrief has that code" in again.text
    assert "Usage: `/coach debrief delete CODE`" in nonsense.text
    assert "Usage: `/coach debrief delete CODE`" in missing.text
    assert all(t.replies and not t.messages for t in (deleted, again, nonsense, missing))
    assert await _rows(app) == []


async def test_debriefs_are_shared_only_in_digests_of_three_or_more(env: SlackEnv, app, clock):
    setup = await env.command("/coach", f"debrief channel {clock.now:%H:%M} UTC", user=env.tara)
    assert "batches of 3" in setup.text

    for user in (env.ada, env.ben):
        await _debrief(env, user=user)
    await _tick(env)
    assert env.messages_in(CHANNEL) == []  # two are not enough: they could be told apart

    await _debrief(env, user=env.max, what_worked="Naming the next step and a time.")
    await _tick(env)
    await _tick(env)  # claimed once per day

    [digest] = env.messages_in(CHANNEL)
    text = message_text(digest)
    assert "Team debriefs" in text and "Tough call #3" in text and "max" not in text.lower()
    [post] = env.calls_to("chat.postMessage")
    assert pings(post.args) == []

    helped = await env.click(digest, "This helped me (#1)", user=env.ben)
    again = await env.click(digest, "This helped me (#1)", user=env.ben)
    assert helped.text == "Noted, thank you." and "counts once" in again.text
    assert len(buttons(env.last_message_in(CHANNEL))) == 3  # the digest stays for the others

    for row in await _rows(app):  # the authors delete theirs with their codes
        await app.debriefs.store.delete_by_id(row["id"])
    gone = await env.click(digest, "This helped me (#1)", user=env.tara)
    assert "deleted by its author" in gone.text


async def test_review_mode_holds_debriefs_until_a_trainer_approves(env: SlackEnv, app):
    await env.command("/coach", "debrief channel 09:00 UTC review", user=env.max)
    await _debrief(env)

    denied = await env.command("/coach", "debrief review", user=env.ada)
    review = await env.command("/coach", "debrief review", user=env.olive)
    assert "Review (1 waiting)" in review.text and "[email]" in review.text
    forged = await env.click(review.replies[-1], "Approve", user=env.ben)
    approved = await env.click(review.replies[-1], "Approve", user=env.olive)

    assert denied.text == "You don't have permission to use that here."
    assert forged.text == "Only trainers review debriefs."
    assert approved.replies == [] and "Approved" in message_text(review.replies[-1])
    [row] = await _rows(app)
    assert row["status"] == "waiting"


async def test_only_trainers_choose_the_digest_channel_and_bad_arguments_change_nothing(
    env: SlackEnv, app
):
    usage = "Usage: `/coach debrief channel HH:MM Zone [review]`"
    refused = await env.command("/coach", "debrief channel 17:00 Europe/Berlin", user=env.ben)
    bad_time = await env.command("/coach", "debrief channel 25:00 Europe/Berlin", user=env.tara)
    bad_zone = await env.command("/coach", "debrief channel 17:00 Mars/Olympus", user=env.tara)
    bad_flag = await env.command("/coach", "debrief channel 17:00 UTC maybe", user=env.tara)
    in_dm = await env.command(
        "/coach", "debrief channel 17:00 UTC", user=env.tara, channel=env.dm_channel(env.tara)
    )

    assert refused.text == "You don't have permission to use that here."
    assert usage in bad_time.text and "25:00" in bad_time.text
    assert usage in bad_zone.text and "Mars/Olympus" in bad_zone.text
    assert usage in bad_flag.text and "`maybe`" in bad_flag.text
    assert "Run this in the channel" in in_dm.text
    assert await app.database.fetch("SELECT * FROM debrief_channels") == []


async def test_the_report_shows_common_situations_and_what_worked_privately(env: SlackEnv, app):
    late = "The parcel was two weeks late & the customer shouted for a refund."
    for n, user in enumerate((env.ada, env.ben, env.max, env.olive)):
        await _debrief(
            env,
            user=user,
            what_happened=late if n < 3 else "She asked how to change her password.",
            what_worked="Giving a firm date for the refund calmed them down.",
        )

    turn = await env.command("/coach", "debrief report", user=env.tara)

    assert turn.replies and turn.messages == []  # only the trainer sees it
    [report] = turn.replies
    sections = {b["text"]["text"].split("\n")[0]: b["text"]["text"] for b in report["blocks"][1:-1]}
    assert report["blocks"][0]["text"]["text"] == "Debriefs, last 90 days: 4"
    common = sections["*Most common situations*"]
    assert common.startswith("*Most common situations*\n*3 ×* The parcel was two weeks late &amp;")
    assert "password" not in common  # it happened once
    assert "*4 ×* Giving a firm date for the refund" in sections["*What worked*"]
    assert "Marked helpful 0 times" in message_text(report)


async def test_an_agent_asking_for_the_report_is_refused(env: SlackEnv, app):
    await _debrief(env)

    refused = await env.command("/coach", "debrief report", user=env.ben)

    assert refused.text == "You don't have permission to use that here."
    assert "Debriefs, last 90 days" not in message_text(refused.replies[-1])


async def test_a_debrief_of_nothing_but_personal_data_gets_a_clear_reply_and_keeps_it(
    env: SlackEnv, app
):
    await env.command("/coach", "debrief")
    await env.submit(
        env.ada, {"what_happened": "jon.pryce@example.com +44 7700 900123 4111 1111 1111 1111"}
    )
    reply = env.open_modal(env.ada)

    assert "nothing is left to share" in message_text(reply)
    assert reply.get("submit") is None and [b["text"]["text"] for b in buttons(reply)] == [
        "Edit",
        "Discard",
    ]
    assert "jon.pryce" not in json.dumps(reply["blocks"])
    await env.click(reply, "Edit")
    [first, *_] = _inputs(env.open_modal(env.ada))
    assert first["element"]["initial_value"].startswith("jon.pryce@example.com")
    assert await _rows(app) == []


async def test_too_many_previews_get_a_slow_down_and_the_text_is_kept(env: SlackEnv, app):
    for _ in range(5):
        await _preview(env)
    slowed = await _preview(env)

    assert "Slow down a little" in message_text(slowed)
    assert unpack(slowed["private_metadata"]).raw == ROUGH_CALL


async def test_mentions_in_a_debrief_ping_nobody(env: SlackEnv, app):
    preview = await _preview(env, what_tried="<!channel> @here <@U0BEN> & <b>")
    blocks = json.dumps(preview["blocks"])
    assert pings({"blocks": preview["blocks"]}) == []
    assert "&lt;!channel&gt;" in blocks or "[name]" in blocks


async def test_no_identity_or_raw_text_reaches_the_database_file(env: SlackEnv, app):
    for user in (env.ada, env.ben, env.tara):
        preview = await _preview(env, user, what_happened=f"{user.name} here. " + _happened())
        await env.click(preview, "Edit")  # the raw text goes back and forth
        await env.submit(user)
        await env.submit(user)
    await app.database.execute("PRAGMA wal_checkpoint(PASSIVE)")
    path = app.database.path
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert len(await _rows(app)) == 3
    for user in (env.ada, env.ben, env.tara):
        assert user.id.encode() not in raw
        assert f"{user.name} here".encode() not in raw
    for secret in RAW_SECRETS:
        assert secret.encode() not in raw


# ---- helpers ----------------------------------------------------------------------------------


def _happened() -> str:
    return ROUGH_CALL["what_happened"]


def _inputs(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view["blocks"] if b["type"] == "input"]


def _flow(env: SlackEnv) -> DebriefFlow:
    return flows[env.bolt]  # type: ignore[attr-defined]


async def _serve_anew(env: SlackEnv, app, slack_settings) -> None:
    """Another process (or this one after a restart) takes the next request: no drafts."""
    env.bolt = create_slack_app(app, slack_settings, client=env.client())  # type: ignore[attr-defined]
    await env.serve(env.bolt)  # type: ignore[attr-defined]


async def _tick(env: SlackEnv) -> None:
    await slack_quiz.tick(env.ctx, env.client())  # type: ignore[attr-defined]


async def test_scrubbing_runs_off_the_event_loop_at_preview_and_at_submit(env: SlackEnv, app):
    threads = []
    prepare = app.debriefs.prepare
    app.debriefs.prepare = lambda *a, **k: threads.append(threading.get_ident()) or prepare(*a, **k)

    preview = await _preview(env)
    await env.submit(preview)

    assert len(threads) == 2 and threading.get_ident() not in threads
    assert len(await _rows(app)) == 1


async def test_at_debug_the_log_holds_no_debrief_text_and_no_user_id(
    slack_env: SlackEnv, app, slack_settings
):
    stream = io.StringIO()
    logs.configure("DEBUG", stream=stream)  # as `coachbot run` with COACHBOT_LOG_LEVEL=DEBUG
    try:
        await _serve_anew(slack_env, app, slack_settings)
        preview = await _preview(slack_env)
        await slack_env.click(preview, "Edit")
        await slack_env.submit(slack_env.ada)
        await slack_env.submit(slack_env.ada)
    finally:
        logs.remove()
    logged = stream.getvalue()
    for secret in (*RAW_SECRETS, "shouted at me", "walk through the bill", slack_env.ada.id):
        assert secret not in logged
    assert len(await _rows(app)) == 1


@pytest.mark.parametrize("size", [1, DIGEST_PAGE_SIZE, SlackPoster.digest_page_size, 16])
def test_a_digest_page_fits_one_slack_message_with_every_button(size: int):
    long = "The caller shouted <!channel> & demanded a refund. " * 40  # 2,000 characters
    fields = {key: long[:1500] for key in ROUGH_CALL}
    entries = tuple(
        DigestEntry(debrief_view(fields, f"Tough call #{n}"), helped_action(f"{n:024x}", n))
        for n in range(1, size + 1)
    )
    page = DigestPage("slack:T0COACH", "slack:C0COACHING", "Team debriefs", "x", entries)

    message = digest_message(page)

    assert blockkit.message_faults(message) == []
    assert [b["text"]["text"] for b in buttons(message)] == [
        f"This helped me (#{n})" for n in range(1, size + 1)
    ]
    assert pings(message) == []
