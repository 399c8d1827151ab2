"""An agent debriefs a tough call: form, scrubbed preview, anonymous submit, team digest."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.cogs.conftest import button_ids
from tests.discord_harness import DiscordEnv, message_text

EPHEMERAL = 64
ROUGH_CALL = {
    "what_happened": (
        "Mr Jonathan Pryce (jon.pryce@example.com, +44 7700 900123) shouted at me for ten "
        "minutes about a £45 charge on his Fibre 500 plan."
    ),
    "what_tried": "I let him vent, then said I understood why the charge upset him.",
    "what_worked": "Offering to walk through the bill line by line calmed him down.",
    "next_time": "I would check the account history before I pick up.",
    "topic": "",
}
RAW_SECRETS = ("Jonathan", "Pryce", "jon.pryce@example.com", "7700 900123")


def _public(env: DiscordEnv, channel=None) -> list[dict]:
    messages = env.sent_messages(channel or env.channel)
    return [m for m in messages if not m.get("flags", 0) & EPHEMERAL]


def _code(text: str) -> str:
    return re.search(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\*\*", text).group(1)


async def _debrief(env: DiscordEnv, user=None, **changes) -> str:
    form = await env.slash("debrief write", user=user)
    preview = await env.submit_modal(form, {**ROUGH_CALL, **changes}, user=user)
    done = await env.click(preview, "Submit anonymously", user=user)
    return _code(done.content)


async def _rows(app) -> list[tuple]:
    async with app.database.connection.execute("SELECT * FROM debriefs") as cursor:
        return list(await cursor.fetchall())


async def test_the_preview_shows_the_scrubbed_text_and_submit_stores_it(env: DiscordEnv, app):
    form = await env.slash("debrief write")
    assert form.callback["type"] == 9 and form.modal["title"] == "Debrief a tough call"

    preview = await env.submit_modal(form, ROUGH_CALL)

    shown = str(preview.callback)
    assert preview.ephemeral and "[email]" in shown and "[name]" in shown
    assert not any(secret in shown for secret in RAW_SECRETS)
    assert "£45" in shown and "Fibre 500" in shown
    assert await _rows(app) == []  # nothing is stored before Submit

    done = await env.click(preview, "Submit anonymously")

    assert done.callback["type"] == 7 and _code(done.content)
    [row] = await _rows(app)
    assert not any(secret in str(row) for secret in RAW_SECRETS)
    assert str(env.ada.id) not in str(row) and "Ada" not in str(row)


async def test_discard_stores_nothing_and_edit_reopens_the_form_with_the_text(env: DiscordEnv, app):
    form = await env.slash("debrief write")
    preview = await env.submit_modal(form, ROUGH_CALL)

    edit = await env.click(preview, "Edit")
    defaults = {c.get("custom_id"): c.get("value") for c in _inputs(edit.modal)}
    assert defaults["what_tried"] == ROUGH_CALL["what_tried"]

    second = await env.submit_modal(edit, ROUGH_CALL)
    discarded = await env.click(second, "Discard")
    assert "Nothing was stored" in discarded.content
    assert await _rows(app) == []


def _inputs(modal: dict) -> list[dict]:
    from tests.discord_harness import iter_components

    return [c for c in iter_components(modal["components"]) if c.get("type") == 4]


async def test_a_deletion_code_deletes_the_debrief_once(env: DiscordEnv, app):
    code = await _debrief(env)
    assert len(await _rows(app)) == 1

    deleted = await env.slash("debrief delete", code=code.lower())
    again = await env.slash("debrief delete", code=code)
    nonsense = await env.slash("debrief delete", code="'; DROP TABLE debriefs; --")

    assert deleted.ephemeral and "Deleted" in deleted.content
    assert "No debrief has that code" in again.content
    assert "ABCD-EFGH-JKMN" in nonsense.content
    assert await _rows(app) == []


async def test_debriefs_are_shared_only_in_digests_of_three_or_more(env: DiscordEnv, app, clock):
    setup = await env.slash(
        "debrief channel", user=env.trainer, time=f"{clock.now:%H:%M}", timezone="UTC"
    )
    assert setup.ephemeral and "batches of 3" in setup.content
    cog = env.coachbot.get_cog("DebriefCog")  # type: ignore[attr-defined]

    for user in (env.ada, env.ben):
        await _debrief(env, user=user)
    await cog.tick()
    assert _public(env) == []  # two are not enough: they could be told apart

    await _debrief(env, user=env.manager, what_worked="Naming the next step and a time.")
    await cog.tick()
    await cog.tick()  # claimed once per day

    [digest] = _public(env)
    assert len(digest["embeds"]) == 3
    assert "Tough call #1" in message_text(digest) and "Max" not in message_text(digest)
    [post] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert post.json["allowed_mentions"] == {"parse": []}

    helped = await env.click(digest, button_ids(digest)[0], user=env.ben)
    again = await env.click(digest, button_ids(digest)[0], user=env.ben)
    assert "Noted" in helped.content and "counts once" in again.content

    for debrief_id in await _debrief_ids(app):  # the authors delete theirs with their codes
        await app.debriefs.store.delete_by_id(debrief_id)
    gone = await env.click(digest, button_ids(digest)[0], user=env.trainer)
    assert "deleted by its author" in gone.content


async def test_review_mode_holds_debriefs_until_a_trainer_approves(env: DiscordEnv, app):
    await env.slash("debrief channel", user=env.trainer, time="09:00", timezone="UTC", review=True)
    await _debrief(env)

    denied = await env.slash("debrief review", user=env.ada)
    review = await env.slash("debrief review", user=env.trainer)
    approved = await env.click(review, "Approve", user=env.trainer)

    assert "permission" in denied.content
    assert "Approved" in approved.content
    [row] = await _rows(app)
    assert "waiting" in row


async def test_no_identity_or_raw_text_reaches_the_database_file(env: DiscordEnv, app):
    for user in (env.ada, env.ben, env.trainer):
        await _debrief(
            env,
            user=user,
            what_happened=f"{user.name} here. " + ROUGH_CALL["what_happened"],
        )
    await app.database.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    path = app.database.path
    raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
    for user in (env.ada, env.ben, env.trainer):
        assert str(user.id).encode() not in raw
        assert f"{user.name} here".encode() not in raw
    for secret in RAW_SECRETS:
        assert secret.encode() not in raw


async def test_a_debrief_of_nothing_but_personal_data_gets_a_clear_reply(env: DiscordEnv, app):
    form = await env.slash("debrief write")
    reply = await env.submit_modal(
        form,
        {
            "what_happened": "jon.pryce@example.com +44 7700 900123 4111 1111 1111 1111",
            "what_tried": "",
            "what_worked": "",
            "next_time": "",
            "topic": "",
        },
    )
    assert reply.ephemeral and "nothing is left to share" in reply.content
    assert "cb:debrief:edit:" in " ".join(button_ids(reply))
    assert "jon.pryce" not in str(reply.callback)
    assert await _rows(app) == []


async def test_a_4000_character_answer_is_refused_but_kept_for_editing(env: DiscordEnv, app):
    form = await env.slash("debrief write")
    long_text = ("The customer kept talking about the delivery. " * 90)[:4000]
    reply = await env.submit_modal(form, {**ROUGH_CALL, "what_tried": long_text})
    assert reply.ephemeral and "under 1,500" in reply.content

    edit = await env.click(reply, "Edit")
    defaults = {c.get("custom_id"): c.get("value") for c in _inputs(edit.modal)}
    assert defaults["what_tried"] == long_text
    assert await _rows(app) == []


async def test_mentions_in_a_debrief_ping_nobody(env: DiscordEnv, app):
    form = await env.slash("debrief write")
    preview = await env.submit_modal(
        form, {**ROUGH_CALL, "what_tried": "@everyone <@123> <@&456> **bold** `code`"}
    )
    assert preview.callback["data"]["allowed_mentions"] == {"parse": []}


async def test_a_draft_from_before_a_restart_has_expired(
    discord_env: DiscordEnv, app, bot_settings
):
    from cogs._bot import create_bot
    from tests.cogs.conftest import CLIENT_OPTIONS

    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    form = await discord_env.slash("debrief write")
    preview = await discord_env.submit_modal(form, ROUGH_CALL)
    await discord_env.disconnect()
    await discord_env.connect(create_bot(app, bot_settings, **CLIENT_OPTIONS))
    late = await discord_env.click(preview, "Submit anonymously")
    await discord_env.disconnect()

    assert "expired" in late.content
    assert await _rows(app) == []


async def _statuses(app) -> list[str]:
    async with app.database.connection.execute("SELECT status FROM debriefs") as cursor:
        return sorted(row[0] for row in await cursor.fetchall())


async def test_a_digest_that_cannot_be_posted_keeps_its_debriefs_for_the_next_day(
    env: DiscordEnv, app, clock
):
    await env.slash("debrief channel", user=env.trainer, time=f"{clock.now:%H:%M}", timezone="UTC")
    cog = env.coachbot.get_cog("DebriefCog")  # type: ignore[attr-defined]
    for user in (env.ada, env.ben, env.manager):
        await _debrief(env, user=user)
    deleted = env.channels.pop(env.channel.id)  # deleted on Discord; the bot's cache has it

    await cog.tick()
    await cog.tick()  # a gone channel is not retried every minute

    [failed] = env.requests_to("POST", "/channels/{channel_id}/messages")
    assert failed.status == 404
    assert await _statuses(app) == ["waiting"] * 3

    env.channels[deleted.id] = deleted  # a trainer fixed it
    clock.now += timedelta(days=1)
    await cog.tick()

    [digest] = _public(env)
    assert len(digest["embeds"]) == 3
    assert await _statuses(app) == ["shared"] * 3


async def test_the_report_shows_common_situations_and_what_worked(env: DiscordEnv, app):
    late = "The parcel was two weeks late and the customer shouted for a refund."
    for n, user in enumerate((env.ada, env.ben, env.manager, env.owner)):
        await _debrief(
            env,
            user=user,
            what_happened=late if n < 3 else "She asked how to change her password.",
            what_worked="Giving a firm date for the refund calmed them down.",
        )

    reply = await env.slash("debrief report", user=env.trainer)

    assert reply.ephemeral
    [embed] = reply.embeds
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Debriefs, last 90 days: 4"
    assert fields["Most common situations"].startswith("**3 ×** The parcel was two weeks late")
    assert fields["What worked"].startswith("**4 ×** Giving a firm date for the refund")
    assert "password" not in fields["Most common situations"]  # it happened once


async def _debrief_ids(app) -> list[str]:
    async with app.database.connection.execute("SELECT id FROM debriefs ORDER BY id") as cursor:
        return [row[0] for row in await cursor.fetchall()]
